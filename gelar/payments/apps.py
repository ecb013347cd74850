from django.apps import AppConfig


class PaymentsConfig(AppConfig):
    name = "gelar.payments"
    label = "payments"
