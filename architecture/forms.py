"""Forms of the architecture pages (hand-entered components and connections, publishing)."""

from django import forms
from django.utils.translation import gettext_lazy as _

from directory.selectors import agencies_in_force
from egov.forms import AccessibleFormMixin

from .models import Component, Connection


class ComponentForm(AccessibleFormMixin, forms.ModelForm):
    class Meta:
        model = Component
        fields = ["layer", "kind", "name", "group", "owner", "status", "description"]
        widgets = {"description": forms.Textarea(attrs={"rows": 4})}

    def __init__(self, *args, **kwargs):
        super().__init__(*args, **kwargs)
        self.fields["owner"].queryset = agencies_in_force().order_by("name")


class ConnectionForm(AccessibleFormMixin, forms.ModelForm):
    class Meta:
        model = Connection
        fields = ["source", "target", "protocol", "data_flow", "direction", "status"]
        widgets = {"data_flow": forms.Textarea(attrs={"rows": 3})}

    def clean(self):
        data = super().clean()
        if data.get("source") and data.get("source") == data.get("target"):
            raise forms.ValidationError(_("A connection joins two different components."))
        return data


class PublishForm(AccessibleFormMixin, forms.Form):
    note = forms.CharField(label=_("Note"), max_length=500, required=False,
                           help_text=_("What this version records, e.g. the plan it belongs to"))


class CompareForm(AccessibleFormMixin, forms.Form):
    before = forms.TypedChoiceField(label=_("Earlier version"), coerce=int)
    after = forms.ChoiceField(label=_("Later version"))

    def __init__(self, *args, numbers: list[int], **kwargs):
        super().__init__(*args, **kwargs)
        choices = [(str(number), str(number)) for number in numbers]
        self.fields["before"].choices = choices  # type: ignore[attr-defined]
        later = [("current", _("the model now (not published)")), *choices]
        self.fields["after"].choices = later  # type: ignore[attr-defined]
