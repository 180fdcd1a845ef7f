from django.apps import AppConfig


class IndicesConfig(AppConfig):
    name = "indices"
    default_auto_field = "django.db.models.BigAutoField"
