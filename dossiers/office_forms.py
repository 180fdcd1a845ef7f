"""Forms of the officials' workspace for the one-stop back office (một cửa): one small form per
action of ``dossiers.workflow``, the queue's filters and the counter intake.

Every action form carries the dossier's revision as the page showed it, so that two officials
acting at once cannot both succeed (the service refuses the second with StaleDossier).
"""


from django import forms
from django.core.exceptions import ValidationError
from django.utils import timezone
from django.utils.translation import gettext_lazy as _

from accounts.models import User
from directory.models import Membership, OrgUnit, Role
from directory.scope import ROLE_REACH, Action, Reach, visible
from egov.forms import Form
from procedures.eform import id_number_validator, phone_validator
from procedures.models import Procedure
from processes.models import ProcessStep
from workdays import calendar

from .states import Status

# --- who can take a step -------------------------------------------------------------------


def officials_holding(role: str, agency_id: int, unit_id: int | None = None):
    """Active officials holding ``role`` in the agency (and unit, if given) today: those
    ``workflow.assign`` and ``may_act_on_step`` accept for a step."""
    memberships = Membership.objects.valid_on().filter(agency_id=agency_id)
    if unit_id:
        memberships = memberships.filter(unit_id=unit_id)
    ids = {m.official_id for m in memberships.only("official_id", "roles") if role in m.roles}
    return User.objects.filter(pk__in=ids, is_active=True).order_by("full_name", "username")


def unit_scoped(role: str) -> bool:
    """Roles that act only within their own unit: their step must name a unit."""
    return ROLE_REACH.get(role, {}).get(Action.ACT) == Reach.UNIT


def _style(form) -> None:
    """Bootstrap classes for fields added after the form's own __init__ (which styles the rest)."""
    for field in form.fields.values():
        widget = field.widget
        if "class" in widget.attrs or isinstance(widget, forms.HiddenInput):
            continue
        if isinstance(widget, forms.RadioSelect | forms.CheckboxInput):
            widget.attrs["class"] = "form-check-input"
        else:
            widget.attrs["class"] = "form-select" if isinstance(widget, forms.Select) else "form-control"


class OfficialChoiceField(forms.ModelChoiceField):
    def label_from_instance(self, obj):
        return obj.get_full_name()


class UnitChoiceField(forms.ModelChoiceField):
    def label_from_instance(self, obj):
        return obj.name


def _unit_field(step: ProcessStep | None, agency_id: int, label) -> UnitChoiceField | None:
    """The unit a step goes to, when the step's role works inside one unit: fixed by the
    process when it names one (offered as the default), chosen here otherwise."""
    role = step.role if step else Role.SPECIALIST  # the default process starts with a specialist
    if not unit_scoped(role):
        return None
    doing = step.doing_agency_id if step else agency_id
    field = UnitChoiceField(queryset=OrgUnit.objects.filter(agency_id=doing, active=True).order_by("name"),
                            label=label, required=not (step and step.unit_id), empty_label="—")
    if step and step.unit_id:
        field.initial = step.unit_id
        field.help_text = _("The internal process sends it to this unit; change it only if needed.")
    return field


# --- action forms -------------------------------------------------------------------------


class ActionForm(Form):
    revision = forms.IntegerField(widget=forms.HiddenInput, min_value=0)

    def __init__(self, *args, dossier, user, **kwargs):
        self.dossier, self.user = dossier, user
        kwargs.setdefault("initial", {})
        kwargs["initial"].setdefault("revision", dossier.revision)
        super().__init__(*args, **kwargs)
        self.setup()
        _style(self)

    def setup(self) -> None:
        """Add the fields that depend on the dossier and the user."""


def _lines(text: str) -> list[str]:
    return [line.strip() for line in text.splitlines() if line.strip()]


class AcceptForm(ActionForm):
    def setup(self):
        field = _unit_field(self.first_step(), self.dossier.agency_id, _("Unit that examines the dossier"))
        if field is not None:
            self.fields["unit"] = field

    def first_step(self) -> ProcessStep | None:
        from processes.services import in_force

        definition = in_force(self.dossier.procedure_version.procedure, self.dossier.agency)
        return definition.steps.order_by("order").first() if definition else None


class SupplementForm(ActionForm):
    missing = forms.CharField(label=_("What the applicant must supplement (one item per line)"),
                              widget=forms.Textarea(attrs={"rows": 3}), max_length=4000)
    note = forms.CharField(label=_("Note to the applicant"), required=False, max_length=2000,
                           widget=forms.Textarea(attrs={"rows": 2}))

    def clean_missing(self):
        items = _lines(self.cleaned_data["missing"])
        if not items:
            raise ValidationError(_("List what the applicant must supplement."))
        return items


class ReasonsForm(ActionForm):
    reasons = forms.CharField(label=_("Reasons"), widget=forms.Textarea(attrs={"rows": 3}), max_length=4000)


class NoteForm(ActionForm):
    note = forms.CharField(label=_("Note"), required=False, max_length=2000, widget=forms.Textarea(attrs={"rows": 2}))


class RequiredNoteForm(ActionForm):
    note = forms.CharField(label=_("Why does the dossier go back?"), max_length=2000,
                           widget=forms.Textarea(attrs={"rows": 2}))


class PauseForm(ActionForm):
    reason = forms.CharField(label=_("Legal reason for pausing"), max_length=2000,
                             widget=forms.Textarea(attrs={"rows": 2}))


class StopForm(ActionForm):
    reason = forms.CharField(label=_("Reason for stopping (told to the applicant)"), max_length=2000,
                             widget=forms.Textarea(attrs={"rows": 2}))


class ForwardForm(NoteForm):
    def setup(self):
        step = self.next_step()
        if step is None:
            return
        unit = _unit_field(step, step.doing_agency_id, _("Unit of the next step"))
        if unit is not None:
            self.fields["unit"] = unit
        unit_id = step.unit_id
        if unit is not None and self.is_bound:
            chosen = str(self.data.get(self.add_prefix("unit")) or "")
            unit_id = int(chosen) if chosen.isdigit() else unit_id
        self.fields["assignee"] = OfficialChoiceField(
            queryset=officials_holding(step.role, step.doing_agency_id, int(unit_id) if unit_id else None),
            label=_("Official in charge of the next step (optional)"), required=False, empty_label="—")
        self.fields["note"] = self.fields.pop("note")

    def next_step(self) -> ProcessStep | None:
        line = self.dossier.current_step
        if line is None or line.step_id is None or self.dossier.process_id is None:
            return None
        return (self.dossier.process.steps.filter(order__gt=line.step.order).select_related("definition")
                .order_by("order").first())


class AssignForm(NoteForm):
    def setup(self):
        line = self.dossier.current_step
        self.fields["assignee"] = OfficialChoiceField(
            queryset=officials_holding(line.role, line.agency_id, line.unit_id), label=_("Official in charge"))
        self.fields["note"] = self.fields.pop("note")


class ReturnResultForm(ActionForm):
    how = forms.ChoiceField(label=_("How is the result returned?"), widget=forms.RadioSelect, initial="online",
                            choices=[("online", _("Electronically: the applicant downloads it")),
                                     ("counter", _("Handed over at the counter"))])

    def setup(self):
        from .policy import result_stage

        if result_stage(self.dossier) != "issued":  # settled on paper: nothing to download
            self.fields["how"].choices = [("counter", _("Handed over at the counter"))]
            self.fields["how"].initial = "counter"


class ApologyForm(ActionForm):
    reason = forms.CharField(label=_("Why the dossier will be late"), max_length=2000,
                             widget=forms.Textarea(attrs={"rows": 2}))
    new_due_at = forms.DateTimeField(label=_("New appointment"), input_formats=["%Y-%m-%dT%H:%M"],
                                     widget=forms.DateTimeInput(attrs={"type": "datetime-local"},
                                                                format="%Y-%m-%dT%H:%M"))

    def setup(self):
        if self.dossier.due_at and not self.is_bound:
            proposal = calendar.add_working_days(max(self.dossier.due_at, timezone.now()), 1)
            self.initial.setdefault("new_due_at", timezone.localtime(proposal).replace(second=0, microsecond=0))


class PlainActionForm(ActionForm):
    """Actions that need nothing but the confirmation (resume, approve the apology letter…)."""


def otp_enrolment_hint(user) -> str:
    """For an official with no one-time-code device yet: where to set one up (signing needs it),
    as help text with a link; "" for the others."""
    from django.urls import reverse
    from django.utils.html import format_html

    from accounts.services import confirmed_totp
    from signing.services import OTP_ENROLMENT_URL

    if user is None or not user.is_authenticated or confirmed_totp(user) is not None:
        return ""
    return format_html('{} <a href="{}">{}</a>', _("You have no one-time code yet; signing needs one."),
                       reverse(OTP_ENROLMENT_URL), _("Set up two-step sign-in"))


def offer_enrolment(form, user) -> None:
    """Without a device the code cannot be typed: the field says where to get one, and leaving it
    empty lets the password be checked and ``signing.services.confirm`` say the same."""
    hint = otp_enrolment_hint(user)
    if hint:
        form.fields["otp_token"].help_text = hint
        form.fields["otp_token"].required = False


class SignatureConfirmationForm(ActionForm):
    """Signing needs a fresh confirmation: password and one-time code (signing.services.confirm).
    Neither is ever kept after a failed attempt (dossiers.office.keep)."""

    password = forms.CharField(label=_("Your password"), strip=False,
                               widget=forms.PasswordInput(attrs={"autocomplete": "current-password"}))
    otp_token = forms.CharField(label=_("One-time code"), max_length=8,
                                widget=forms.TextInput(attrs={"autocomplete": "one-time-code", "inputmode": "numeric"}))

    def setup(self):
        offer_enrolment(self, self.user)


# --- queue ----------------------------------------------------------------------------------


class QueueFilterForm(Form):
    procedure = forms.ModelChoiceField(queryset=Procedure.objects.none(), required=False, label=_("Procedure"),
                                       empty_label=_("All procedures"))
    status = forms.ChoiceField(label=_("Status"), required=False)
    deadline = forms.ChoiceField(label=_("Deadline"), required=False, choices=[
        ("", _("Any deadline")), ("due_soon", _("Due within 1 working day")), ("overdue", _("Overdue"))])
    q = forms.CharField(label=_("Dossier code or applicant's name"), required=False, max_length=100,
                        widget=forms.TextInput(attrs={"type": "search"}))

    def __init__(self, *args, procedures, **kwargs):
        super().__init__(*args, **kwargs)
        self.fields["procedure"].queryset = procedures
        self.fields["procedure"].label_from_instance = lambda p: str(p)
        self.fields["status"].choices = [("", _("Any status"))] + [
            (value, label) for value, label in Status.choices if value != Status.DRAFT]


class BulkAssignForm(Form):
    assignee = OfficialChoiceField(queryset=User.objects.none(), label=_("Assign the selected dossiers to"))
    note = forms.CharField(label=_("Note"), required=False, max_length=2000)

    def __init__(self, *args, user, **kwargs):
        super().__init__(*args, **kwargs)
        memberships = visible(user, Membership.objects.valid_on(), Action.ASSIGN)
        self.fields["assignee"].queryset = User.objects.filter(
            pk__in=memberships.values("official_id"), is_active=True).order_by("full_name", "username")


# --- counter intake -------------------------------------------------------------------------


class CounterStartForm(Form):
    procedure = forms.ModelChoiceField(queryset=Procedure.objects.none(), label=_("Procedure"))
    agency = forms.ModelChoiceField(queryset=None, label=_("Agency that settles the dossier"))
    centre = forms.ModelChoiceField(queryset=None, label=_("Received at"), required=False)

    def __init__(self, *args, procedures, agencies, centres, own_desks, **kwargs):
        """``own_desks``: the agencies whose own desk the official staffs (offered first);
        ``centres``: the service centres they staff, where any agency's dossier is received."""
        super().__init__(*args, **kwargs)
        self.fields["procedure"].queryset = procedures
        self.fields["procedure"].label_from_instance = lambda p: str(p)
        self.fields["agency"].queryset = agencies
        if len(agencies) == 1:
            self.fields["agency"].widget = forms.HiddenInput()
        own = agencies[0] if len(agencies) == 1 else own_desks.first()
        self.fields["agency"].initial = own.pk if own else None
        centre = self.fields["centre"]
        centre.queryset = centres
        centre.label_from_instance = lambda c: c.name
        centre.empty_label = _("The agency's own one-stop desk") if own_desks.exists() else None
        centre.required = not own_desks.exists()
        if not centres.exists():
            del self.fields["centre"]
        else:
            centre.initial = centres[0].pk


class CounterApplicantForm(Form):
    """The walk-in applicant, as on their citizen ID card."""

    applicant_name = forms.CharField(label=_("Applicant's full name"), max_length=150)
    applicant_id_number = forms.CharField(label=_("Citizen ID number"), max_length=12,
                                          validators=[id_number_validator],
                                          help_text=_("12 digits, as on the citizen ID card"))
    applicant_phone = forms.CharField(label=_("Phone"), max_length=20, validators=[phone_validator])
    applicant_email = forms.EmailField(label=_("E-mail (optional)"), required=False,
                                       help_text=_("If the applicant has a portal account with this e-mail, "
                                                   "the dossier appears in it."))
    applicant_address = forms.CharField(label=_("Address"), max_length=255)

    def __init__(self, *args, first_step=None, agency_id=None, **kwargs):
        super().__init__(*args, **kwargs)
        field = _unit_field(first_step, agency_id, _("Unit that examines the dossier"))
        if field is not None:
            self.fields["unit"] = field
        _style(self)


class PapersForm(Form):
    """One file input per paper of the procedure (the scans made at the counter)."""

    def __init__(self, *args, version, **kwargs):
        super().__init__(*args, **kwargs)
        self.requirements = {}
        for paper in version.papers.all():
            name = f"paper_{paper.pk}"
            types = paper.accepted_types or ["pdf"]
            extensions = [f".{t}" for t in types] + ([".jpg"] if "jpeg" in types else [])
            self.fields[name] = forms.FileField(
                label=paper.name, required=paper.required,
                help_text=_("%(types)s, at most %(mb)s MB") % {
                    "types": ", ".join(t.upper() for t in types), "mb": paper.max_size_mb},
                widget=forms.FileInput(attrs={"class": "form-control", "accept": ",".join(extensions)}))
            self.requirements[name] = paper.pk
        # Số hóa (ADR 0044): the scans go into the applicant's data store once the officer confirms them.
        self.fields["digitised"] = forms.BooleanField(
            label=_("I confirm that I compared these scans with the original papers and that they are faithful "
                    "to them (they go into the applicant's data store)."), required=False,
            widget=forms.CheckboxInput(attrs={"class": "form-check-input"}))

    def uploads(self) -> dict[int, object]:
        return {self.requirements[name]: upload for name, upload in self.cleaned_data.items()
                if upload and name in self.requirements}



# --- the action forms, by dossiers.policy action ----------------------------------------------

# name: (form, heading, button). The order is the order on the dossier's page; which of them are
# offered is dossiers.policy.available_actions.
ACTIONS = {
    "accept": (AcceptForm, _("Accept the dossier"), _("Accept and issue the receipt (Mẫu 01)")),
    "supplement": (SupplementForm, _("Ask the applicant to supplement (Mẫu 02)"), _("Send the request")),
    "refuse_intake": (ReasonsForm, _("Refuse to accept the dossier (Mẫu 03)"), _("Refuse the dossier")),
    "forward": (ForwardForm, _("Hand on to the next step"), _("Hand on")),
    "prepare_result": (PlainActionForm, _("Prepare the result document"), _("Prepare the result")),
    "approve": (NoteForm, _("Approve the result"), _("Approve")),
    "return": (RequiredNoteForm, _("Return to the previous step"), _("Return")),
    "assign": (AssignForm, _("Assign to an official"), _("Assign")),
    "pause": (PauseForm, _("Pause with a legal reason"), _("Pause")),
    "resume": (PlainActionForm, _("Resume processing"), _("Resume")),
    "propose_refusal": (ReasonsForm, _("Propose refusal"), _("Propose refusal")),
    "refuse": (ReasonsForm, _("Refuse the dossier"), _("Refuse")),
    "sign_result": (SignatureConfirmationForm, _("Sign the result digitally"), _("Sign")),
    "issue_result": (SignatureConfirmationForm, _("Issue the result: number, date and the agency's seal"),
                     _("Issue")),
    "return_result": (ReturnResultForm, _("Return the result"), _("Record the return")),
    "apology": (ApologyForm, _("Apology letter and new appointment (Mẫu 04)"), _("Draft the apology letter")),
    "approve_apology": (PlainActionForm, _("Approve the apology letter (Mẫu 04)"),
                        _("Approve and tell the applicant")),
    "stop_processing": (StopForm, _("Stop processing the dossier (Mẫu 05)"), _("Stop and tell the applicant")),
}
