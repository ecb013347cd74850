from django.apps import AppConfig


class PublicConfig(AppConfig):
    name = "gelar.public"
    label = "public"
