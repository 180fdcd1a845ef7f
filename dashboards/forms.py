from __future__ import annotations

from django import forms
from django.utils.translation import gettext_lazy as _

from .models import IndexKind


class DtiInputForm(forms.Form):
    points = forms.DecimalField(label=_("Points"), min_value=0, max_digits=7, decimal_places=2)
    note = forms.CharField(label=_("Explanation"), required=False, widget=forms.Textarea(attrs={"rows": 3}))
    evidence = forms.FileField(label=_("Evidence"), required=False)


class ScoreForm(forms.Form):
    kind = forms.ChoiceField(label=_("Index"), choices=IndexKind.choices)
    year = forms.IntegerField(label=_("Year"), min_value=2015, max_value=2100)
    score = forms.DecimalField(label=_("Score"), min_value=0, max_digits=8, decimal_places=2)
    max_score = forms.DecimalField(label=_("Maximum score"), min_value=0, max_digits=8, decimal_places=2)
    rank = forms.IntegerField(label=_("Rank"), min_value=1, required=False)
    ranked_among = forms.IntegerField(label=_("Ranked among"), min_value=1, required=False)
    source = forms.CharField(label=_("Source"), max_length=500)
