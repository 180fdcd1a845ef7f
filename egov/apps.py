from django.apps import AppConfig


class EgovConfig(AppConfig):
    name = "egov"
    verbose_name = "eGov"
