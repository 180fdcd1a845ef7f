from django import forms
from django.utils.translation import gettext_lazy as _

from directory.models import OrgUnit
from documents.models import Document
from egov.forms import Form


class OpenFileForm(Form):
    code = forms.CharField(label=_("File code"), max_length=50, help_text=_("As in the agency's file list."))
    title = forms.CharField(label=_("Title"), max_length=500)
    unit = forms.ModelChoiceField(label=_("Unit"), queryset=OrgUnit.objects.none(), required=False)
    retention_years = forms.IntegerField(label=_("Retention (years)"), min_value=1, max_value=100, required=False,
                                         help_text=_("Leave empty for permanent retention."))

    def __init__(self, *args, agency, **kwargs):
        super().__init__(*args, **kwargs)
        self.fields["unit"].queryset = OrgUnit.objects.filter(agency=agency, active=True)


class AttachForm(Form):
    document = forms.ModelChoiceField(label=_("Document"), queryset=Document.objects.none())

    def __init__(self, *args, documents, **kwargs):
        super().__init__(*args, **kwargs)
        self.fields["document"].queryset = documents
