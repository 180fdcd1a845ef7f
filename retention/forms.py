from django import forms
from django.utils.translation import gettext_lazy as _


class HoldForm(forms.Form):
    dossier_code = forms.CharField(label=_("Dossier code"), max_length=40)
    reason = forms.CharField(label=_("Reason"), max_length=255,
                             help_text=_("The complaint, lawsuit, inspection or investigation that needs the dossier."))
