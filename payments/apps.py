from django.apps import AppConfig
from django.utils.translation import gettext_lazy as _


class PaymentsConfig(AppConfig):
    name = "payments"
    verbose_name = _("Online payments")

    def ready(self):
        from django.db.models.signals import post_save

        from dossiers.models import DossierEvent

        from .signals import refund_when_refused

        post_save.connect(refund_when_refused, sender=DossierEvent, dispatch_uid="payments:refund_when_refused")
