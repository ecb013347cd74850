from django.apps import AppConfig


class DemoConfig(AppConfig):
    name = "gelar.demo"
    label = "demo"
