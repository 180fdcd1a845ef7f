from django import forms
from django.utils.translation import gettext_lazy as _

from egov.forms import Form

MAX_UPLOAD = 20 * 1024 * 1024


class VerifyForm(Form):
    document = forms.FileField(label=_("Signed PDF document"), widget=forms.ClearableFileInput(attrs={"accept": ".pdf,application/pdf"}),
                               error_messages={"required": _("Choose the PDF file to check."),
                                               "empty": _("The file is empty.")})

    def clean_document(self):
        document = self.cleaned_data["document"]
        if document.size > MAX_UPLOAD:
            raise forms.ValidationError(_("The file is larger than 20 MB."))
        return document
