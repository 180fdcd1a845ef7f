from django import forms
from django.utils.translation import gettext_lazy as _

MAX_UPLOAD = 20 * 1024 * 1024


class VerifyForm(forms.Form):
    document = forms.FileField(label=_("Signed PDF document"))

    def clean_document(self):
        document = self.cleaned_data["document"]
        if document.size > MAX_UPLOAD:
            raise forms.ValidationError(_("The file is larger than 20 MB."))
        return document
