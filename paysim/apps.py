from django.apps import AppConfig
from django.utils.translation import gettext_lazy as _


class PaysimConfig(AppConfig):
    name = "paysim"
    verbose_name = _("Payment gateway simulator")
