"""The forms of the incoming documents' pages: registering (vào sổ), the list's filters, and one
form per action of ``documents.policy`` (accept, refuse, edit, direct, reassign, complete,
acknowledge). Forms only shape input; the doors (``incoming``, ``routing``) decide."""

from __future__ import annotations

from django import forms
from django.utils.translation import gettext_lazy as _

from directory.models import Membership, OrgUnit
from egov.forms import DateInput, Form

from .models import Confidentiality, Direction, Document, DocumentType, HandledHow, Register, Urgency
from .routing import issued_answers

DATE = DateInput()


class MultipleFileInput(forms.ClearableFileInput):
    allow_multiple_selected = True


class MultipleFileField(forms.FileField):
    widget = MultipleFileInput

    def clean(self, data, initial=None):
        if isinstance(data, list | tuple):
            return [super(MultipleFileField, self).clean(item, initial) for item in data]
        return [super().clean(data, initial)] if data else []


class FilterForm(Form):
    register = forms.ModelChoiceField(label=_("Register"), queryset=Register.objects.none(), required=False)
    first_day = forms.DateField(label=_("Received from"), required=False, widget=DATE)
    last_day = forms.DateField(label=_("Received until"), required=False, widget=DATE)
    urgency = forms.ChoiceField(label=_("Urgency"), required=False,
                                choices=[("", _("Any urgency")), *Urgency.choices])

    def __init__(self, *args, agency_ids=(), **kwargs):
        super().__init__(*args, **kwargs)
        self.fields["register"].queryset = Register.objects.filter(agency_id__in=agency_ids,
                                                                    direction=Direction.INCOMING)


class RegisterForm(Form):
    """Vào sổ văn bản đến: the metadata of Decree 30/2020 art. 21 and the files."""

    source = forms.ChoiceField(label=_("Received as"), choices=[("paper", _("paper, scanned")), ("email", _("e-mail"))],
                               widget=forms.RadioSelect, initial="paper")
    register = forms.ModelChoiceField(label=_("Register"), queryset=Register.objects.none())
    document_type = forms.ModelChoiceField(label=_("Document type"), queryset=DocumentType.objects.all())
    number_symbol = forms.CharField(label=_("Number and symbol"), max_length=60, required=False)
    issued_on = forms.DateField(label=_("Date of the document"), required=False, widget=DATE)
    issuer_name = forms.CharField(label=_("Issuing agency"), max_length=255, required=False)
    abstract = forms.CharField(label=_("Abstract (trích yếu)"), max_length=2000, required=False,
                               widget=forms.Textarea(attrs={"rows": 3}),
                               help_text=_("For an e-mail, left empty: the subject is used."))
    signer_name = forms.CharField(label=_("Signed by"), max_length=200, required=False)
    urgency = forms.ChoiceField(label=_("Urgency"), choices=Urgency.choices, initial=Urgency.NORMAL)
    confidentiality = forms.ChoiceField(label=_("Confidentiality"), choices=Confidentiality.choices,
                                        initial=Confidentiality.NORMAL)
    page_count = forms.IntegerField(label=_("Number of pages"), min_value=1, max_value=9999, required=False)
    handling_due_on = forms.DateField(label=_("To be handled by"), required=False, widget=DATE)
    files = MultipleFileField(  # type: ignore[assignment]  # a field named like Form.files
        label=_("Scans or files (PDF, images)"), required=False)
    eml = forms.FileField(label=_("The e-mail (.eml file)"), required=False)
    confirm_duplicate = forms.BooleanField(
        label=_("Register it anyway as a duplicate copy"), required=False,
        help_text=_("Only after checking the document already registered shown above."))

    def __init__(self, *args, agency_id: int, **kwargs):
        super().__init__(*args, **kwargs)
        registers = Register.objects.filter(agency_id=agency_id, direction=Direction.INCOMING, active=True)
        self.fields["register"].queryset = registers  # type: ignore[attr-defined]

    def clean(self):
        data = super().clean()
        if data.get("source") == "email" and not data.get("eml"):
            self.add_error("eml", _("Choose the e-mail file."))
        if data.get("source") == "paper" and not (data.get("abstract") or "").strip():
            self.add_error("abstract", _("Write the abstract."))
        return data

    def metadata(self) -> dict:
        keys = ("document_type", "number_symbol", "issued_on", "issuer_name", "abstract", "signer_name", "urgency",
                "confidentiality", "page_count", "handling_due_on")
        return {key: self.cleaned_data.get(key) for key in keys}


def _people(agency_id: int, unit_id: int | None = None):
    places = Membership.objects.valid_on().filter(agency_id=agency_id, official__is_active=True)
    if unit_id is not None:
        places = places.filter(unit_id=unit_id)
    seen, choices = set(), []
    for place in places.select_related("official", "unit").order_by("official__last_name", "official__username"):
        if place.official_id not in seen:
            seen.add(place.official_id)
            label = place.official.get_full_name() or place.official.username
            choices.append((f"p:{place.official_id}", f"{label} – {place.unit.name}" if place.unit_id else label))
    return choices


def holders(agency_id: int):
    """Units and people of the agency, as "u:<id>" / "p:<id>" choices."""
    units = [(f"u:{unit.pk}", str(unit.name)) for unit in OrgUnit.objects.filter(agency_id=agency_id).order_by("name")]
    return [(_("Units"), units), (_("People"), _people(agency_id))]


class ActionForm(Form):
    revision = forms.IntegerField(widget=forms.HiddenInput)

    def __init__(self, *args, document: Document, user, **kwargs):
        super().__init__(*args, **kwargs)
        self.document, self.user = document, user
        self.fields["revision"].initial = document.revision


class AcceptForm(ActionForm):
    register = forms.ModelChoiceField(label=_("Register"), queryset=Register.objects.none())

    def __init__(self, *args, **kwargs):
        super().__init__(*args, **kwargs)
        registers = Register.objects.filter(agency_id=self.document.agency_id, direction=Direction.INCOMING,
                                            active=True, confidential=self.document.classified)
        self.fields["register"].queryset = registers
        self.fields["register"].initial = registers.first()


class RefuseForm(ActionForm):
    reason = forms.CharField(label=_("Reason"), max_length=1000, widget=forms.Textarea(attrs={"rows": 2}))


class EditForm(ActionForm):
    number_symbol = forms.CharField(label=_("Number and symbol"), max_length=60, required=False)
    issued_on = forms.DateField(label=_("Date of the document"), required=False, widget=DATE)
    issuer_name = forms.CharField(label=_("Issuing agency"), max_length=255, required=False)
    abstract = forms.CharField(label=_("Abstract (trích yếu)"), max_length=2000, widget=forms.Textarea(attrs={"rows": 3}))
    urgency = forms.ChoiceField(label=_("Urgency"), choices=Urgency.choices)
    handling_due_on = forms.DateField(label=_("To be handled by"), required=False, widget=DATE)

    def __init__(self, *args, **kwargs):
        super().__init__(*args, **kwargs)
        for name in ("number_symbol", "issued_on", "issuer_name", "abstract", "urgency", "handling_due_on"):
            self.fields[name].initial = getattr(self.document, name)


class DirectForm(ActionForm):
    main = forms.ChoiceField(label=_("Handles (xử lý chính)"), required=False)
    cooperate = forms.MultipleChoiceField(label=_("Cooperate (phối hợp)"), required=False,
                                          widget=forms.SelectMultiple(attrs={"size": 5}))
    inform = forms.MultipleChoiceField(label=_("For information (để biết)"), required=False,
                                       widget=forms.SelectMultiple(attrs={"size": 5}))
    due_on = forms.DateField(label=_("Deadline"), required=False, widget=DATE)
    note = forms.CharField(label=_("Direction (ý kiến chỉ đạo)"), max_length=2000, required=False,
                           widget=forms.Textarea(attrs={"rows": 3}))

    def __init__(self, *args, **kwargs):
        super().__init__(*args, **kwargs)
        choices = holders(self.document.agency_id)
        self.fields["main"].choices = [("", _("— keep the current main handler —")), *choices]
        self.fields["cooperate"].choices = choices
        self.fields["inform"].choices = choices
        self.fields["due_on"].initial = self.document.handling_due_on


class ReassignForm(ActionForm):
    person = forms.ChoiceField(label=_("Person of the unit"))
    due_on = forms.DateField(label=_("Deadline"), required=False, widget=DATE)
    note = forms.CharField(label=_("Note"), max_length=2000, required=False, widget=forms.Textarea(attrs={"rows": 2}))

    def __init__(self, *args, held=None, **kwargs):
        super().__init__(*args, **kwargs)
        unit_id = held.unit_id if held is not None else None
        self.fields["person"].choices = _people(self.document.agency_id, unit_id) if unit_id else []


class CompleteForm(ActionForm):
    how = forms.ChoiceField(label=_("How it was handled"), choices=HandledHow.choices, widget=forms.RadioSelect)
    answered_by = forms.ModelChoiceField(label=_("Answered by (issued outgoing document)"), required=False,
                                         queryset=Document.objects.none())
    note = forms.CharField(label=_("Note"), max_length=2000, required=False, widget=forms.Textarea(attrs={"rows": 2}))

    def __init__(self, *args, **kwargs):
        super().__init__(*args, **kwargs)
        self.fields["answered_by"].queryset = issued_answers(self.document)


class AcknowledgeForm(ActionForm):
    note = forms.CharField(label=_("Note"), max_length=2000, required=False, widget=forms.Textarea(attrs={"rows": 2}))


ACTION_FORMS = {
    "accept": (AcceptForm, _("Accept and register")),
    "refuse": (RefuseForm, _("Refuse")),
    "edit": (EditForm, _("Correct the details")),
    "direct": (DirectForm, _("Direct (bút phê)")),
    "reassign": (ReassignForm, _("Pass on inside the unit")),
    "complete": (CompleteForm, _("Record the handling")),
    "acknowledge": (AcknowledgeForm, _("Acknowledge")),
}
