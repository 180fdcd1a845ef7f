from django.apps import AppConfig


class EgovConfig(AppConfig):
    name = "egov"
    verbose_name = "eGov"

    def ready(self):
        from . import checks  # noqa: F401  (registers the production-mode checks)
