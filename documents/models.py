"""Văn bản: the agencies' incoming and outgoing official documents (Decree 30/2020/NĐ-CP on công tác
văn thư), their registers and numbers, files and versions, the leader's direction and the handling
assignments, the review of drafts and the distribution of issued documents.

The rules (who may do what now) are in ``documents.policy``; the doors that change records are
the services modules (``incoming``, ``routing``, ``drafting``, ``issuance``, ``distribution``).
"""

from __future__ import annotations

from django.conf import settings
from django.db import models
from django.utils import timezone
from django.utils.translation import gettext_lazy as _

from audit.registry import audited
from directory.models import Agency, OrgUnit


class DocumentType(models.Model):
    """Thể loại văn bản (Decree 30/2020, Appendix III): its abbreviation goes into the number and
    symbol (``123/QĐ-UBND``); an official letter (công văn) has none (``123/UBND-VP``)."""

    abbreviation = models.CharField(_("abbreviation"), max_length=10, unique=True)
    name = models.CharField(_("name"), max_length=100)
    is_letter = models.BooleanField(_("official letter (no type abbreviation)"), default=False)
    order = models.PositiveSmallIntegerField(default=0)

    class Meta:
        ordering = ["order", "name"]
        verbose_name = _("document type")
        verbose_name_plural = _("document types")

    def __str__(self) -> str:
        return self.name


class Direction(models.TextChoices):
    INCOMING = "incoming", _("incoming")
    OUTGOING = "outgoing", _("outgoing")


@audited
class Register(models.Model):
    """Sổ đăng ký văn bản: an agency's book of incoming or outgoing documents. Numbers restart every
    year; an outgoing register numbers each document type in its own series unless
    ``one_series`` (Decree 30/2020 art. 15). Classified documents have registers of their own."""

    agency = models.ForeignKey(Agency, on_delete=models.PROTECT, related_name="document_registers")
    direction = models.CharField(_("direction"), max_length=10, choices=Direction.choices)
    name = models.CharField(_("name"), max_length=200)
    confidential = models.BooleanField(_("for classified documents"), default=False)
    one_series = models.BooleanField(_("one number series for every type"), default=False)
    active = models.BooleanField(_("in use"), default=True)

    class Meta:
        ordering = ["agency", "direction", "name"]
        verbose_name = _("document register")
        verbose_name_plural = _("document registers")
        constraints = [models.UniqueConstraint(fields=["agency", "direction", "name"], name="register_unique_name")]

    def __str__(self) -> str:
        return self.name


class RegisterCounter(models.Model):
    """The last number taken in a register's series for a year: one conditional statement takes the
    next (gap-free, in order). ``series`` is the type abbreviation, or "" for a single series."""

    register = models.ForeignKey(Register, on_delete=models.CASCADE, related_name="counters")
    year = models.PositiveSmallIntegerField()
    series = models.CharField(max_length=10, blank=True, default="")
    last = models.PositiveIntegerField(default=0)

    class Meta:
        constraints = [models.UniqueConstraint(fields=["register", "year", "series"], name="register_counter_unique")]

    def __str__(self) -> str:
        return f"{self.register_id} {self.year} {self.series} {self.last}"


class Urgency(models.TextChoices):
    NORMAL = "normal", _("normal")
    URGENT = "urgent", _("urgent (Khẩn)")
    VERY_URGENT = "very_urgent", _("very urgent (Thượng khẩn)")
    FLASH = "flash", _("flash (Hỏa tốc)")


class Confidentiality(models.TextChoices):
    NORMAL = "normal", _("not classified")
    CONFIDENTIAL = "confidential", _("confidential (Mật)")
    SECRET = "secret", _("secret (Tối mật)")
    TOP_SECRET = "top_secret", _("top secret (Tuyệt mật)")


class Source(models.TextChoices):
    PAPER = "paper", _("paper, scanned")
    EMAIL = "email", _("e-mail")
    EXCHANGE = "exchange", _("inter-agency exchange")
    DRAFTED = "drafted", _("drafted here")


class Status(models.TextChoices):
    # incoming
    PENDING = "pending", _("waiting for the clerk's acceptance")
    REGISTERED = "registered", _("registered, waiting for direction")
    IN_HANDLING = "in_handling", _("being handled")
    HANDLED = "handled", _("handled")
    REFUSED = "refused", _("refused")
    # outgoing
    DRAFTING = "drafting", _("being drafted")
    IN_REVIEW = "in_review", _("in review")
    APPROVED = "approved", _("approved, waiting for the signature")
    SIGNED = "signed", _("signed, waiting for issuance")
    ISSUED = "issued", _("issued")
    RECALLED = "recalled", _("recalled")


class HandledHow(models.TextChoices):
    ANSWERED = "answered", _("answered by an outgoing document")
    FILED = "filed", _("filed")
    INFORMED = "informed", _("taken note of")


@audited
class Document(models.Model):
    """An official document held by ``agency``: received (incoming) or drafted and issued (outgoing).

    For an incoming document ``register_number`` is its arrival number (số đến) in ``register`` and
    ``number_symbol`` what the sender wrote on it; for an outgoing one ``number_symbol`` is given at
    issuance from ``register`` (``123/QĐ-UBND``) and ``register_number`` is its number."""

    agency = models.ForeignKey(Agency, on_delete=models.PROTECT, related_name="documents")
    direction = models.CharField(_("direction"), max_length=10, choices=Direction.choices)
    status = models.CharField(_("status"), max_length=20, choices=Status.choices)
    source = models.CharField(_("source"), max_length=10, choices=Source.choices)
    register = models.ForeignKey(Register, on_delete=models.PROTECT, null=True, blank=True, related_name="documents")
    register_year = models.PositiveSmallIntegerField(_("register year"), null=True, blank=True)
    register_number = models.PositiveIntegerField(_("number in the register"), null=True, blank=True)
    # The series the number belongs to (an outgoing register numbers each type on its own, "QĐ"; "" for
    # one series): 01/QĐ and 01/KH of the same register and year are two documents.
    register_series = models.CharField(_("number series"), max_length=10, blank=True, default="")
    document_type = models.ForeignKey(DocumentType, on_delete=models.PROTECT, verbose_name=_("document type"))
    number_symbol = models.CharField(_("number and symbol"), max_length=60, blank=True)
    issued_on = models.DateField(_("date of the document"), null=True, blank=True)
    issuer_name = models.CharField(_("issuing agency"), max_length=255, blank=True)
    issuer_agency = models.ForeignKey(Agency, on_delete=models.SET_NULL, null=True, blank=True, related_name="+",
                                      verbose_name=_("issuing agency in the directory"))
    abstract = models.TextField(_("abstract (trích yếu)"), max_length=2000)
    signer_name = models.CharField(_("signed by"), max_length=200, blank=True)
    urgency = models.CharField(_("urgency"), max_length=12, choices=Urgency.choices, default=Urgency.NORMAL)
    confidentiality = models.CharField(_("confidentiality"), max_length=12, choices=Confidentiality.choices,
                                       default=Confidentiality.NORMAL)
    page_count = models.PositiveSmallIntegerField(_("number of pages"), null=True, blank=True)
    received_at = models.DateTimeField(_("received at"), null=True, blank=True)
    handling_due_on = models.DateField(_("to be handled by"), null=True, blank=True)
    handled_at = models.DateTimeField(_("handled at"), null=True, blank=True)
    handled_how = models.CharField(_("how it was handled"), max_length=10, choices=HandledHow.choices, blank=True)
    answered_by = models.ForeignKey("self", on_delete=models.SET_NULL, null=True, blank=True, related_name="answers",
                                    verbose_name=_("answered by"))
    # Outgoing: who drafts it, in which unit; body as structured text for the platform's own layout.
    drafting_unit = models.ForeignKey(OrgUnit, on_delete=models.SET_NULL, null=True, blank=True, related_name="+",
                                      verbose_name=_("drafting unit"))
    drafted_by = models.ForeignKey(settings.AUTH_USER_MODEL, on_delete=models.SET_NULL, null=True, blank=True,
                                   related_name="+", verbose_name=_("drafted by"))
    body = models.TextField(_("body"), blank=True)
    recipients_text = models.TextField(_("recipients (Nơi nhận)"), blank=True)
    signed_by = models.ForeignKey(settings.AUTH_USER_MODEL, on_delete=models.SET_NULL, null=True, blank=True,
                                  related_name="+")
    issued_at = models.DateTimeField(_("issued at"), null=True, blank=True)
    recalled_at = models.DateTimeField(_("recalled at"), null=True, blank=True)
    replaces = models.ForeignKey("self", on_delete=models.SET_NULL, null=True, blank=True, related_name="replaced_by",
                                 verbose_name=_("replaces"))
    # An outgoing draft written to answer an incoming document: issuing it marks that one handled.
    in_reply_to = models.ForeignKey("self", on_delete=models.SET_NULL, null=True, blank=True, related_name="replies",
                                    verbose_name=_("answers"))
    # What search reads: metadata, body, OCR text of the scans and attachments, folded (no accents,
    # lower case) so that "quyet dinh" finds "Quyết định" on every database (documents.search).
    search_text = models.TextField(blank=True, default="")
    # Same issuer, number and date: the same document arriving twice (paper and electronically).
    fingerprint = models.CharField(max_length=64, blank=True, db_index=True)
    exchange_id = models.CharField(_("exchange document id"), max_length=100, blank=True, db_index=True)
    created_by = models.ForeignKey(settings.AUTH_USER_MODEL, on_delete=models.PROTECT, related_name="+")
    created_at = models.DateTimeField(default=timezone.now)
    updated_at = models.DateTimeField(auto_now=True)
    revision = models.PositiveIntegerField(default=0)  # a form shown with an older revision is stale

    class Meta:
        ordering = ["-created_at", "-id"]
        verbose_name = _("document")
        verbose_name_plural = _("documents")
        indexes = [
            models.Index(fields=["agency", "direction", "status"]),
            models.Index(fields=["register", "register_year", "register_number"]),
            models.Index(fields=["handling_due_on"]),
            # The lists, newest first (the clerk's register, a tab): read in this order, each row checked
            # against who may read it (selectors.visible_documents), stopping after a page.
            models.Index(fields=["direction", "-created_at", "-id"], name="document_list_newest"),
        ]
        constraints = [models.UniqueConstraint(fields=["register", "register_year", "register_series", "register_number"],
                                               name="document_register_number_unique")]

    def __str__(self) -> str:
        return self.number_symbol or self.abstract[:60]

    @property
    def classified(self) -> bool:
        return self.confidentiality != Confidentiality.NORMAL


class FileKind(models.TextChoices):
    MAIN = "main", _("the document")
    ATTACHMENT = "attachment", _("attachment")
    DRAFT = "draft", _("draft version")
    SIGNED = "signed", _("signed version")
    ISSUED = "issued", _("issued version")


def _file_path(instance, filename: str) -> str:
    return f"documents/{instance.document.agency_id}/{timezone.now():%Y/%m}/{filename}"


@audited
class DocumentFile(models.Model):
    """A file of a document: the scan or received file, an attachment, or a version of a draft (every
    version kept: a new version never overwrites one)."""

    document = models.ForeignKey(Document, on_delete=models.CASCADE, related_name="files")
    kind = models.CharField(_("kind"), max_length=12, choices=FileKind.choices)
    version = models.PositiveSmallIntegerField(_("version"), default=1)
    file = models.FileField(upload_to=_file_path)
    original_name = models.CharField(_("file name"), max_length=255)
    content_type = models.CharField(max_length=100)
    size = models.PositiveIntegerField()
    sha256 = models.CharField(max_length=64, db_index=True)
    text = models.TextField(_("text (OCR or extracted)"), blank=True, default="")
    uploaded_by = models.ForeignKey(settings.AUTH_USER_MODEL, on_delete=models.PROTECT, related_name="+")
    uploaded_at = models.DateTimeField(default=timezone.now)
    note = models.CharField(_("note"), max_length=500, blank=True)

    class Meta:
        ordering = ["document", "kind", "version", "id"]
        verbose_name = _("document file")
        verbose_name_plural = _("document files")

    def __str__(self) -> str:
        return self.original_name


class AssignmentRole(models.TextChoices):
    MAIN = "main", _("handles (xử lý chính)")
    COOPERATE = "cooperate", _("cooperates (phối hợp)")
    INFORM = "inform", _("for information (để biết)")


@audited
class Assignment(models.Model):
    """Who handles an incoming document: the leader's direction (bút phê) gives it to a unit or a
    person, as main handler, cooperating or for information, with a deadline; a unit head passes
    it on inside the unit (``parent``). Done when its holder records how it was handled."""

    document = models.ForeignKey(Document, on_delete=models.CASCADE, related_name="assignments")
    parent = models.ForeignKey("self", on_delete=models.CASCADE, null=True, blank=True, related_name="children")
    role = models.CharField(_("role"), max_length=10, choices=AssignmentRole.choices)
    unit = models.ForeignKey(OrgUnit, on_delete=models.PROTECT, null=True, blank=True, related_name="+",
                             verbose_name=_("unit"))
    person = models.ForeignKey(settings.AUTH_USER_MODEL, on_delete=models.PROTECT, null=True, blank=True,
                               related_name="document_assignments", verbose_name=_("person"))
    due_on = models.DateField(_("deadline"), null=True, blank=True)
    note = models.TextField(_("direction (ý kiến chỉ đạo)"), blank=True)
    assigned_by = models.ForeignKey(settings.AUTH_USER_MODEL, on_delete=models.PROTECT, related_name="+")
    assigned_at = models.DateTimeField(default=timezone.now)
    done_at = models.DateTimeField(null=True, blank=True)
    done_note = models.TextField(blank=True)
    reminded_at = models.DateTimeField(null=True, blank=True)

    class Meta:
        ordering = ["assigned_at", "id"]
        # The inbox: open assignments of a person, or of a unit nobody in it holds yet.
        indexes = [
            models.Index(fields=["person", "due_on"], condition=models.Q(done_at__isnull=True),
                         name="assignment_open_person"),
            models.Index(fields=["unit", "due_on"], condition=models.Q(done_at__isnull=True, person__isnull=True),
                         name="assignment_open_unit"),
        ]
        verbose_name = _("handling assignment")
        verbose_name_plural = _("handling assignments")

    def __str__(self) -> str:
        return f"{self.document_id} {self.role}"


class ReviewState(models.TextChoices):
    PENDING = "pending", _("waiting")
    APPROVED = "approved", _("approved")
    RETURNED = "returned", _("returned with comments")


@audited
class ReviewStep(models.Model):
    """One reviewer of a draft, in order (unit head → deputy → leader). A return sends the draft back
    to its drafter with the comment; the next version starts the chain again."""

    document = models.ForeignKey(Document, on_delete=models.CASCADE, related_name="reviews")
    order = models.PositiveSmallIntegerField()
    reviewer = models.ForeignKey(settings.AUTH_USER_MODEL, on_delete=models.PROTECT, related_name="+")
    state = models.CharField(max_length=10, choices=ReviewState.choices, default=ReviewState.PENDING)
    version = models.PositiveSmallIntegerField(_("version reviewed"), default=1)
    comment = models.TextField(_("comment"), blank=True)
    acted_at = models.DateTimeField(null=True, blank=True)

    class Meta:
        ordering = ["document", "version", "order"]
        verbose_name = _("review step")
        verbose_name_plural = _("review steps")

    def __str__(self) -> str:
        return f"{self.document_id} v{self.version} #{self.order} {self.state}"


@audited
class Comment(models.Model):
    document = models.ForeignKey(Document, on_delete=models.CASCADE, related_name="comments")
    author = models.ForeignKey(settings.AUTH_USER_MODEL, on_delete=models.PROTECT, related_name="+")
    version = models.PositiveSmallIntegerField(null=True, blank=True)
    text = models.TextField(_("comment"))
    created_at = models.DateTimeField(default=timezone.now)

    class Meta:
        ordering = ["created_at", "id"]

    def __str__(self) -> str:
        return self.text[:60]


class Channel(models.TextChoices):
    INTERNAL = "internal", _("inside the agency")
    EXCHANGE = "exchange", _("inter-agency exchange")
    EMAIL = "email", _("e-mail")


@audited
class Distribution(models.Model):
    """Where an issued document went (Nơi nhận): a unit of the agency (in the app), another agency
    (through the exchange), an e-mail address; when it was sent and, inside, read."""

    document = models.ForeignKey(Document, on_delete=models.CASCADE, related_name="distributions")
    channel = models.CharField(max_length=10, choices=Channel.choices)
    unit = models.ForeignKey(OrgUnit, on_delete=models.PROTECT, null=True, blank=True, related_name="+")
    agency = models.ForeignKey(Agency, on_delete=models.PROTECT, null=True, blank=True, related_name="+")
    email = models.EmailField(blank=True)
    sent_at = models.DateTimeField(null=True, blank=True)
    read_at = models.DateTimeField(null=True, blank=True)
    status = models.CharField(max_length=20, blank=True)  # the exchange's status code, or "sent"/"failed"
    created_at = models.DateTimeField(default=timezone.now)

    class Meta:
        ordering = ["created_at", "id"]

    def __str__(self) -> str:
        return f"{self.document_id} → {self.unit_id or self.agency_id or self.email}"
