from django import forms
from django.utils.translation import gettext_lazy as _

from .models import Announcement, Campaign, SubscriptionChannel, Topic

CONSENT = _("I agree to receive the province's notices on public services at this address, and know that I "
            "can stop them at any time with the link in every notice.")


class SearchForm(forms.Form):
    q = forms.CharField(label=_("Search the guides and questions"), required=False, max_length=200,
                        widget=forms.TextInput(attrs={"class": "form-control", "type": "search",
                                                      "placeholder": _("e.g. cap ban sao trich luc ho tich")}))


class AskForm(forms.Form):
    """The question; the page, dossier and procedure it came from travel as hidden fields."""

    name = forms.CharField(label=_("Your name"), max_length=150)
    email = forms.EmailField(label=_("E-mail"), required=False)
    phone = forms.CharField(label=_("Phone"), max_length=20, required=False)
    topic = forms.ChoiceField(label=_("What is it about?"), choices=Topic.choices)
    question = forms.CharField(label=_("Your question"), max_length=4000, widget=forms.Textarea(attrs={"rows": 5}))
    page = forms.CharField(required=False, max_length=500, widget=forms.HiddenInput)
    dossier = forms.CharField(required=False, max_length=40, widget=forms.HiddenInput)
    procedure = forms.CharField(required=False, max_length=40, widget=forms.HiddenInput)

    def __init__(self, *args, signed_in: bool = False, **kwargs):
        super().__init__(*args, **kwargs)
        self.signed_in = signed_in
        for field in self.visible_fields():
            field.field.widget.attrs.setdefault("class", "form-select" if field.name == "topic" else "form-control")
        if not signed_in:
            self.fields["email"].help_text = _("An e-mail address or a phone number, so that we can answer you.")

    def clean_page(self):
        page = self.cleaned_data["page"]
        # Only a path of this site is kept: never a link elsewhere.
        return page if page.startswith("/") and not page.startswith("//") else ""

    def clean(self):
        data = super().clean()
        if not self.signed_in and not (data.get("email") or data.get("phone")):
            raise forms.ValidationError(_("Give an e-mail address or a phone number so that we can answer you."))
        return data


class AnswerForm(forms.Form):
    answer = forms.CharField(label=_("Answer"), max_length=8000,
                             widget=forms.Textarea(attrs={"rows": 8, "class": "form-control"}))


class RateForm(forms.Form):
    rating = forms.TypedChoiceField(label=_("How useful was the answer?"), coerce=int, widget=forms.RadioSelect,
                                    choices=[(n, _("%(n)s of 5") % {"n": n}) for n in range(5, 0, -1)])
    comment = forms.CharField(label=_("Comment"), required=False, max_length=500,
                              widget=forms.TextInput(attrs={"class": "form-control"}))


class SubscribeForm(forms.Form):
    channel = forms.ChoiceField(label=_("Receive by"), choices=SubscriptionChannel.choices, widget=forms.RadioSelect)
    address = forms.CharField(label=_("E-mail address or mobile number"), max_length=254,
                              widget=forms.TextInput(attrs={"class": "form-control"}))
    consent = forms.BooleanField(label=CONSENT, required=True,
                                 widget=forms.CheckboxInput(attrs={"class": "form-check-input"}))


class CampaignForm(forms.ModelForm):
    class Meta:
        model = Campaign
        fields = ["title", "channel", "subject", "body"]
        widgets = {"title": forms.TextInput(attrs={"class": "form-control"}),
                   "channel": forms.Select(attrs={"class": "form-select"}),
                   "subject": forms.TextInput(attrs={"class": "form-control"}),
                   "body": forms.Textarea(attrs={"class": "form-control", "rows": 5})}


class AnnouncementForm(forms.ModelForm):
    class Meta:
        model = Announcement
        fields = ["title", "body", "audience", "starts_at", "ends_at"]
