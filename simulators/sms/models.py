from django.db import models
from django.utils.translation import gettext_lazy as _


class SimulatedSms(models.Model):
    """A message the simulated SMS gateway accepted (nothing is sent to any phone)."""

    phone = models.CharField(_("phone"), max_length=20)
    content = models.TextField(_("content"))
    brandname = models.CharField(_("brand name"), max_length=20)
    sms_type = models.CharField(_("SMS type"), max_length=4, blank=True)
    sms_id = models.CharField(_("SMS ID"), max_length=40, unique=True)
    received_at = models.DateTimeField(_("received at"), auto_now_add=True, db_index=True)

    class Meta:
        app_label = "simulators"
        ordering = ["-received_at", "-id"]
        verbose_name = _("simulated SMS")
        verbose_name_plural = _("simulated SMS")

    def __str__(self) -> str:
        return self.sms_id

    @property
    def masked_phone(self) -> str:
        return self.phone[:3] + "*" * max(len(self.phone) - 6, 0) + self.phone[-3:] if len(self.phone) > 6 else "***"
