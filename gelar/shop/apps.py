from django.apps import AppConfig


class ShopConfig(AppConfig):
    name = "gelar.shop"
    label = "shop"
