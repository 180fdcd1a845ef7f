"""The forms of the training pages: organising a session, uploading a material."""

from __future__ import annotations

from typing import cast

from django import forms
from django.contrib.auth import get_user_model
from django.utils.translation import gettext_lazy as _

from directory.models import Agency
from egov.forms import DateInput, Form

from .models import Course, MaterialKind

MAX_MATERIAL_BYTES = 200 * 1024 * 1024


class SessionForm(Form):
    course = forms.ModelChoiceField(label=_("Course"), queryset=Course.objects.filter(active=True))
    agency = forms.ModelChoiceField(label=_("For the agency"), queryset=Agency.objects.none(), required=False,
                                    empty_label=_("Every official of the province"))
    starts_on = forms.DateField(label=_("Starts on"), widget=DateInput())
    ends_on = forms.DateField(label=_("Ends on"), widget=DateInput())
    online = forms.BooleanField(label=_("Online"), required=False)
    place = forms.CharField(label=_("Place"), max_length=255, required=False)
    capacity = forms.IntegerField(label=_("Capacity"), min_value=1, max_value=10000, initial=30)
    trainers = forms.ModelMultipleChoiceField(label=_("Trainers"), queryset=get_user_model().objects.none(),
                                              required=False)

    def __init__(self, *args, agencies, province_wide: bool, **kwargs):
        super().__init__(*args, **kwargs)
        agency = cast(forms.ModelChoiceField, self.fields["agency"])
        agency.queryset = agencies
        agency.required = not province_wide
        cast(forms.ModelMultipleChoiceField, self.fields["trainers"]).queryset = get_user_model().objects.filter(
            kind="official", is_active=True).order_by("full_name")


class MaterialForm(Form):
    title = forms.CharField(label=_("Title"), max_length=255)
    kind = forms.ChoiceField(label=_("Kind"), choices=MaterialKind.choices)
    course = forms.ModelChoiceField(label=_("Course"), queryset=Course.objects.filter(active=True), required=False)
    file = forms.FileField(label=_("File"))

    def clean_file(self):
        upload = self.cleaned_data["file"]
        if upload.size > MAX_MATERIAL_BYTES:
            raise forms.ValidationError(_("The file is too large (at most 200 MB)."))
        return upload
