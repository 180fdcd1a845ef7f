from django.apps import AppConfig
from django.utils.translation import gettext_lazy as _


class ExchangeConfig(AppConfig):
    name = "exchange"
    verbose_name = _("Inter-agency document exchange")
    default_auto_field = "django.db.models.BigAutoField"

    def ready(self) -> None:
        from . import dossiers, receivers  # noqa: F401  (the documents' and dossiers' events become packages)
