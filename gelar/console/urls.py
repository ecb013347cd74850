"""The organizer console: expos (console.views_expo), intake (console.views_intake),
orders (console.views_orders) and the live host console (console.views_live)."""

from gelar.console import urls_expo, urls_intake, urls_live, urls_orders

app_name = "console"

urlpatterns = (
    urls_expo.urlpatterns
    + urls_intake.urlpatterns
    + urls_orders.urlpatterns
    + urls_live.urlpatterns
)
