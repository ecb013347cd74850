from django.apps import AppConfig


class CatalogConfig(AppConfig):
    name = "gelar.catalog"
    label = "catalog"
