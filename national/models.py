"""What the platform keeps about its exchanges with the national systems."""

from django.conf import settings
from django.db import models
from django.utils.translation import gettext_lazy as _

# --- Population look-ups, consent and identity checks (ADR 0045) ------------------------------
# Personal identification numbers are never stored in clear here: a keyed hash (to find and count)
# and a masked form (to show), national.privacy.


class LookupPurpose(models.TextChoices):
    PREFILL = "prefill", _("fill in an e-form")
    IDENTITY = "identity", _("verify identity at intake")
    BUSINESS = "business", _("business look-up")


class PopulationConsent(models.Model):
    """Sự đồng ý của chủ thể dữ liệu (Law 91/2025/QH15; Decree 13/2023/NĐ-CP art. 11 before): who agreed that their data be
    read from the national population database, when, for which purpose and which dossier or form."""

    subject = models.ForeignKey(settings.AUTH_USER_MODEL, verbose_name=_("data subject"), null=True, blank=True,
                                on_delete=models.PROTECT, related_name="population_consents")
    id_hash = models.CharField(max_length=64, db_index=True)
    id_masked = models.CharField(_("identification number"), max_length=16)
    purpose = models.CharField(_("purpose"), max_length=12, choices=LookupPurpose.choices)
    dossier = models.ForeignKey("dossiers.Dossier", verbose_name=_("dossier"), null=True, blank=True,
                                on_delete=models.PROTECT, related_name="population_consents")
    form = models.CharField(_("form"), max_length=200, blank=True)
    wording = models.TextField(_("what was agreed to"))
    # At the counter the applicant agrees in person and the desk officer confirms it.
    confirmed_by = models.ForeignKey(settings.AUTH_USER_MODEL, verbose_name=_("confirmed by"), null=True,
                                     blank=True, on_delete=models.PROTECT, related_name="+")
    given_at = models.DateTimeField(_("given at"))
    reference = models.CharField(_("consent reference"), max_length=40, unique=True)

    class Meta:
        ordering = ["-given_at"]
        verbose_name = _("consent to a population look-up")
        verbose_name_plural = _("consents to population look-ups")

    def __str__(self) -> str:
        return self.reference


class RegistryLookup(models.Model):
    """One access to the national population (or business) database: who, when, why, with which
    consent, what came of it, and which dossier fields were filled from it."""

    class Outcome(models.TextChoices):
        FOUND = "found", _("found")
        NOT_FOUND = "not_found", _("not found")
        UNAVAILABLE = "unavailable", _("system not answering")
        REFUSED = "refused", _("refused")

    system = models.CharField(max_length=20, default="population")
    actor = models.ForeignKey(settings.AUTH_USER_MODEL, null=True, blank=True, on_delete=models.PROTECT,
                              related_name="+")
    id_hash = models.CharField(max_length=64, db_index=True)
    id_masked = models.CharField(_("identification number"), max_length=16)
    purpose = models.CharField(_("purpose"), max_length=12, choices=LookupPurpose.choices)
    reason = models.CharField(_("reason"), max_length=255, blank=True)
    consent = models.ForeignKey(PopulationConsent, null=True, blank=True, on_delete=models.PROTECT,
                                related_name="lookups")
    dossier = models.ForeignKey("dossiers.Dossier", null=True, blank=True, on_delete=models.PROTECT,
                                related_name="population_lookups")
    outcome = models.CharField(_("outcome"), max_length=12, choices=Outcome.choices)
    filled = models.JSONField(_("fields filled"), default=list, blank=True)
    at = models.DateTimeField(_("at"), db_index=True)

    class Meta:
        ordering = ["-at", "-id"]
        verbose_name = _("national database look-up")
        verbose_name_plural = _("national database look-ups")

    def __str__(self) -> str:
        return f"{self.system} {self.id_masked} {self.outcome}"


class IdentityCheck(models.Model):
    """Đối chiếu thông tin người nộp với CSDLQG về dân cư at intake. When the database does not
    answer the check waits (pending) and a periodic task makes it when it answers again."""

    class State(models.TextChoices):
        PENDING = "pending", _("waiting for the population database")
        MATCH = "match", _("matches the population database")
        MISMATCH = "mismatch", _("differs from the population database")
        NOT_FOUND = "not_found", _("number unknown to the population database")

    dossier = models.ForeignKey("dossiers.Dossier", on_delete=models.PROTECT, related_name="identity_checks")
    requested_by = models.ForeignKey(settings.AUTH_USER_MODEL, on_delete=models.PROTECT, related_name="+")
    consent = models.ForeignKey(PopulationConsent, null=True, blank=True, on_delete=models.PROTECT,
                                related_name="+")
    state = models.CharField(_("state"), max_length=12, choices=State.choices, default=State.PENDING,
                             db_index=True)
    # What the applicant declared, as compared: {"full_name": ..., "address": ...}.
    declared = models.JSONField(default=dict)
    # Field by field where the registry differs: [{"field", "declared", "registry"}].
    differences = models.JSONField(default=list, blank=True)
    requested_at = models.DateTimeField(_("requested at"))
    checked_at = models.DateTimeField(_("checked at"), null=True, blank=True)
    attempts = models.PositiveSmallIntegerField(default=0)

    class Meta:
        ordering = ["-requested_at", "-id"]
        verbose_name = _("identity check")
        verbose_name_plural = _("identity checks")

    def __str__(self) -> str:
        return f"{self.dossier_id} {self.state}"

    @property
    def agency_id(self) -> int:
        return self.dossier.agency_id

# --- end of population look-ups ---------------------------------------------------------------


# --- The outbound queue to the national systems (ADR 0042, 0046) ------------------------------


class OutboundItem(models.Model):
    """Một bản tin gửi đi hệ thống quốc gia: one message the platform owes a national system (a
    status, a result, a catalog, a civil-status registration). Written in the transaction of the
    change that owes it (national.outbound.enqueue); sent with back-off until the system takes it.
    ``idempotency_key`` is unique here and travels as ``Idempotency-Key``, so the system applies it
    once however often it is sent."""

    class State(models.TextChoices):
        PENDING = "pending", _("waiting to be sent")
        DELIVERED = "delivered", _("delivered")
        FAILED = "failed", _("refused by the national system")

    system = models.CharField(_("national system"), max_length=20, db_index=True)
    kind = models.CharField(_("kind"), max_length=30)
    # What it is about, readable by an administrator (a dossier code, a procedure catalog); never personal data.
    reference = models.CharField(_("reference"), max_length=80, db_index=True)
    payload = models.JSONField(_("message"), default=dict)
    idempotency_key = models.CharField(max_length=120, unique=True)
    state = models.CharField(_("state"), max_length=10, choices=State.choices, default=State.PENDING, db_index=True)
    created_at = models.DateTimeField(_("created at"))
    attempts = models.PositiveIntegerField(_("attempts"), default=0)
    next_attempt_at = models.DateTimeField(_("next attempt at"))
    last_attempt_at = models.DateTimeField(_("last attempt at"), null=True, blank=True)
    delivered_at = models.DateTimeField(_("delivered at"), null=True, blank=True)
    # The system's answer once delivered or refused; the reason of the last failure (no body, no personal data).
    response = models.JSONField(_("answer"), default=dict, blank=True)
    last_error = models.CharField(_("last error"), max_length=300, blank=True)

    class Meta:
        ordering = ["created_at", "id"]
        verbose_name = _("message to a national system")
        verbose_name_plural = _("messages to national systems")
        indexes = [models.Index(fields=["system", "state", "next_attempt_at"], name="national_outbound_due_idx")]

    def __str__(self) -> str:
        return f"{self.system} {self.kind} {self.reference}"

# --- end of the outbound queue ----------------------------------------------------------------
