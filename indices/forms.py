from urllib.parse import urlencode

from django import forms
from django.utils import timezone
from django.utils.translation import gettext_lazy as _

from egov.forms import Form
from workdays.report_periods import ROMAN, Period, PeriodKind

from .policy import readable_scopes
from .selectors import Scope

PERIOD_KINDS = [(kind.value, kind.label) for kind in (PeriodKind.MONTH, PeriodKind.QUARTER, PeriodKind.YEAR)]


def defaults() -> dict[str, str]:
    """The current year, month and quarter, month by default."""
    today = timezone.localdate()
    return {"period": PeriodKind.MONTH, "year": str(today.year), "month": str(today.month),
            "quarter": str((today.month - 1) // 3 + 1)}


class IndicesForm(Form):
    scope = forms.ChoiceField(label=_("Indices of"))
    period = forms.ChoiceField(label=_("Period"), choices=PERIOD_KINDS)
    year = forms.IntegerField(label=_("Year"), min_value=2000, max_value=2100)
    month = forms.TypedChoiceField(label=_("Month"), coerce=int, required=False,
                                   choices=[(m, str(m)) for m in range(1, 13)])
    quarter = forms.TypedChoiceField(label=_("Quarter"), coerce=int, required=False,
                                     choices=[(q, ROMAN[q]) for q in range(1, 5)])

    def __init__(self, *args, user, **kwargs):
        super().__init__(*args, **kwargs)
        self.fields["scope"].choices = [(scope.key, name) for scope, name in readable_scopes(user)]

    def clean(self):
        data = super().clean()
        if "scope" in data:
            data["scope_obj"] = Scope.parse(data["scope"])
        kind, year = data.get("period"), data.get("year")
        if year:
            if kind == PeriodKind.MONTH:
                data["report_period"] = Period.month(year, data.get("month") or 1)
            elif kind == PeriodKind.QUARTER:
                data["report_period"] = Period.quarter(year, data.get("quarter") or 1)
            elif kind == PeriodKind.YEAR:
                data["report_period"] = Period.year(year)
        return data

    def querystring(self) -> str:
        data = self.cleaned_data
        params = {"scope": data["scope"], "period": data["period"], "year": data["year"]}
        if data["period"] == PeriodKind.MONTH:
            params["month"] = data.get("month") or 1
        elif data["period"] == PeriodKind.QUARTER:
            params["quarter"] = data.get("quarter") or 1
        return urlencode(params)
