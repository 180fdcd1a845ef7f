"""The forms of the outgoing documents' pages: each action form carries the document's revision
(a stale one is refused by the door); signing and issuing ask the password and one-time code."""

from __future__ import annotations

from django import forms
from django.contrib.auth import get_user_model
from django.utils.translation import gettext_lazy as _

from directory.models import Agency, Membership, OrgUnit
from dossiers.office_forms import offer_enrolment
from egov.forms import Form

from .models import Confidentiality, DocumentType, Urgency


class DraftForm(Form):
    agency = forms.ModelChoiceField(queryset=Agency.objects.none(), label=_("Agency"), empty_label=None)
    document_type = forms.ModelChoiceField(queryset=DocumentType.objects.all(), label=_("Document type"),
                                           empty_label=None)
    abstract = forms.CharField(label=_("Abstract (trích yếu)"), max_length=2000,
                               widget=forms.Textarea(attrs={"rows": 2}))
    body = forms.CharField(label=_("Text of the document"), required=False, widget=forms.Textarea(attrs={"rows": 12}),
                           help_text=_("One paragraph per line. It is laid out per Decree 30/2020 as a new version."))
    recipients_text = forms.CharField(label=_("Recipients (Nơi nhận), one per line"), required=False,
                                      widget=forms.Textarea(attrs={"rows": 3}))
    urgency = forms.ChoiceField(label=_("Urgency"), choices=Urgency.choices)
    confidentiality = forms.ChoiceField(label=_("Confidentiality"), choices=Confidentiality.choices)

    def __init__(self, *args, agencies, **kwargs):
        super().__init__(*args, **kwargs)
        self.fields["agency"].queryset = agencies


class ActionForm(Form):
    revision = forms.IntegerField(widget=forms.HiddenInput, min_value=0)

    def __init__(self, *args, document, user, **kwargs):
        self.document, self.user = document, user
        kwargs.setdefault("initial", {}).setdefault("revision", document.revision)
        super().__init__(*args, **kwargs)
        self.setup()

    def setup(self) -> None:
        """Fields that depend on the document and the user."""


class EditDraftForm(ActionForm):
    abstract = DraftForm.base_fields["abstract"]
    body = DraftForm.base_fields["body"]
    recipients_text = DraftForm.base_fields["recipients_text"]

    def setup(self):
        for name in ("abstract", "body", "recipients_text"):
            self.initial.setdefault(name, getattr(self.document, name))


class VersionForm(ActionForm):
    upload = forms.FileField(label=_("A new version (PDF)"), widget=forms.ClearableFileInput(attrs={"accept": ".pdf"}))


class SubmitReviewForm(ActionForm):
    reviewers = forms.ModelMultipleChoiceField(
        queryset=get_user_model().objects.none(), label=_("Reviewers, in order"),
        help_text=_("Hold Ctrl to choose several; they review up the hierarchy: the unit head first, the "
                    "agency's leader last."))

    def setup(self):
        members = Membership.objects.valid_on().filter(agency_id=self.document.agency_id, official__is_active=True)
        self.fields["reviewers"].queryset = (get_user_model().objects.filter(pk__in=members.values("official_id"))
                                             .exclude(pk=self.user.pk).order_by("last_name", "first_name"))

    def clean_reviewers(self):
        """The chosen reviewers in the order of review: the most junior position first (a unit head
        before the deputy, the deputy before the head of the agency: Position.rank, lower is senior)."""
        chosen = list(self.cleaned_data["reviewers"])
        ranks = {}
        for official_id, rank in (Membership.objects.valid_on()
                                  .filter(agency_id=self.document.agency_id, official__in=chosen)
                                  .values_list("official_id", "position__rank")):
            ranks[official_id] = min(rank if rank is not None else 100, ranks.get(official_id, 1000))
        return sorted(chosen, key=lambda user: -ranks.get(user.pk, 100))


class ReviewForm(ActionForm):
    decision = forms.ChoiceField(label=_("Your opinion"), widget=forms.RadioSelect,
                                 choices=[("approve", _("Approve")), ("return", _("Return with comments"))])
    comment = forms.CharField(label=_("Comment"), required=False, widget=forms.Textarea(attrs={"rows": 3}))


class ConfirmationForm(ActionForm):
    """Signing and issuing: password and one-time code (signing.services.confirm)."""

    password = forms.CharField(label=_("Your password"), strip=False,
                               widget=forms.PasswordInput(attrs={"autocomplete": "current-password"}))
    otp_token = forms.CharField(label=_("One-time code"), max_length=8,
                                widget=forms.TextInput(attrs={"autocomplete": "one-time-code", "inputmode": "numeric"}))

    def setup(self):
        offer_enrolment(self, self.user)


class DistributeForm(ActionForm):
    units = forms.ModelMultipleChoiceField(queryset=OrgUnit.objects.none(), required=False,
                                           label=_("Units of the agency"), widget=forms.CheckboxSelectMultiple)
    agencies = forms.ModelMultipleChoiceField(queryset=Agency.objects.none(), required=False,
                                              label=_("Other agencies (through the exchange)"))
    emails = forms.CharField(label=_("E-mail addresses, one per line"), required=False,
                             widget=forms.Textarea(attrs={"rows": 2}))

    def setup(self):
        self.fields["units"].queryset = OrgUnit.objects.filter(agency_id=self.document.agency_id).order_by("name")
        self.fields["agencies"].queryset = Agency.objects.valid_on().exclude(pk=self.document.agency_id).order_by(
            "name")


class RecallForm(ActionForm):
    reason = forms.CharField(label=_("Reason for the recall"), widget=forms.Textarea(attrs={"rows": 2}))


class CommentForm(Form):
    text = forms.CharField(label=_("Your comment"), widget=forms.Textarea(attrs={"rows": 2}))


FORMS = {"edit_draft": EditDraftForm, "submit_review": SubmitReviewForm, "review": ReviewForm,
         "sign": ConfirmationForm, "issue": ConfirmationForm, "distribute": DistributeForm, "recall": RecallForm}
