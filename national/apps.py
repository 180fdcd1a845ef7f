from django.apps import AppConfig


class NationalConfig(AppConfig):
    """Adapters to the national systems reached through the NGSP (issue 13, ADR 0042)."""

    name = "national"
    default_auto_field = "django.db.models.BigAutoField"
