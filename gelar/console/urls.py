"""The organizer console: expos (console.views_expo), intake (console.views_intake)
and orders (console.views_orders)."""

from gelar.console import urls_expo, urls_intake, urls_orders

app_name = "console"

urlpatterns = urls_expo.urlpatterns + urls_intake.urlpatterns + urls_orders.urlpatterns
