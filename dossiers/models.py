"""Dossiers (hồ sơ thủ tục hành chính): what an applicant submits and what happens to it."""

import uuid

from django.conf import settings
from django.db import models
from django.utils.translation import gettext
from django.utils.translation import gettext_lazy as _

from audit.registry import audited
from directory.models import Agency, OrgUnit
from egov.crypto import EncryptedTextField, LookupHashField
from procedures.models import PaperRequirement, ProcedureVersion
from workdays.years import is_provisional

from .states import Status


class Outcome(models.TextChoices):
    """How a dossier ended (Decree 118/2025/NĐ-CP): settled early, on time or late; refused; withdrawn;
    processing stopped."""

    EARLY = "early", _("settled early")
    ON_TIME = "on_time", _("settled on time")
    LATE = "late", _("settled late")
    REFUSED = "refused", _("refused")
    WITHDRAWN = "withdrawn", _("withdrawn")
    STOPPED = "stopped", _("processing stopped")  # dừng giải quyết (Decree 118/2025/NĐ-CP)


class Channel(models.TextChoices):
    """How the dossier reached the one-stop department (Decree 118/2025/NĐ-CP): online, in person at a
    desk, by public post, or from a connected system. A person acting under an authorisation uses
    any of them; the dossier records them as its representative."""

    ONLINE = "online", _("online")
    COUNTER = "counter", _("at the counter")
    POST = "post", _("by public post")
    API = "api", _("through a connected system")


class ReturnMethod(models.TextChoices):
    """Where the applicant chose to receive the result."""

    DESK = "desk", _("at a one-stop desk or service centre")
    POST = "post", _("by public post")
    ONLINE = "online", _("online")


@audited
class Dossier(models.Model):
    code = models.CharField(_("dossier code"), max_length=40, unique=True, null=True, blank=True)
    procedure_version = models.ForeignKey(
        ProcedureVersion, verbose_name=_("procedure"), on_delete=models.PROTECT, related_name="dossiers"
    )
    # The agency that settles it (and, unless a service centre received it, received it too).
    agency = models.ForeignKey(Agency, verbose_name=_("settling agency"), on_delete=models.PROTECT,
                               related_name="dossiers")
    unit = models.ForeignKey(OrgUnit, verbose_name=_("unit"), null=True, blank=True, on_delete=models.PROTECT)
    applicant = models.ForeignKey(settings.AUTH_USER_MODEL, verbose_name=_("applicant"), on_delete=models.PROTECT,
                                  related_name="dossiers")
    # Who the dossier is for, as given at submission (personal data: never logged).
    applicant_name = models.CharField(_("applicant's name"), max_length=150)
    # Identification numbers, phones and addresses are encrypted at rest; the applicant's number has a
    # keyed hash for the office's search (ADR 0050).
    applicant_id_number = EncryptedTextField(_("citizen ID number"), max_length=12, blank=True)
    applicant_id_number_hash = LookupHashField(source="applicant_id_number", kind="id-number")
    applicant_phone = EncryptedTextField(_("phone"), max_length=20, blank=True)
    applicant_email = models.EmailField(_("e-mail"), blank=True)
    applicant_address = EncryptedTextField(_("address"), max_length=255, blank=True)

    # Acting for the applicant (ủy quyền): the representative and the authorisation they hold; the
    # account that submitted, when it is not the applicant's; the organisation applying.
    representative_name = models.CharField(_("representative's name"), max_length=150, blank=True)
    representative_id_number = EncryptedTextField(_("representative's ID number"), max_length=12, blank=True)
    representative_phone = EncryptedTextField(_("representative's phone"), max_length=20, blank=True)
    authorisation = models.CharField(_("authorisation"), max_length=255, blank=True,
                                     help_text=_("Number and date of the authorisation document"))
    submitted_by = models.ForeignKey(settings.AUTH_USER_MODEL, verbose_name=_("submitted by"), null=True,
                                     blank=True, on_delete=models.PROTECT, related_name="dossiers_submitted")
    organisation = models.ForeignKey("accounts.Organisation", verbose_name=_("organisation"), null=True,
                                     blank=True, on_delete=models.PROTECT, related_name="dossiers")

    # Receiving anywhere (Decree 118/2025/NĐ-CP): the centre and point that received it (empty: the
    # settling agency's own desk), where the result goes back, and the post's hand-over.
    receiving_centre = models.ForeignKey("directory.ServiceCentre", verbose_name=_("received at centre"),
                                         null=True, blank=True, on_delete=models.PROTECT,
                                         related_name="dossiers_received")
    reception_point = models.ForeignKey("directory.ReceptionPoint", verbose_name=_("reception point"),
                                        null=True, blank=True, on_delete=models.PROTECT, related_name="+")
    return_method = models.CharField(_("result returned"), max_length=10, choices=ReturnMethod.choices,
                                     default=ReturnMethod.DESK)
    return_centre = models.ForeignKey("directory.ServiceCentre", verbose_name=_("result returned at centre"),
                                      null=True, blank=True, on_delete=models.PROTECT,
                                      related_name="dossiers_returned")
    post_item = models.CharField(_("postal item number"), max_length=40, blank=True,
                                 help_text=_("The post's item number when it was sent by public post"))
    # Sổ theo dõi hồ sơ (Mẫu 07): the entry in the register of the one-stop department that received it.
    register_year = models.PositiveSmallIntegerField(_("register year"), null=True, blank=True)
    register_number = models.PositiveIntegerField(_("register entry"), null=True, blank=True)

    form_data = models.JSONField(_("form"), default=dict, blank=True)
    status = models.CharField(_("status"), max_length=20, choices=Status.choices, default=Status.DRAFT,
                              db_index=True)
    channel = models.CharField(_("channel"), max_length=10, choices=Channel.choices, default=Channel.ONLINE)
    fee_amount = models.PositiveBigIntegerField(_("fees (VND)"), default=0)
    # A retry with the same key returns the dossier made the first time (API and HTML alike).
    submission_key = models.UUIDField(default=uuid.uuid4, editable=False)
    created_at = models.DateTimeField(auto_now_add=True)
    updated_at = models.DateTimeField(auto_now=True)
    submitted_at = models.DateTimeField(_("submitted at"), null=True, blank=True, db_index=True)
    # By when the desk must accept, refuse or ask to supplement a dossier submitted online.
    intake_due_at = models.DateTimeField(_("intake due at"), null=True, blank=True)
    # The one-stop form set (and so the legal basis) in force when it was submitted (legal app).
    form_set = models.ForeignKey("legal.FormSet", verbose_name=_("form set"), null=True, blank=True,
                                 on_delete=models.PROTECT, related_name="+")
    received_at = models.DateTimeField(_("received at"), null=True, blank=True)
    due_at = models.DateTimeField(_("due at"), null=True, blank=True)
    finished_at = models.DateTimeField(_("finished at"), null=True, blank=True)
    result_ready_at = models.DateTimeField(_("result ready at"), null=True, blank=True)
    outcome = models.CharField(_("outcome"), max_length=10, choices=Outcome.choices, blank=True, db_index=True)
    # While the applicant or a legal reason holds the dossier the legal clock stops (Decree 61/2018).
    clock_stopped_at = models.DateTimeField(_("clock stopped at"), null=True, blank=True)
    process = models.ForeignKey("processes.ProcessDefinition", verbose_name=_("internal process"), null=True,
                                blank=True, on_delete=models.PROTECT, related_name="dossiers")
    current_step = models.ForeignKey("DossierStep", null=True, blank=True, on_delete=models.SET_NULL,
                                     related_name="+")
    current_agency = models.ForeignKey(Agency, verbose_name=_("agency handling it now"), null=True, blank=True,
                                       on_delete=models.PROTECT, related_name="dossiers_at_hand")
    assignee = models.ForeignKey(settings.AUTH_USER_MODEL, verbose_name=_("official in charge"), null=True,
                                 blank=True, on_delete=models.PROTECT, related_name="assigned_dossiers")
    apology_due_at = models.DateTimeField(_("new appointment (apology letter)"), null=True, blank=True)
    rating = models.PositiveSmallIntegerField(_("satisfaction"), null=True, blank=True)
    rating_comment = models.TextField(_("comment"), blank=True)
    # Optimistic lock: every state change bumps it; a stale writer is refused.
    revision = models.PositiveIntegerField(default=0)

    class Meta:
        ordering = ["-submitted_at", "-created_at"]
        verbose_name = _("dossier")
        verbose_name_plural = _("dossiers")
        constraints = [
            models.UniqueConstraint(fields=["applicant", "submission_key"], name="dossier_submission_key_unique"),
        ]
        indexes = [
            models.Index(fields=["applicant", "status"]),
            # The officials' work lists (dossiers.office.queues): a tab is a state, by deadline, of the
            # dossiers of an agency or unit, or held by an agency now; one index for each (bench/scale.py).
            models.Index(fields=["agency", "status", "due_at"], name="dossier_agency_work_idx"),
            models.Index(fields=["unit", "status", "due_at"], name="dossier_unit_work_idx"),
            models.Index(fields=["current_agency", "status", "due_at"]),
            # Covering index for the settlement report (reports.queries): a report scoped to some
            # agencies reads the index, not the table (PostgreSQL; SQLite ignores "include").
            models.Index(fields=["agency", "submitted_at"], name="dossier_report_idx",
                         include=["id", "unit", "procedure_version", "status", "channel", "received_at", "due_at",
                                  "result_ready_at", "finished_at", "outcome", "clock_stopped_at"]),
        ]

    def __str__(self) -> str:
        return self.code or f"draft #{self.pk}"

    @property
    def due_is_provisional(self) -> bool:
        """The due moment falls in a future year whose official holiday plan is not entered yet."""
        return is_provisional(self.due_at)

    @property
    def procedure(self):
        return self.procedure_version.procedure

    @property
    def applicable_form_set(self):
        """The one-stop form set of this dossier: the one recorded at submission, else (dossiers
        submitted before form sets were recorded) the one in force on its submission day."""
        if self.form_set_id:
            return self.form_set
        from django.utils import timezone

        from legal.selectors import form_set_on

        return form_set_on(timezone.localdate(self.submitted_at or self.created_at or timezone.now()))


def dossier_file_path(instance, filename: str) -> str:
    # Random names: nothing about the applicant in the storage key; access goes through a view.
    return f"dossiers/{instance.uploaded_at:%Y/%m}/{uuid.uuid4().hex}.{instance.extension}"


class FilePurpose(models.TextChoices):
    PAPER = "paper", _("paper of the dossier")
    SUPPLEMENT = "supplement", _("supplement")
    RESULT = "result", _("result")
    # The answer of an agency on another system that settled a step (exchange.dossiers).
    ANSWER = "answer", _("answer of another agency")
    SLIP = "slip", _("slip")
    RECEIPT = "receipt", _("receipt")


@audited
class DossierFile(models.Model):
    dossier = models.ForeignKey(Dossier, on_delete=models.PROTECT, related_name="files")
    requirement = models.ForeignKey(PaperRequirement, null=True, blank=True, on_delete=models.PROTECT)
    purpose = models.CharField(max_length=12, choices=FilePurpose.choices, default=FilePurpose.PAPER)
    file = models.FileField(upload_to=dossier_file_path, max_length=255)
    original_name = models.CharField(_("file name"), max_length=255)
    extension = models.CharField(max_length=10)
    content_type = models.CharField(max_length=100)
    size = models.PositiveBigIntegerField()
    sha256 = models.CharField(max_length=64, db_index=True)  # a verification link names a result by it
    uploaded_by = models.ForeignKey(settings.AUTH_USER_MODEL, on_delete=models.PROTECT, related_name="+")
    uploaded_at = models.DateTimeField()
    replaced = models.BooleanField(default=False)
    # Set when the clerk issues a result: its number (Decree 30/2020/NĐ-CP), e.g. "07/STP".
    issue_number = models.CharField(_("number"), max_length=40, blank=True)

    class Meta:
        ordering = ["uploaded_at"]
        verbose_name = _("dossier file")
        verbose_name_plural = _("dossier files")

    def __str__(self) -> str:
        return self.original_name

    @property
    def download_name(self) -> str:
        """The name it is served under: the uploaded name ending with the extension of the type
        its content was found to be (never "to-khai.html" for a PDF)."""
        from .uploads import EXTENSION, named_as

        kind = next((k for k, extension in EXTENSION.items() if extension == self.extension), None)
        return named_as(self.original_name, kind) if kind else self.original_name

    @property
    def agency_id(self):
        return self.dossier.agency_id


class DossierEvent(models.Model):
    """One line of the dossier's timeline. ``note`` is for officials; the applicant (timeline,
    e-mail, SMS, API) sees it through ``applicant_note``, empty when the note is ``internal`` (a
    leader's remark at approval is never shown to the applicant)."""

    dossier = models.ForeignKey(Dossier, on_delete=models.CASCADE, related_name="events")
    at = models.DateTimeField(db_index=True)
    status = models.CharField(max_length=20, choices=Status.choices)
    from_status = models.CharField(max_length=20, choices=Status.choices, blank=True)
    actor = models.ForeignKey(settings.AUTH_USER_MODEL, null=True, blank=True, on_delete=models.PROTECT,
                              related_name="+")
    note = models.TextField(blank=True)
    internal = models.BooleanField(default=False)

    class Meta:
        ordering = ["at", "id"]
        indexes = [models.Index(fields=["at"], name="dossierevent_supplement_idx", include=["dossier"],
                                condition=models.Q(status="supplement"))]

    def __str__(self) -> str:
        return f"{self.dossier} → {self.status}"

    @property
    def applicant_note(self) -> str:
        return "" if self.internal else self.note


class DossierStep(models.Model):
    """One period of a dossier with one holder: a line of the process-control slip (Mẫu 05)."""

    class Timeliness(models.TextChoices):
        EARLY = "early", _("early")
        ON_TIME = "on_time", _("on time")
        LATE = "late", _("late")

    dossier = models.ForeignKey(Dossier, on_delete=models.CASCADE, related_name="steps")
    step = models.ForeignKey("processes.ProcessStep", null=True, blank=True, on_delete=models.PROTECT)
    order = models.PositiveSmallIntegerField()
    name = models.CharField(max_length=200)
    agency = models.ForeignKey(Agency, on_delete=models.PROTECT, related_name="+")
    unit = models.ForeignKey(OrgUnit, null=True, blank=True, on_delete=models.PROTECT, related_name="+")
    role = models.CharField(max_length=20, blank=True)
    assignee = models.ForeignKey(settings.AUTH_USER_MODEL, null=True, blank=True, on_delete=models.PROTECT,
                                 related_name="+")
    received_at = models.DateTimeField()
    due_at = models.DateTimeField()
    handed_at = models.DateTimeField(null=True, blank=True)
    handed_by = models.ForeignKey(settings.AUTH_USER_MODEL, null=True, blank=True, on_delete=models.PROTECT,
                                  related_name="+")
    action = models.CharField(max_length=20, blank=True)
    note = models.TextField(blank=True)
    timeliness = models.CharField(max_length=8, choices=Timeliness.choices, blank=True)
    warned_at = models.DateTimeField(null=True, blank=True)  # "due soon" warning sent

    class Meta:
        ordering = ["received_at", "id"]
        indexes = [
            models.Index(fields=["agency", "handed_at", "due_at"]),
            # The open steps nobody holds yet, by place and role, and those an official holds: what
            # "in my hands" and "to assign" count, up to their cap (decision 0057).
            models.Index(fields=["agency", "role", "unit"], name="step_open_free_idx",
                         condition=models.Q(handed_at__isnull=True, assignee__isnull=True)),
            models.Index(fields=["assignee"], name="step_open_held_idx", condition=models.Q(handed_at__isnull=True)),
        ]

    def __str__(self) -> str:
        return f"{self.dossier} {self.order}. {self.name}"

    @property
    def agency_id_for_scope(self) -> int:
        return self.agency_id


@audited
class Slip(models.Model):
    """Official slips of the one-stop process, as PDFs. ``form`` says what the slip is (its values are
    the numbers of Circular 01/2018/TT-VPCP, kept for the rows already stored); the number and title
    printed come from the dossier's form set (legal.FormSet): Circular 03/2025/TT-VPCP numbers the
    process-control slip 06, for example."""

    class Form(models.TextChoices):
        RECEIPT = "01", _("receipt and appointment")
        SUPPLEMENT = "02", _("request to supplement")
        REFUSAL = "03", _("refusal to accept")
        APOLOGY = "04", _("apology and new appointment")
        CONTROL = "05", _("process-control slip")
        STOP = "stop", _("notice that processing stops")  # Mẫu 05 of Circular 03/2025
        NOTICE = "notice", _("notice of refusal to settle")  # after examination: a written answer, with reasons

    KINDS = {Form.RECEIPT: "receipt", Form.SUPPLEMENT: "supplement", Form.REFUSAL: "refusal",
             Form.APOLOGY: "apology", Form.CONTROL: "control", Form.STOP: "stop", Form.NOTICE: "notice"}

    dossier = models.ForeignKey(Dossier, on_delete=models.PROTECT, related_name="slips")
    form = models.CharField(max_length=10, choices=Form.choices)
    created_at = models.DateTimeField(auto_now_add=True)
    created_by = models.ForeignKey(settings.AUTH_USER_MODEL, null=True, blank=True, on_delete=models.PROTECT,
                                   related_name="+")
    content = models.JSONField(default=dict)  # what the slip says (reasons, missing papers, dates)
    file = models.FileField(upload_to="slips/%Y/%m/", blank=True)
    approved_by = models.ForeignKey(settings.AUTH_USER_MODEL, null=True, blank=True, on_delete=models.PROTECT,
                                    related_name="+")
    approved_at = models.DateTimeField(null=True, blank=True)

    class Meta:
        ordering = ["created_at", "id"]

    def __str__(self) -> str:
        return f"{self.dossier} Mẫu {self.form}"

    @property
    def kind(self) -> str:
        """What the slip is, in the terms of legal.models.SLIP_KINDS."""
        return self.KINDS[self.Form(self.form)]

    @property
    def label(self) -> str:
        """The slip's name on screen: its number and title in the dossier's form set ("Mẫu số 06 –
        Phiếu kiểm soát quá trình giải quyết hồ sơ"), or, for a slip no form set numbers (the notice
        of refusal after examination), what it is."""
        form_set = self.dossier.applicable_form_set
        if form_set.has(self.kind):
            return gettext("Form %(number)s – %(title)s") % {"number": form_set.number(self.kind),
                                                            "title": form_set.title(self.kind)}
        return str(self.get_form_display())

    @property
    def agency_id(self):
        return self.dossier.agency_id


class IssueSequence(models.Model):
    """Numbers of issued results, per issuing agency and register (a civil-status book has its own),
    restarting on 1 January (Decree 30/2020). ``register`` is empty for the agency's general register."""

    agency = models.ForeignKey(Agency, on_delete=models.CASCADE)
    year = models.PositiveSmallIntegerField()
    register = models.CharField(max_length=100, blank=True, default="")
    last = models.PositiveIntegerField(default=0)

    class Meta:
        constraints = [models.UniqueConstraint(fields=["agency", "year", "register"], name="issue_sequence_unique")]

    def __str__(self) -> str:
        return f"{self.agency_id} {self.year} {self.last}"


class DailySequence(models.Model):
    """Counter behind the dossier code's daily sequence number, per receiving agency."""

    agency = models.ForeignKey(Agency, on_delete=models.CASCADE)
    day = models.DateField()
    last = models.PositiveIntegerField(default=0)

    class Meta:
        constraints = [models.UniqueConstraint(fields=["agency", "day"], name="daily_sequence_unique")]

    def __str__(self) -> str:
        return f"{self.agency_id} {self.day} {self.last}"


class RegisterSequence(models.Model):
    """Entry numbers of the dossier register (Sổ theo dõi hồ sơ) of a one-stop department, per year:
    the department is the receiving centre's agency or, without a centre, the settling agency."""

    agency = models.ForeignKey(Agency, on_delete=models.CASCADE)
    year = models.PositiveSmallIntegerField()
    last = models.PositiveIntegerField(default=0)

    class Meta:
        constraints = [models.UniqueConstraint(fields=["agency", "year"], name="register_sequence_unique")]

    def __str__(self) -> str:
        return f"{self.agency_id} {self.year} {self.last}"
