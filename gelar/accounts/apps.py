from django.apps import AppConfig


class AccountsConfig(AppConfig):
    name = "gelar.accounts"
    label = "accounts"
