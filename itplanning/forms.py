from __future__ import annotations

from django import forms
from django.utils.translation import gettext_lazy as _

from egov.forms import AccessibleFormMixin, DateInput, Form

from .models import (
    Asset,
    AssetKind,
    ComponentCategory,
    ComponentRole,
    Plan,
    PlanKind,
    Project,
    Source,
    Stage,
    SystemKind,
)


class ModelForm(AccessibleFormMixin, forms.ModelForm):
    pass


class PlanForm(ModelForm):
    class Meta:
        model = Plan
        fields = ["title", "kind", "level", "agency", "start_year", "end_year", "parent", "objectives"]
        widgets = {"objectives": forms.Textarea(attrs={"rows": 4})}

    def __init__(self, *args, agencies, plans, **kwargs):
        super().__init__(*args, **kwargs)
        self.fields["agency"].queryset = agencies
        self.fields["parent"].queryset = plans.filter(kind=PlanKind.FIVE_YEAR)
        self.fields["parent"].help_text = _("For a yearly plan: the five-year plan it carries out.")


class ApproveForm(Form):
    decision_number = forms.CharField(label=_("Approval decision number"), max_length=60)
    decision_date = forms.DateField(label=_("Approval decision date"), widget=DateInput())


class ProjectForm(ModelForm):
    class Meta:
        model = Project
        fields = ["name", "agency", "responsible_unit", "kind", "system_kind", "objectives", "scope", "starts_on",
                  "ends_on"]
        widgets = {"objectives": forms.Textarea(attrs={"rows": 3}), "scope": forms.Textarea(attrs={"rows": 3}),
                   "starts_on": DateInput(), "ends_on": DateInput()}

    def __init__(self, *args, agencies, **kwargs):
        super().__init__(*args, **kwargs)
        self.fields["agency"].queryset = agencies
        self.fields["system_kind"].queryset = SystemKind.objects.filter(active=True)
        self.fields["system_kind"].help_text = _("Used to flag two agencies planning the same kind of system.")


class BudgetForm(Form):
    source = forms.ChoiceField(label=_("Funding source"), choices=Source.choices)
    year = forms.IntegerField(label=_("Year"), min_value=2000, max_value=2100)
    amount = forms.DecimalField(label=_("Amount (đồng)"), min_value=0, max_digits=18, decimal_places=0,
                                help_text=_("Zero removes the line."))


class DisbursementForm(Form):
    source = forms.ChoiceField(label=_("Funding source"), choices=Source.choices)
    amount = forms.DecimalField(label=_("Amount (đồng)"), min_value=1, max_digits=18, decimal_places=0)
    disbursed_on = forms.DateField(label=_("Date"), widget=DateInput())
    evidence = forms.CharField(label=_("Evidence"), max_length=300,
                               help_text=_("The payment order or treasury document, with its number and date."))


class PhaseForm(Form):
    stage = forms.ChoiceField(label=_("Phase"), choices=Stage.choices)
    planned_start = forms.DateField(label=_("Planned start"), widget=DateInput(), required=False)
    planned_end = forms.DateField(label=_("Planned end"), widget=DateInput(), required=False)
    actual_start = forms.DateField(label=_("Actual start"), widget=DateInput(), required=False)
    actual_end = forms.DateField(label=_("Actual end"), widget=DateInput(), required=False)
    note = forms.CharField(label=_("Note"), max_length=300, required=False)


class ComponentForm(Form):
    category = forms.ModelChoiceField(label=_("Architecture layer"), queryset=ComponentCategory.objects.all())
    role = forms.ChoiceField(label=_("Role"), choices=ComponentRole.choices)
    description = forms.CharField(label=_("Component"), max_length=300)


class AssetForm(ModelForm):
    class Meta:
        model = Asset
        fields = ["kind", "name", "agency", "project", "identifier", "contract_number", "supplier", "starts_on",
                  "expires_on", "note", "active"]
        widgets = {"starts_on": DateInput(), "expires_on": DateInput(), "note": forms.Textarea(attrs={"rows": 3})}

    def __init__(self, *args, agencies, projects, **kwargs):
        super().__init__(*args, **kwargs)
        self.fields["agency"].queryset = agencies
        self.fields["project"].queryset = projects


class AssetFilterForm(Form):
    kind = forms.ChoiceField(label=_("Kind"), choices=[("", _("All kinds")), *AssetKind.choices], required=False)
    agency: forms.ModelChoiceField = forms.ModelChoiceField(label=_("Owner agency"), queryset=None, required=False,
                                    empty_label=_("All agencies"))
    q = forms.CharField(label=_("Name, supplier or contract"), max_length=100, required=False)
    expiring = forms.BooleanField(label=_("Expiring within 90 days"), required=False)

    def __init__(self, *args, agencies, **kwargs):
        super().__init__(*args, **kwargs)
        self.fields["agency"].queryset = agencies
