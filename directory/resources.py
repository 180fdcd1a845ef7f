"""Import and export of the directory (CSV, Excel) with django-import-export.

Rows refer to each other by natural keys (codes), not database ids, so a file exported from
one installation can be imported into another.
"""

import datetime as dt

from import_export import fields, resources, widgets

from .models import AdministrativeUnit, Agency, OrgUnit


class UnitByCodeWidget(widgets.ForeignKeyWidget):
    """A unit code can name two rows (before and after the 2025 reform): take the one in force
    on the row's end date, or today for a row still in force."""

    def __init__(self):
        super().__init__(AdministrativeUnit, "code")

    def clean(self, value, row=None, **kwargs):
        if not value:
            return None
        candidates = list(AdministrativeUnit.objects.filter(code=value).order_by("-valid_from"))
        if len(candidates) <= 1:
            if not candidates:
                raise ValueError(f"no administrative unit with code {value}")
            return candidates[0]
        end = (row or {}).get("valid_to")
        day = end if isinstance(end, dt.date) else (dt.date.fromisoformat(str(end)[:10]) if end else dt.date.today())
        return next((unit for unit in candidates if unit.is_valid_on(day)), candidates[0])


class AdministrativeUnitResource(resources.ModelResource):
    parent = fields.Field(column_name="parent_code", attribute="parent", widget=UnitByCodeWidget())

    class Meta:
        model = AdministrativeUnit
        fields = ("code", "name", "level", "parent", "valid_from", "valid_to")
        import_id_fields = ("code", "valid_from")
        skip_unchanged = True


class AgencyResource(resources.ModelResource):
    parent = fields.Field(column_name="parent_code", attribute="parent", widget=widgets.ForeignKeyWidget(Agency, "code"))
    administrative_unit = fields.Field(
        column_name="administrative_unit_code", attribute="administrative_unit", widget=UnitByCodeWidget(),
    )

    class Meta:
        model = Agency
        fields = ("code", "name", "abbreviation", "parent", "administrative_unit", "email", "phone", "address",
                  "valid_from", "valid_to")
        import_id_fields = ("code",)
        skip_unchanged = True


class OrgUnitResource(resources.ModelResource):
    agency = fields.Field(column_name="agency_code", attribute="agency", widget=widgets.ForeignKeyWidget(Agency, "code"))

    class Meta:
        model = OrgUnit
        fields = ("agency", "name", "abbreviation", "active")
        import_id_fields = ("agency", "name")
        skip_unchanged = True
