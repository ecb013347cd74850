from django.apps import AppConfig


class CommonConfig(AppConfig):
    name = "gelar.common"
    label = "common"

    def ready(self) -> None:
        # gelar.ops is no app of its own; its system checks are registered here.
        from gelar.ops import checks  # noqa: F401
