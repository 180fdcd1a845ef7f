from django.apps import AppConfig


class ArchitectureConfig(AppConfig):
    name = "architecture"
    default_auto_field = "django.db.models.BigAutoField"
