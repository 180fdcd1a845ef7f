"""Help and support for citizens and businesses (hỗ trợ người dân, doanh nghiệp): the help centre's
guides and FAQ, support requests with their time limit, answer templates, announcements and the
opt-in campaign notices (decision 0034)."""

from __future__ import annotations

import secrets

from django.conf import settings
from django.db import models
from django.utils.translation import gettext_lazy as _

from audit.registry import audited
from directory.models import Agency
from dossiers.models import Dossier
from egov.crypto import EncryptedTextField, LookupHashField
from egov.text import fold
from procedures.models import Procedure


class Topic(models.TextChoices):
    """What a question is about; technical topics go to the IT help desk, the others to an agency."""

    PROCEDURE = "procedure", _("A procedure and its papers")
    DOSSIER = "dossier", _("My dossier")
    PAYMENT = "payment", _("Fees and payment")
    ACCOUNT = "account", _("Account and signing in")
    TECHNICAL = "technical", _("Technical problem with the website")
    OTHER = "other", _("Something else")


TECHNICAL_TOPICS = frozenset({Topic.ACCOUNT, Topic.TECHNICAL})


class LifeEvent(models.TextChoices):
    """The portal's life events (portal.life_events), by the same slugs."""

    FAMILY = "family", _("Birth, marriage and death")
    PAPERS = "papers", _("Certified copies and signatures")
    HOME = "home", _("Building a house, land")
    BUSINESS = "business", _("Starting a business")
    WORK = "work", _("Work, studies and health")


def new_token() -> str:
    return secrets.token_urlsafe(24)


# --- help centre ---------------------------------------------------------------------------------

@audited
class Guide(models.Model):
    """Hướng dẫn thực hiện thủ tục: a step-by-step guide to one procedure."""

    procedure = models.OneToOneField(Procedure, verbose_name=_("procedure"), on_delete=models.CASCADE,
                                     related_name="guide")
    title = models.CharField(_("title"), max_length=500)
    summary = models.TextField(_("summary"), blank=True)
    common_mistakes = models.TextField(_("common mistakes"), blank=True, help_text=_("One mistake per line"))
    published = models.BooleanField(_("published"), default=False)
    updated_at = models.DateTimeField(_("updated at"), auto_now=True)
    search_key = models.TextField(editable=False, blank=True)

    class Meta:
        ordering = ["title"]
        verbose_name = _("guide")
        verbose_name_plural = _("guides")

    def __str__(self) -> str:
        return self.title

    def save(self, *args, **kwargs):
        parts = [self.title, self.summary, self.common_mistakes, self.procedure.code]
        if self.procedure.current_id:
            parts.append(self.procedure.current.name)
        if self.pk:
            parts += list(self.steps.values_list("text", flat=True))
        self.search_key = fold(" ".join(parts))
        if kwargs.get("update_fields"):
            kwargs["update_fields"] = {*kwargs["update_fields"], "search_key"}
        super().save(*args, **kwargs)

    @property
    def audit_agency_id(self) -> None:
        return None

    def mistakes(self) -> list[str]:
        return [line.strip() for line in self.common_mistakes.splitlines() if line.strip()]


def _step_image_path(instance: GuideStep, filename: str) -> str:
    return f"support/guides/{instance.guide.procedure.code}/{secrets.token_hex(8)}-{filename}"


@audited
class GuideStep(models.Model):
    guide = models.ForeignKey(Guide, on_delete=models.CASCADE, related_name="steps")
    order = models.PositiveSmallIntegerField(_("order"), default=1)
    text = models.TextField(_("what to do"))
    image = models.ImageField(_("image"), upload_to=_step_image_path, blank=True)
    image_alt = models.CharField(_("image description"), max_length=300, blank=True,
                                 help_text=_("What the image shows, for readers who cannot see it"))

    class Meta:
        ordering = ["guide", "order", "id"]
        verbose_name = _("step")
        verbose_name_plural = _("steps")

    def __str__(self) -> str:
        return f"{self.order}. {self.text[:60]}"

    @property
    def audit_agency_id(self) -> None:
        return None


@audited
class Faq(models.Model):
    """Câu hỏi thường gặp, by topic and (optionally) life event and procedure."""

    question = models.CharField(_("question"), max_length=500)
    answer = models.TextField(_("answer"))
    topic = models.CharField(_("topic"), max_length=20, choices=Topic.choices, default=Topic.OTHER)
    life_event = models.CharField(_("life event"), max_length=20, choices=LifeEvent.choices, blank=True)
    procedure = models.ForeignKey(Procedure, verbose_name=_("procedure"), null=True, blank=True,
                                  on_delete=models.SET_NULL, related_name="+")
    order = models.PositiveSmallIntegerField(_("order"), default=1)
    published = models.BooleanField(_("published"), default=True)
    search_key = models.TextField(editable=False, blank=True)

    class Meta:
        ordering = ["topic", "order", "id"]
        verbose_name = _("frequently asked question")
        verbose_name_plural = _("frequently asked questions")

    def __str__(self) -> str:
        return self.question

    def save(self, *args, **kwargs):
        parts = [self.question, self.answer]
        if self.procedure_id and self.procedure.current_id:
            parts += [self.procedure.code, self.procedure.current.name]
        self.search_key = fold(" ".join(parts))
        super().save(*args, **kwargs)

    @property
    def audit_agency_id(self) -> None:
        return None


# --- support requests ----------------------------------------------------------------------------

class Channel(models.TextChoices):
    PORTAL = "portal", _("portal")
    WORKSPACE = "workspace", _("workspace")
    HOTLINE = "hotline", _("hotline")


class RequestStatus(models.TextChoices):
    OPEN = "open", _("waiting for an answer")
    ANSWERED = "answered", _("answered")


@audited
class SupportRequest(models.Model):
    """Yêu cầu hỗ trợ: a question from a citizen, a business or an official, routed to the agency that
    settles the procedure it is about, or to the IT help desk (``agency`` empty)."""

    token = models.CharField(max_length=64, unique=True, default=new_token, editable=False)
    channel = models.CharField(_("channel"), max_length=10, choices=Channel.choices)
    requester = models.ForeignKey(settings.AUTH_USER_MODEL, verbose_name=_("requester"), null=True, blank=True,
                                  on_delete=models.SET_NULL, related_name="support_requests")
    name = models.CharField(_("name"), max_length=150)
    email = models.EmailField(_("e-mail"), blank=True)
    phone = EncryptedTextField(_("phone"), max_length=20, blank=True)  # encrypted at rest (ADR 0050)
    topic = models.CharField(_("topic"), max_length=20, choices=Topic.choices)
    question = models.TextField(_("question"))
    page = models.CharField(_("page"), max_length=500, blank=True)
    dossier = models.ForeignKey(Dossier, verbose_name=_("dossier"), null=True, blank=True,
                                on_delete=models.SET_NULL, related_name="+")
    procedure = models.ForeignKey(Procedure, verbose_name=_("procedure"), null=True, blank=True,
                                  on_delete=models.SET_NULL, related_name="+")
    agency = models.ForeignKey(Agency, verbose_name=_("answered by"), null=True, blank=True,
                               on_delete=models.PROTECT, related_name="+",
                               help_text=_("Empty: the IT help desk"))
    recorded_by = models.ForeignKey(settings.AUTH_USER_MODEL, verbose_name=_("recorded by"), null=True, blank=True,
                                    on_delete=models.SET_NULL, related_name="+")
    status = models.CharField(_("status"), max_length=10, choices=RequestStatus.choices,
                              default=RequestStatus.OPEN)
    created_at = models.DateTimeField(_("received at"), auto_now_add=True)
    due_at = models.DateTimeField(_("answer due"))
    escalated_at = models.DateTimeField(_("escalated at"), null=True, blank=True)
    answer = models.TextField(_("answer"), blank=True)
    answered_by = models.ForeignKey(settings.AUTH_USER_MODEL, verbose_name=_("answered by"), null=True,
                                    blank=True, on_delete=models.SET_NULL, related_name="+")
    answered_at = models.DateTimeField(_("answered at"), null=True, blank=True)
    rating = models.PositiveSmallIntegerField(_("rating"), null=True, blank=True,
                                              choices=[(n, str(n)) for n in range(1, 6)])
    rating_comment = models.CharField(_("comment"), max_length=500, blank=True)
    # When a requester without an account was sent the answer (e-mail or SMS): sent once.
    told_at = models.DateTimeField(null=True, blank=True, editable=False)

    class Meta:
        ordering = ["-created_at", "-id"]
        verbose_name = _("support request")
        verbose_name_plural = _("support requests")
        indexes = [models.Index(fields=["status", "due_at"]), models.Index(fields=["agency", "status"])]

    def __str__(self) -> str:
        return f"#{self.pk} {self.get_topic_display()}"

    @property
    def it_desk(self) -> bool:
        return self.agency_id is None


@audited
class AnswerTemplate(models.Model):
    """Mẫu trả lời: a reusable answer, the province's (no agency) or one agency's."""

    title = models.CharField(_("title"), max_length=200)
    body = models.TextField(_("answer"))
    topic = models.CharField(_("topic"), max_length=20, choices=Topic.choices, blank=True)
    agency = models.ForeignKey(Agency, verbose_name=_("agency"), null=True, blank=True, on_delete=models.CASCADE,
                               related_name="+", help_text=_("Empty: every agency may use it"))

    class Meta:
        ordering = ["title"]
        verbose_name = _("answer template")
        verbose_name_plural = _("answer templates")

    def __str__(self) -> str:
        return self.title


# --- announcements and campaigns -----------------------------------------------------------------

class Audience(models.TextChoices):
    EVERYONE = "everyone", _("everyone")
    CITIZENS = "citizens", _("citizens")
    BUSINESSES = "businesses", _("businesses")
    OFFICIALS = "officials", _("officials")


@audited
class Announcement(models.Model):
    """Thông báo, tin tức on the portal's home page, shown between its start and end."""

    title = models.CharField(_("title"), max_length=300)
    body = models.TextField(_("text"))
    audience = models.CharField(_("audience"), max_length=12, choices=Audience.choices, default=Audience.EVERYONE)
    starts_at = models.DateTimeField(_("shown from"))
    ends_at = models.DateTimeField(_("shown until"), null=True, blank=True)
    published = models.BooleanField(_("published"), default=True)

    class Meta:
        ordering = ["-starts_at", "-id"]
        verbose_name = _("announcement")
        verbose_name_plural = _("announcements")

    def __str__(self) -> str:
        return self.title

    @property
    def audit_agency_id(self) -> None:
        return None


class SubscriptionChannel(models.TextChoices):
    EMAIL = "email", _("e-mail")
    SMS = "sms", _("SMS")


@audited
class Subscription(models.Model):
    """Đăng ký nhận thông tin: explicit consent of one address to campaign notices; unsubscribing
    keeps the row (with its date) so that a later broadcast honours it."""

    channel = models.CharField(_("channel"), max_length=5, choices=SubscriptionChannel.choices)
    # Encrypted at rest; its keyed hash keeps one subscription per address and finds it (ADR 0050).
    address = EncryptedTextField(_("address"), max_length=254, help_text=_("E-mail address or phone number"))
    address_hash = LookupHashField(source="address", kind="contact")
    user = models.ForeignKey(settings.AUTH_USER_MODEL, null=True, blank=True, on_delete=models.SET_NULL,
                             related_name="+")
    consent_text = models.TextField(_("consent given"))
    consented_at = models.DateTimeField(_("consented at"))
    unsubscribed_at = models.DateTimeField(_("unsubscribed at"), null=True, blank=True)

    class Meta:
        ordering = ["-consented_at"]
        verbose_name = _("subscription")
        verbose_name_plural = _("subscriptions")
        constraints = [models.UniqueConstraint(fields=["channel", "address_hash"], name="support_subscription_once")]

    def __str__(self) -> str:
        return f"{self.channel} #{self.pk}"

    @property
    def audit_agency_id(self) -> None:
        return None

    @property
    def active(self) -> bool:
        return self.unsubscribed_at is None


class CampaignStatus(models.TextChoices):
    DRAFT = "draft", _("draft")
    SENDING = "sending", _("sending")
    DONE = "done", _("sent")


@audited
class Campaign(models.Model):
    """Chiến dịch truyền thông: one notice broadcast to the subscribers of a channel."""

    title = models.CharField(_("title"), max_length=200)
    channel = models.CharField(_("channel"), max_length=5, choices=SubscriptionChannel.choices)
    subject = models.CharField(_("e-mail subject"), max_length=200, blank=True)
    body = models.TextField(_("message"))
    status = models.CharField(_("status"), max_length=10, choices=CampaignStatus.choices,
                              default=CampaignStatus.DRAFT)
    created_by = models.ForeignKey(settings.AUTH_USER_MODEL, null=True, blank=True, on_delete=models.SET_NULL,
                                   related_name="+")
    created_at = models.DateTimeField(_("created at"), auto_now_add=True)
    started_at = models.DateTimeField(_("started at"), null=True, blank=True)
    finished_at = models.DateTimeField(_("finished at"), null=True, blank=True)

    class Meta:
        ordering = ["-created_at"]
        verbose_name = _("campaign")
        verbose_name_plural = _("campaigns")

    def __str__(self) -> str:
        return self.title

    @property
    def audit_agency_id(self) -> None:
        return None


class CampaignDelivery(models.Model):
    """One subscriber's copy of a campaign: claimed before sending, so that a task run twice never
    sends it twice (at most once: a worker dying mid-send leaves it ``sending``, not resent)."""

    class State(models.TextChoices):
        PENDING = "pending", _("pending")
        SENDING = "sending", _("sending")
        SENT = "sent", _("sent")
        SKIPPED = "skipped", _("skipped (unsubscribed)")
        FAILED = "failed", _("failed")

    campaign = models.ForeignKey(Campaign, on_delete=models.CASCADE, related_name="deliveries")
    subscription = models.ForeignKey(Subscription, on_delete=models.CASCADE, related_name="deliveries")
    status = models.CharField(max_length=10, choices=State.choices, default=State.PENDING)
    last_error = models.CharField(max_length=255, blank=True)
    sent_at = models.DateTimeField(null=True, blank=True)

    class Meta:
        ordering = ["campaign", "id"]
        constraints = [models.UniqueConstraint(fields=["campaign", "subscription"],
                                               name="support_delivery_once")]

    def __str__(self) -> str:
        return f"campaign {self.campaign_id} #{self.pk} {self.status}"
