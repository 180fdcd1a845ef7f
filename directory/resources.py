"""Import and export of the directory (CSV, Excel) with django-import-export.

Rows refer to each other by natural keys (codes), not database ids, so a file exported from
one installation can be imported into another.
"""

from import_export import fields, resources, widgets

from .models import AdministrativeUnit, Agency, OrgUnit


class AdministrativeUnitResource(resources.ModelResource):
    parent = fields.Field(
        column_name="parent_code", attribute="parent", widget=widgets.ForeignKeyWidget(AdministrativeUnit, "code")
    )

    class Meta:
        model = AdministrativeUnit
        fields = ("code", "name", "level", "parent", "valid_from", "valid_to")
        import_id_fields = ("code", "valid_from")
        skip_unchanged = True


class AgencyResource(resources.ModelResource):
    parent = fields.Field(column_name="parent_code", attribute="parent", widget=widgets.ForeignKeyWidget(Agency, "code"))
    administrative_unit = fields.Field(
        column_name="administrative_unit_code", attribute="administrative_unit",
        widget=widgets.ForeignKeyWidget(AdministrativeUnit, "code"),
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
