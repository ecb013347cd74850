from django.apps import AppConfig


class ReportsConfig(AppConfig):
    default_auto_field = "django.db.models.BigAutoField"
    name = "gelar.reports"
    verbose_name = "Reports"

    def ready(self):
        from gelar.reports import signals  # noqa: F401 -- an export's file goes with its row
