import datetime as dt
from urllib.parse import urlencode

from django import forms
from django.utils import timezone
from django.utils.translation import gettext_lazy as _

from egov.forms import DateInput, Form

from .periods import ROMAN, Period, PeriodKind
from .queries import Grouping, agencies_in_scope

PERIOD_FIELDS = {PeriodKind.MONTH: ["year", "month"], PeriodKind.QUARTER: ["year", "quarter"],
                 PeriodKind.YEAR: ["year"], PeriodKind.RANGE: ["date_from", "date_to"]}
LONGEST_RANGE = dt.timedelta(days=3 * 366)


def defaults(today: dt.date | None = None) -> dict[str, str]:
    """This month, by receiving agency."""
    today = today or timezone.localdate()
    return {"period": PeriodKind.MONTH, "year": str(today.year), "month": str(today.month),
            "quarter": str((today.month - 1) // 3 + 1), "group_by": Grouping.AGENCY}


class SettlementReportForm(Form):
    period = forms.ChoiceField(label=_("Period"), choices=PeriodKind.choices)
    year = forms.IntegerField(label=_("Year"), min_value=2000, max_value=2100, required=False,
                              help_text=_("For a month, a quarter or a year."))
    month = forms.TypedChoiceField(label=_("Month"), coerce=int, required=False,
                                   choices=[(m, str(m)) for m in range(1, 13)])
    quarter = forms.TypedChoiceField(label=_("Quarter"), coerce=int, required=False,
                                     choices=[(q, ROMAN[q]) for q in range(1, 5)])
    date_from = forms.DateField(label=_("First day"), required=False, help_text=_("For a date range."),
                                widget=DateInput())
    date_to = forms.DateField(label=_("Last day"), required=False, help_text=_("For a date range."),
                              widget=DateInput())
    group_by = forms.ChoiceField(label=_("One row per"), choices=Grouping.choices)
    agency = forms.ModelChoiceField(label=_("Agency"), queryset=None, required=False,
                                    empty_label=_("Every agency I may see"))

    def __init__(self, *args, user, **kwargs):
        super().__init__(*args, **kwargs)
        self.fields["agency"].queryset = agencies_in_scope(user).order_by("code")
        for name, field in self.fields.items():
            if field.help_text:
                field.widget.attrs["aria-describedby"] = f"id_{name}_helptext"

    def clean(self):
        data = super().clean()
        kind = data.get("period")
        year = data.get("year")
        try:
            if kind == PeriodKind.RANGE:
                first, last = data.get("date_from"), data.get("date_to")
                if not (first and last):
                    raise forms.ValidationError(_("Give the first and the last day of the range."))
                if first > last:
                    raise forms.ValidationError(_("The first day comes after the last day."))
                if last - first > LONGEST_RANGE:
                    raise forms.ValidationError(_("A report covers at most three years."))
                data["report_period"] = Period.days(first, last)
            elif kind in PeriodKind.values:
                if not year:
                    raise forms.ValidationError(_("Give the year."))
                if kind == PeriodKind.MONTH:
                    if not data.get("month"):
                        raise forms.ValidationError(_("Choose the month."))
                    data["report_period"] = Period.month(year, data["month"])
                elif kind == PeriodKind.QUARTER:
                    if not data.get("quarter"):
                        raise forms.ValidationError(_("Choose the quarter."))
                    data["report_period"] = Period.quarter(year, data["quarter"])
                else:
                    data["report_period"] = Period.year(year)
        except forms.ValidationError as error:
            self.add_error(None, error)
        return data

    def querystring(self) -> str:
        """The same report, as parameters for the Excel and PDF links (only those that matter)."""
        data = self.cleaned_data
        names = ["period", *PERIOD_FIELDS[data["period"]], "group_by", "agency"]
        params = {}
        for name in names:
            value = data.get(name)
            if value in (None, ""):
                continue
            if isinstance(value, dt.date):
                value = value.isoformat()
            elif name == "agency":
                value = value.pk
            params[name] = value
        return urlencode(params)
