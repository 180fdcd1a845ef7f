from __future__ import annotations

import datetime as dt

from django import forms
from django.utils import timezone
from django.utils.translation import get_language
from django.utils.translation import gettext_lazy as _

from directory.models import Agency
from egov.forms import DateInput
from egov.forms import Form as AccessibleForm

from .models import Criterion, Level, Subject


class RatingForm(AccessibleForm):
    """One five-level question per criterion in force, then an optional comment."""

    def __init__(self, *args, criteria: list[Criterion], **kwargs):
        super().__init__(*args, **kwargs)
        language = get_language()
        for criterion in criteria:
            self.fields[f"c_{criterion.code}"] = forms.TypedChoiceField(
                label=criterion.label(language), choices=Level.choices, coerce=int,
                widget=forms.RadioSelect(attrs={"class": "form-check-input"}))
        self.fields["comment"] = forms.CharField(label=_("Anything else you want to tell us (optional)"),
                                                 required=False, max_length=2000,
                                                 widget=forms.Textarea(attrs={"rows": 3, "class": "form-control"}))
        self.criteria = criteria

    def scores(self) -> dict[str, int]:
        return {c.code: self.cleaned_data[f"c_{c.code}"] for c in self.criteria}


class ComplaintForm(AccessibleForm):
    name = forms.CharField(label=_("Your name"), max_length=150)
    email = forms.EmailField(label=_("E-mail"), required=False)
    phone = forms.CharField(label=_("Phone"), max_length=20, required=False)
    address = forms.CharField(label=_("Address"), max_length=255, required=False)
    subject = forms.ChoiceField(label=_("What is it about?"), choices=Subject.choices)
    procedure = forms.CharField(label=_("Procedure code (if it is about a procedure)"), max_length=40,
                                required=False)
    dossier = forms.CharField(label=_("Dossier code (if it is about a dossier)"), max_length=40, required=False)
    secret = forms.CharField(label=_("Phone or ID number given with the dossier"), max_length=20, required=False,
                             help_text=_("Not needed when you are signed in as the applicant"))
    agency = forms.ModelChoiceField(label=_("Agency concerned"), queryset=Agency.objects.none(), required=False,
                                    help_text=_("Required when it is about an official"))
    official_name = forms.CharField(label=_("Official concerned (name or position)"), max_length=150,
                                    required=False)
    content = forms.CharField(label=_("Your feedback or proposal"), max_length=8000,
                              widget=forms.Textarea(attrs={"rows": 6}))
    consent_to_publish = forms.BooleanField(
        label=_("The answer may be published on the portal (your name and contact details are never published)"),
        required=False)

    def __init__(self, *args, signed_in: bool = False, **kwargs):
        super().__init__(*args, **kwargs)
        self.fields["agency"].queryset = Agency.objects.valid_on().order_by("name")  # type: ignore[attr-defined]
        if not signed_in:
            self.fields["email"].help_text = _("An e-mail address or a phone number, so that we can answer you.")
        self.signed_in = signed_in

    def clean(self):
        data = super().clean()
        if not self.signed_in and not (data.get("email") or data.get("phone")):
            raise forms.ValidationError(_("Give an e-mail address or a phone number so that we can answer you."))
        return data


class AnswerForm(AccessibleForm):
    answer = forms.CharField(label=_("Answer"), max_length=8000, widget=forms.Textarea(attrs={"rows": 8}))
    public_summary = forms.CharField(
        label=_("Summary of the question for publication"), max_length=4000, required=False,
        widget=forms.Textarea(attrs={"rows": 3}),
        help_text=_("Only when the sender agreed to publication: no name, address, phone, ID or dossier code"))


class KioskForm(AccessibleForm):
    code = forms.CharField(label=_("Dossier code"), max_length=40)


class PeriodForm(AccessibleForm):
    start = forms.DateField(label=_("From date"), widget=DateInput)
    end = forms.DateField(label=_("To date"), widget=DateInput)

    @staticmethod
    def default() -> tuple[dt.date, dt.date]:
        today = timezone.localdate()
        return today.replace(month=1, day=1), today

    def period(self) -> tuple[dt.date, dt.date]:
        if self.is_bound and self.is_valid() and self.cleaned_data["start"] <= self.cleaned_data["end"]:
            return self.cleaned_data["start"], self.cleaned_data["end"]
        return self.default()
