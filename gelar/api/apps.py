from django.apps import AppConfig


class ApiConfig(AppConfig):
    name = "gelar.api"
    label = "api"
