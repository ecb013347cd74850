from django.apps import AppConfig


class ConsoleConfig(AppConfig):
    name = "gelar.console"
    label = "console"
