from django.apps import AppConfig


class AuditConfig(AppConfig):
    name = "gelar.audit"
    label = "audit"
