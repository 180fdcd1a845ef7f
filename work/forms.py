"""The forms of the work pages: giving a task, and one form per action of ``work.policy``."""

from __future__ import annotations

from django import forms
from django.contrib.auth import get_user_model
from django.utils import timezone
from django.utils.translation import gettext_lazy as _

from directory.models import OrgUnit
from documents.models import Document
from egov.forms import DateInput, Form

from .models import Priority, Source


def _date_input() -> forms.DateInput:
    return DateInput()


class _Revision(Form):
    revision = forms.IntegerField(widget=forms.HiddenInput)


class TaskForm(Form):
    """Giao việc: choices limited to the units and officials the official directs, and to the
    documents of the agency they may read."""

    title = forms.CharField(label=_("Title"), max_length=300)
    description = forms.CharField(label=_("Description"), required=False, widget=forms.Textarea(attrs={"rows": 3}))
    source = forms.ChoiceField(label=_("Source"), choices=Source.choices, initial=Source.AD_HOC,
                               widget=forms.RadioSelect)
    document = forms.ModelChoiceField(label=_("Source document"), queryset=Document.objects.none(), required=False)
    meeting = forms.CharField(label=_("Meeting"), max_length=300, required=False)
    priority = forms.ChoiceField(label=_("Priority"), choices=Priority.choices, initial=Priority.NORMAL)
    due_on = forms.DateField(label=_("Due date"), widget=_date_input())
    units_in_charge = forms.ModelMultipleChoiceField(label=_("Units in charge"), queryset=OrgUnit.objects.none(), required=False,
                                                     widget=forms.CheckboxSelectMultiple)
    people_in_charge = forms.ModelMultipleChoiceField(label=_("Officials in charge"), queryset=get_user_model().objects.none(),
                                                      required=False, widget=forms.CheckboxSelectMultiple)
    units_cooperating = forms.ModelMultipleChoiceField(label=_("Cooperating units"), queryset=OrgUnit.objects.none(),
                                                       required=False, widget=forms.CheckboxSelectMultiple)
    people_cooperating = forms.ModelMultipleChoiceField(label=_("Cooperating officials"), queryset=get_user_model().objects.none(),
                                                        required=False, widget=forms.CheckboxSelectMultiple)

    def __init__(self, *args, units, people, documents, **kwargs):
        super().__init__(*args, **kwargs)
        for name in ("units_in_charge", "units_cooperating"):
            self.fields[name].queryset = units
        for name in ("people_in_charge", "people_cooperating"):
            self.fields[name].queryset = people
        self.fields["document"].queryset = documents

    def clean(self):
        data = super().clean()
        if not data.get("units_in_charge") and not data.get("people_in_charge"):
            raise forms.ValidationError(_("Name the unit or the official in charge."))
        if data.get("source") == Source.DOCUMENT and not data.get("document"):
            self.add_error("document", _("Choose the source document."))
        if data.get("source") == Source.MEETING and not data.get("meeting", "").strip():
            self.add_error("meeting", _("Name the meeting the task comes from."))
        if data.get("due_on") and data["due_on"] < timezone.localdate():
            self.add_error("due_on", _("The due date cannot be in the past."))
        return data


class ProgressForm(_Revision):
    percent = forms.IntegerField(label=_("Progress (%)"), min_value=0, max_value=100)
    text = forms.CharField(label=_("Report"), widget=forms.Textarea(attrs={"rows": 3}))
    attachment = forms.FileField(label=_("Attachment"), required=False)


class ExtensionForm(_Revision):
    new_due_on = forms.DateField(label=_("New due date"), widget=_date_input())
    reason = forms.CharField(label=_("Reason"), widget=forms.Textarea(attrs={"rows": 2}))


class DecideExtensionForm(_Revision):
    decision = forms.ChoiceField(label=_("Decision"), widget=forms.RadioSelect,
                                 choices=[("approve", _("Approve the new due date")), ("refuse", _("Refuse"))])
    note = forms.CharField(label=_("Note"), required=False)


class SubmitForm(_Revision):
    text = forms.CharField(label=_("How it was done"), required=False, widget=forms.Textarea(attrs={"rows": 2}))


class ApproveForm(_Revision):
    pass


class ReasonForm(_Revision):
    reason = forms.CharField(label=_("Reason"), widget=forms.Textarea(attrs={"rows": 2}))


ACTION_FORMS = {
    "report_progress": ProgressForm, "request_extension": ExtensionForm, "decide_extension": DecideExtensionForm,
    "submit_completion": SubmitForm, "approve_completion": ApproveForm, "reopen": ReasonForm, "cancel": ReasonForm,
}


class ScheduleEntryForm(Form):
    starts_at = forms.DateTimeField(label=_("Starts at"), widget=forms.DateTimeInput(attrs={"type": "datetime-local"}))
    ends_at = forms.DateTimeField(label=_("Ends at"), required=False,
                                  widget=forms.DateTimeInput(attrs={"type": "datetime-local"}))
    title = forms.CharField(label=_("Activity"), max_length=300)
    place = forms.CharField(label=_("Place"), max_length=200, required=False)
    chaired_by = forms.CharField(label=_("Chaired by"), max_length=200, required=False)
    participants = forms.CharField(label=_("Participants"), required=False, widget=forms.Textarea(attrs={"rows": 2}))
    published = forms.BooleanField(label=_("Published to the staff"), required=False)
