from django.apps import AppConfig


class OrdersConfig(AppConfig):
    name = "gelar.orders"
    label = "orders"
