from django import forms
from django.utils import timezone
from django.utils.translation import gettext_lazy as _

from egov.forms import DateInput, Form


class ReconciliationForm(Form):
    day = forms.DateField(label=_("Day"), widget=DateInput())
    agency: forms.ModelChoiceField = forms.ModelChoiceField(label=_("Agency"), queryset=None, empty_label=None)

    def __init__(self, *args, agencies, **kwargs):
        super().__init__(*args, **kwargs)
        self.fields["agency"].queryset = agencies
        self.fields["day"].initial = timezone.localdate()
