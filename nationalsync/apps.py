from django.apps import AppConfig


class NationalsyncConfig(AppConfig):
    """The province's one-stop system and the National Public Service Portal kept in step (issue 13)."""

    name = "nationalsync"
    default_auto_field = "django.db.models.BigAutoField"

    def ready(self) -> None:
        from . import receivers  # noqa: F401 - connects the synchronisation's listeners
