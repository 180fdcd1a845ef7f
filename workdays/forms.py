from django import forms
from django.utils.translation import gettext_lazy as _

from .calendar import MAX_YEAR, MIN_YEAR


class YearForm(forms.Form):
    """The year shown by the calendar page (GET)."""

    year = forms.IntegerField(
        label=_("Year"),
        min_value=MIN_YEAR,
        max_value=MAX_YEAR,
        widget=forms.NumberInput(attrs={"class": "form-control"}),
    )

    def __init__(self, *args, **kwargs):
        super().__init__(*args, **kwargs)
        # Formatted here, in the language of the request.
        bounds = {"min": MIN_YEAR, "max": MAX_YEAR}
        self.fields["year"].help_text = _("A year from %(min)s to %(max)s.") % bounds

    def full_clean(self):
        super().full_clean()
        for name in self.errors:
            if name in self.fields:
                widget = self.fields[name].widget
                widget.attrs["class"] = f"{widget.attrs.get('class', '')} is-invalid".strip()
