"""The organizer console: expos (console.views_expo), intake (console.views_intake),
orders (console.views_orders), the live host console (console.views_live), the
venue (console.views_venue) and the report (console.views_report)."""

from gelar.console import (
    urls_expo,
    urls_intake,
    urls_live,
    urls_orders,
    urls_report,
    urls_report_exports,
    urls_venue,
)

app_name = "console"

urlpatterns = (
    urls_expo.urlpatterns
    + urls_intake.urlpatterns
    + urls_orders.urlpatterns
    + urls_live.urlpatterns
    + urls_venue.urlpatterns
    + urls_report.urlpatterns
    + urls_report_exports.urlpatterns
)
