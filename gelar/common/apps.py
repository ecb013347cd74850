from django.apps import AppConfig


class CommonConfig(AppConfig):
    name = "gelar.common"
    label = "common"
