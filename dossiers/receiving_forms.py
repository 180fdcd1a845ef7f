"""What the applicant (online) or the desk (at the counter) states about how a dossier travels
(Decree 118/2025/NĐ-CP): who acts for the applicant under an authorisation, how it arrived (in person
or by public post) and where the result goes back. The fields are ``services.DETAIL_FIELDS``."""

from django import forms
from django.core.exceptions import ValidationError
from django.utils.translation import gettext_lazy as _

from accounts.organisations import organisations_of
from directory.models import ServiceCentre
from egov.forms import Form
from procedures.eform import id_number_validator, phone_validator

from .desks import centres_open
from .models import Channel, ReturnMethod


class CentreChoiceField(forms.ModelChoiceField):
    def label_from_instance(self, obj):
        return obj.name


class RepresentativeForm(Form):
    """A person acting for the applicant under an authorisation (ủy quyền)."""

    on_behalf = forms.BooleanField(
        label=_("The dossier is brought by a person acting for the applicant under an authorisation"),
        required=False)
    representative_name = forms.CharField(label=_("Representative's full name"), max_length=150, required=False)
    representative_id_number = forms.CharField(label=_("Representative's citizen ID number"), max_length=12,
                                               required=False, validators=[id_number_validator])
    representative_phone = forms.CharField(label=_("Representative's phone"), max_length=20, required=False,
                                           validators=[phone_validator])
    authorisation = forms.CharField(label=_("Authorisation (number and date)"), max_length=255, required=False,
                                    help_text=_("For example: Giấy ủy quyền số 12/2026 ngày 20/11/2026"))

    def clean(self):
        data = super().clean()
        if data.get("on_behalf"):
            for name in ("representative_name", "representative_id_number", "authorisation"):
                if not data.get(name):
                    self.add_error(name, _("Required when someone acts for the applicant."))
        else:
            for name in ("representative_name", "representative_id_number", "representative_phone",
                         "authorisation"):
                data[name] = ""
        return data

    def details(self) -> dict:
        return {k: v for k, v in self.cleaned_data.items() if k != "on_behalf"}


class OrganisationForm(Form):
    """Applying for an organisation the account is staff of: its staff then all follow the dossier."""

    organisation = forms.ModelChoiceField(queryset=None, required=False, label=_("Applying for"),
                                          empty_label=_("Myself"))

    def __init__(self, *args, user, **kwargs):
        super().__init__(*args, **kwargs)
        self.fields["organisation"].queryset = organisations_of(user)

    def details(self) -> dict:
        return {"organisation": self.cleaned_data.get("organisation")}


class ReturnForm(Form):
    """Where the applicant collects the result: at any centre of the province, by post or online."""

    return_method = forms.ChoiceField(label=_("How do you want to receive the result?"),
                                      choices=ReturnMethod.choices, initial=ReturnMethod.DESK,
                                      widget=forms.RadioSelect, required=False)
    return_centre = CentreChoiceField(
        queryset=ServiceCentre.objects.none(), required=False, label=_("Collect the result at"),
        empty_label=_("The one-stop desk of the agency that settles it"),
        help_text=_("Any public administration service centre of the province"))

    def __init__(self, *args, default_centre=None, **kwargs):
        super().__init__(*args, **kwargs)
        self.fields["return_centre"].queryset = centres_open()
        if default_centre is not None and not self.is_bound:
            self.fields["return_centre"].initial = default_centre.pk

    def clean(self):
        data = super().clean()
        data["return_method"] = data.get("return_method") or ReturnMethod.DESK  # unanswered: at a desk
        if data["return_method"] != ReturnMethod.DESK:
            data["return_centre"] = None
        return data

    def details(self) -> dict:
        return {"return_method": self.cleaned_data["return_method"],
                "return_centre": self.cleaned_data.get("return_centre")}


class ArrivalForm(Form):
    """At the desk: brought in person, or received by public post with the post's item number."""

    channel = forms.ChoiceField(label=_("How the dossier arrived"), widget=forms.RadioSelect,
                                choices=[(Channel.COUNTER, Channel.COUNTER.label), (Channel.POST, Channel.POST.label)],
                                initial=Channel.COUNTER, required=False)
    post_item = forms.CharField(label=_("Postal item number"), max_length=40, required=False,
                                help_text=_("As on the post's hand-over record"))

    def clean(self):
        data = super().clean()
        data["channel"] = data.get("channel") or Channel.COUNTER
        if data["channel"] == Channel.POST and not data.get("post_item"):
            self.add_error("post_item", ValidationError(_("Enter the post's item number for a dossier received "
                                                          "by post.")))
        if data.get("channel") != Channel.POST:
            data["post_item"] = ""
        return data
