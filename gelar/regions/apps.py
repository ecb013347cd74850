from django.apps import AppConfig


class RegionsConfig(AppConfig):
    name = "gelar.regions"
    label = "regions"
