from django import forms
from django.utils.translation import gettext_lazy as _


class AgreeRecallForm(forms.Form):
    comment = forms.CharField(label=_("Comment (optional)"), required=False, max_length=1000,
                              widget=forms.Textarea(attrs={"rows": 2}))


class RefuseRecallForm(forms.Form):
    reason = forms.CharField(label=_("Why the recall is refused"), max_length=1000,
                             widget=forms.Textarea(attrs={"rows": 2}))
