"""Form helpers shared by every app: Bootstrap classes and accessible error wiring."""

from django import forms


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
