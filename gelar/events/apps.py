from django.apps import AppConfig


class EventsConfig(AppConfig):
    name = "gelar.events"
    label = "events"
