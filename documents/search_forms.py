"""The search and statistics pages' filter forms: choices limited to the reader's agencies."""

from __future__ import annotations

import datetime as dt

from django import forms
from django.utils import timezone
from django.utils.translation import gettext_lazy as _

from directory.models import Agency, OrgUnit
from egov.forms import Form

from .models import Direction, DocumentType, Register, Status
from .search import Filters, reader_agencies


def _date_input() -> forms.DateInput:
    return forms.DateInput(attrs={"type": "date"}, format="%Y-%m-%d")


class SearchForm(Form):
    q = forms.CharField(label=_("Words to look for"), required=False, max_length=200,
                        help_text=_("Accents may be left out; every word must appear."))
    register = forms.ModelChoiceField(label=_("Register"), queryset=Register.objects.none(), required=False)
    document_type = forms.ModelChoiceField(label=_("Document type"), queryset=DocumentType.objects.all(),
                                           required=False)
    direction = forms.ChoiceField(label=_("Direction"), required=False,
                                  choices=[("", _("Incoming and outgoing")), *Direction.choices])
    status = forms.ChoiceField(label=_("Status"), required=False, choices=[("", _("Any status")), *Status.choices])
    unit = forms.ModelChoiceField(label=_("Unit"), queryset=OrgUnit.objects.none(), required=False)
    first_day = forms.DateField(label=_("From"), widget=_date_input(), required=False)
    last_day = forms.DateField(label=_("To"), widget=_date_input(), required=False)

    def __init__(self, *args, user, **kwargs):
        super().__init__(*args, **kwargs)
        agencies = reader_agencies(user)
        self.fields["register"].queryset = Register.objects.filter(agency__in=agencies).select_related("agency")
        self.fields["unit"].queryset = OrgUnit.objects.filter(agency__in=agencies, active=True)

    def filters(self) -> Filters:
        data = self.cleaned_data if self.is_valid() else {}
        return Filters(
            register_id=data["register"].pk if data.get("register") else None,
            document_type_id=data["document_type"].pk if data.get("document_type") else None,
            direction=data.get("direction", ""), status=data.get("status", ""),
            unit_id=data["unit"].pk if data.get("unit") else None,
            first_day=data.get("first_day"), last_day=data.get("last_day"))


class StatisticsForm(Form):
    agency = forms.ModelChoiceField(label=_("Agency"), queryset=Agency.objects.none())
    first_day = forms.DateField(label=_("From"), widget=_date_input())
    last_day = forms.DateField(label=_("To"), widget=_date_input())

    def __init__(self, *args, user, **kwargs):
        super().__init__(*args, **kwargs)
        self.fields["agency"].queryset = reader_agencies(user).order_by("name")

    def clean(self):
        data = super().clean()
        if data.get("first_day") and data.get("last_day") and data["first_day"] > data["last_day"]:
            self.add_error("last_day", _("The last day comes before the first."))
        return data


def statistics_defaults(user) -> dict:
    today = timezone.localdate()
    agency = reader_agencies(user).order_by("name").first()
    return {"agency": agency.pk if agency else None, "first_day": dt.date(today.year, 1, 1).isoformat(),
            "last_day": today.isoformat()}
