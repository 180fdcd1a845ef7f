from django.apps import AppConfig


class LgspConfig(AppConfig):
    """The provincial integration platform: agency systems as OAuth clients, shared categories (issue 13)."""

    name = "lgsp"
    default_auto_field = "django.db.models.BigAutoField"

    def ready(self) -> None:
        from . import signals

        signals.connect()
