from django.apps import AppConfig


class DashboardConfig(AppConfig):
    name = "gelar.dashboard"
    label = "dashboard"
