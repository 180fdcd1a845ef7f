"""Form helpers shared by every app: Bootstrap classes, accessible error wiring, the date input."""

from django import forms
from django.utils.translation import gettext_lazy


class DateInput(forms.DateInput):
    """A date typed dd/mm/yyyy, as Vietnamese write it, whatever the browser's language (a browser's
    own date input shows its interface language's order, mm/dd/yyyy in an English one). The input
    formats (egov/formats/vi) accept it, and yyyy-mm-dd too (links, the API)."""

    def __init__(self, attrs=None):
        defaults = {"inputmode": "numeric", "autocomplete": "off", "placeholder": gettext_lazy("dd/mm/yyyy")}
        super().__init__(attrs={**defaults, **(attrs or {})}, format="%d/%m/%Y")


class AccessibleFormMixin:
    """Gives widgets their CSS class and links each field to its help text and errors."""

    def __init__(self, *args, **kwargs):
        super().__init__(*args, **kwargs)
        for field in self.fields.values():
            widget = field.widget
            if isinstance(widget, forms.RadioSelect | forms.CheckboxSelectMultiple | forms.CheckboxInput):
                css = "form-check-input"
            elif isinstance(widget, forms.Select):
                css = "form-select"
            else:
                css = "form-control"
            widget.attrs["class"] = (widget.attrs.get("class", "") + " " + css).strip()

    def full_clean(self):
        super().full_clean()
        for name in self.errors:
            if name in self.fields:
                bound = self[name]
                widget = self.fields[name].widget
                widget.attrs["aria-invalid"] = "true"
                described = {bound.auto_id + "-errors"}
                if self.fields[name].help_text:
                    described.add(bound.auto_id + "_helptext")  # the id Django gives help text
                widget.attrs["aria-describedby"] = " ".join(sorted(described))


class Form(AccessibleFormMixin, forms.Form):
    pass
