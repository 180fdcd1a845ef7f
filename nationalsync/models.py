"""What the province keeps of its synchronisation with the National Public Service Portal (ADR 0046)."""

from django.db import models
from django.utils.translation import gettext_lazy as _

from audit.registry import audited


@audited
class NationalDossier(models.Model):
    """Hồ sơ nộp trên Cổng Dịch vụ công quốc gia: a dossier a citizen submitted on the national portal,
    as the province took it — the one-stop dossier it became, or the reason it was refused. The
    national code (``maHoSo``) is unique: fetching the same dossier again changes nothing."""

    class State(models.TextChoices):
        RECEIVED = "received", _("received into the one-stop system")
        REFUSED = "refused", _("refused")

    national_code = models.CharField(_("national portal dossier code"), max_length=60, unique=True)
    procedure_code = models.CharField(_("procedure code"), max_length=30)
    agency_code = models.CharField(_("agency code"), max_length=30)
    dossier = models.OneToOneField("dossiers.Dossier", verbose_name=_("dossier"), null=True, blank=True,
                                   on_delete=models.PROTECT, related_name="national")
    state = models.CharField(_("state"), max_length=10, choices=State.choices)
    reason = models.TextField(_("reason"), blank=True)
    submitted_at = models.CharField(_("submitted on the national portal"), max_length=40, blank=True)
    received_at = models.DateTimeField(_("fetched at"))

    class Meta:
        ordering = ["-received_at", "-id"]
        verbose_name = _("dossier from the national portal")
        verbose_name_plural = _("dossiers from the national portal")

    def __str__(self) -> str:
        return self.national_code
