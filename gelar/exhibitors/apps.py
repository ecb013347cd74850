from django.apps import AppConfig


class ExhibitorsConfig(AppConfig):
    name = "gelar.exhibitors"
    label = "exhibitors"
