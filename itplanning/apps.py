from django.apps import AppConfig


class ItplanningConfig(AppConfig):
    name = "itplanning"
    default_auto_field = "django.db.models.BigAutoField"
