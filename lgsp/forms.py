"""Forms of the integration pages: the client system and the call log's filter."""

from __future__ import annotations

from django import forms
from django.utils.translation import gettext_lazy as _
from django.utils.translation import pgettext_lazy

from accounts.models import User
from egov.forms import AccessibleFormMixin, DateInput

from .models import Client
from .scopes import SCOPES


class ClientForm(AccessibleFormMixin, forms.Form):
    agency: forms.ModelChoiceField = forms.ModelChoiceField(queryset=None, label=_("Owning agency"))
    name = forms.CharField(label=pgettext_lazy("lgsp client", "System name"), max_length=200)
    scopes = forms.MultipleChoiceField(label=_("Services allowed"), widget=forms.CheckboxSelectMultiple,
                                       choices=[(k, f"{k} – {v}") for k, v in SCOPES.items()])
    per_minute = forms.IntegerField(label=_("Calls per minute"), min_value=1, max_value=100_000, initial=60)
    per_day = forms.IntegerField(label=_("Calls per day"), min_value=1, max_value=10_000_000, initial=10_000)
    allowed_ips = forms.CharField(label=_("Allowed addresses"), required=False,
                                  widget=forms.Textarea(attrs={"rows": 3}),
                                  help_text=_("One address or network (CIDR) per line; empty: any address"))
    acting_username = forms.CharField(label=_("Acts as account (user name)"), required=False, max_length=150,
                                      help_text=_("Only for the /api/v1 scopes: an official of the owning agency"))

    def __init__(self, *args, agencies, **kwargs):
        super().__init__(*args, **kwargs)
        self.fields["agency"].queryset = agencies  # type: ignore[attr-defined]

    def clean_acting_username(self):
        username = self.cleaned_data["acting_username"].strip()
        if not username:
            return None
        user = User.objects.filter(username=username).first()
        if user is None:
            raise forms.ValidationError(_("There is no account with this user name."))
        return user


class CallFilterForm(AccessibleFormMixin, forms.Form):
    client = forms.ModelChoiceField(queryset=Client.objects.none(), required=False,
                                    label=pgettext_lazy("lgsp", "Client system"))
    service = forms.CharField(required=False, max_length=80, label=pgettext_lazy("lgsp", "Service"),
                              help_text=_("Beginning of the service's name, e.g. dmdc: or api:"))
    failed = forms.BooleanField(required=False, label=_("Refused or failed calls only"))
    since = forms.DateField(required=False, label=_("From"), widget=DateInput())
    until = forms.DateField(required=False, label=_("Until"), widget=DateInput())

    def __init__(self, *args, clients, **kwargs):
        super().__init__(*args, **kwargs)
        self.fields["client"].queryset = clients  # type: ignore[attr-defined]
