from django import forms
from django.utils.translation import gettext_lazy as _

from egov.forms import Form
from national.consent import WORDING
from national.models import LookupPurpose
from procedures.eform import id_number_validator, phone_validator


class ContactForm(Form):
    """Who the dossier is for and how to reach them (prefilled from the profile)."""

    applicant_name = forms.CharField(label=_("Applicant's full name"), max_length=150,
                                     widget=forms.TextInput(attrs={"autocomplete": "name"}))
    applicant_id_number = forms.CharField(label=_("Citizen ID number"), max_length=12, required=False,
                                          validators=[id_number_validator])
    applicant_phone = forms.CharField(label=_("Phone"), max_length=20, validators=[phone_validator],
                                      widget=forms.TextInput(attrs={"autocomplete": "tel"}))
    applicant_email = forms.EmailField(label=_("E-mail"), required=False,
                                       widget=forms.EmailInput(attrs={"autocomplete": "email"}))
    applicant_address = forms.CharField(label=_("Address"), max_length=255, required=False,
                                        widget=forms.TextInput(attrs={"autocomplete": "street-address"}))


class LookupForm(Form):
    # Written out field by field in dossiers/lookup.html, not through egov/includes/form.html (the
    # busiest public page): a field or a help text added here is added there too.
    code = forms.CharField(label=_("Dossier code"), max_length=40)
    secret = forms.CharField(
        label=_("Phone or citizen ID number given with the dossier (to see the details)"), max_length=20,
        required=False, widget=forms.PasswordInput(render_value=False, attrs={"autocomplete": "off"}))


class WithdrawForm(Form):
    reason = forms.CharField(label=_("Why do you withdraw the dossier?"), max_length=1000,
                             widget=forms.Textarea(attrs={"rows": 2}))


class RatingForm(Form):
    rating = forms.ChoiceField(
        label=_("How satisfied are you with how your dossier was handled?"), widget=forms.RadioSelect,
        choices=[("5", _("Very satisfied")), ("4", _("Satisfied")), ("3", _("Acceptable")),
                 ("2", _("Not satisfied")), ("1", _("Very dissatisfied"))])
    comment = forms.CharField(label=_("Comment (optional)"), max_length=2000, required=False,
                              widget=forms.Textarea(attrs={"rows": 2}))


class IdentityConsentForm(Form):
    """At the counter: the applicant agrees, in person, that their declaration is checked against
    the national population database; the desk officer ticks it for them (ADR 0045)."""

    consent = forms.BooleanField(label=WORDING[LookupPurpose.IDENTITY], required=False)
