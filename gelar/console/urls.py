"""The organizer console: expos (console.views_expo) and intake (console.views_intake)."""

from gelar.console import urls_expo, urls_intake

app_name = "console"

urlpatterns = urls_expo.urlpatterns + urls_intake.urlpatterns
