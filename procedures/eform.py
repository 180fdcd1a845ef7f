"""E-forms (tờ khai điện tử) defined as data and rendered as accessible Django forms.

A schema is a small subset of JSON Schema, so it can be written by hand or exported to other
systems::

    {"type": "object",
     "required": ["child_name", "birth_date"],
     "properties": {
        "child_name": {"type": "string", "title": "Họ, chữ đệm, tên của trẻ", "title_en": "Child's name",
                       "maxLength": 100},
        "birth_date": {"type": "string", "format": "date", "title": "Ngày, tháng, năm sinh"},
        "sex": {"type": "string", "enum": ["Nam", "Nữ"], "title": "Giới tính"},
        "copies": {"type": "integer", "minimum": 0, "maximum": 20, "title": "Số bản sao"},
        "note": {"type": "string", "format": "textarea", "title": "Ghi chú"}},
     "x-prefill": {"requester_name": "full_name", "requester_id": "id_number"}}

Types: string (formats date, email, textarea, phone, id_number), integer, number, boolean; enum
makes a choice list (``"x-widget": "radio"`` shows it as radio buttons). Field order is the order of
``properties``. ``x-prefill`` maps a field to a profile attribute (full_name, email, id_number,
phone, address, business_name, tax_code).

A declaration states facts with legal effect (who the child's mother is, the sex): no choice is
ever made for the applicant. A list starts on "— Chọn —" and a group of radio buttons with nothing
checked, and a required one left so is refused. A date is typed dd/mm/yyyy (yyyy-mm-dd from the
API); it is stored as yyyy-mm-dd and shown dd/mm/yyyy.
"""

import datetime as dt
from decimal import Decimal

from django import forms
from django.core.validators import RegexValidator
from django.utils import translation
from django.utils.translation import gettext_lazy as _

from egov.forms import DateInput, Form

TYPES = {"string", "integer", "number", "boolean"}
STRING_FORMATS = {None, "date", "email", "textarea", "phone", "id_number"}
PREFILL_SOURCES = {"full_name", "email", "id_number", "phone", "address", "business_name", "tax_code"}

phone_validator = RegexValidator(r"^(\+84|0)\d{9,10}$", _("Enter a Vietnamese phone number, e.g. 0912345678."))
id_number_validator = RegexValidator(r"^\d{12}$", _("A citizen ID number has 12 digits."))


class SchemaError(ValueError):
    pass


def check_schema(schema: dict) -> None:
    """Refuse a schema the form builder would not understand, naming the faulty field."""
    if not schema:
        return
    if schema.get("type") != "object" or not isinstance(schema.get("properties"), dict):
        raise SchemaError("the e-form must be an object with properties")
    properties = schema["properties"]
    for name, spec in properties.items():
        if not name.isidentifier():
            raise SchemaError(f"{name}: field names are letters, digits and underscores")
        if spec.get("type") not in TYPES:
            raise SchemaError(f"{name}: unknown type {spec.get('type')!r}")
        if spec.get("type") == "string" and spec.get("format") not in STRING_FORMATS:
            raise SchemaError(f"{name}: unknown format {spec.get('format')!r}")
        if "enum" in spec and not (isinstance(spec["enum"], list) and spec["enum"]):
            raise SchemaError(f"{name}: enum must be a non-empty list")
        if not spec.get("title"):
            raise SchemaError(f"{name}: a title is required")
        if spec.get("x-widget") not in (None, "radio") or (spec.get("x-widget") and "enum" not in spec):
            raise SchemaError(f"{name}: x-widget radio is for a field with an enum")
    for name in schema.get("required", []):
        if name not in properties:
            raise SchemaError(f"required field {name} is not defined")
    for name, source in schema.get("x-prefill", {}).items():
        if name not in properties or source not in PREFILL_SOURCES:
            raise SchemaError(f"prefill {name} <- {source} is not possible")


def _label(spec: dict) -> str:
    if translation.get_language() == "en" and spec.get("title_en"):
        return spec["title_en"]
    return spec["title"]


# A date typed by hand in dd/mm/yyyy (also d/m/yyyy, dd-mm-yyyy) or sent by a date input (ISO).
DATE_INPUT_FORMATS = ["%Y-%m-%d", "%d/%m/%Y", "%d-%m-%Y", "%d.%m.%Y"]


def _field(spec: dict, required: bool) -> forms.Field:
    common = {"label": _label(spec), "required": required, "help_text": spec.get("description", "")}
    kind, fmt = spec["type"], spec.get("format")
    if "enum" in spec:
        choices = [(str(v), str(v)) for v in spec["enum"]]
        messages = {"required": _("Choose one of the options.")}
        if spec.get("x-widget") == "radio":
            return forms.ChoiceField(choices=choices, widget=forms.RadioSelect, error_messages=messages, **common)
        return forms.ChoiceField(choices=[("", _("— Choose —")), *choices], error_messages=messages, **common)
    if kind == "integer":
        return forms.IntegerField(min_value=spec.get("minimum"), max_value=spec.get("maximum"), **common)
    if kind == "number":
        return forms.DecimalField(min_value=spec.get("minimum"), max_value=spec.get("maximum"), **common)
    if kind == "boolean":
        return forms.BooleanField(**common)
    if fmt == "date":
        # Typed dd/mm/yyyy whatever the browser's language (a browser's own date input shows its
        # interface language's order, mm/dd/yyyy in an English one); ISO is accepted too (the API).
        return forms.DateField(widget=DateInput(),
                               input_formats=DATE_INPUT_FORMATS,
                               error_messages={"invalid": _("Enter a date as dd/mm/yyyy, e.g. 25/03/2024.")},
                               **common)
    if fmt == "email":
        return forms.EmailField(max_length=spec.get("maxLength", 254), **common)
    if fmt == "textarea":
        return forms.CharField(widget=forms.Textarea(attrs={"rows": 3}), max_length=spec.get("maxLength", 2000),
                               **common)
    validators = {"phone": [phone_validator], "id_number": [id_number_validator]}.get(fmt or "", [])
    return forms.CharField(max_length=spec.get("maxLength", 255), min_length=spec.get("minLength"),
                           validators=validators, **common)


def build_form(schema: dict, *, data=None, initial=None) -> "EFormBase":
    """A bound (or unbound) Django form for ``schema``; ``cleaned_json()`` gives storable values."""
    required = set(schema.get("required", []))
    properties = schema.get("properties", {})
    fields = {name: _field(spec, name in required) for name, spec in properties.items()}
    form_class = type("EForm", (EFormBase,), fields)
    return form_class(data=data, initial=_dates_of(properties, initial))


def _dates_of(properties: dict, initial: dict | None) -> dict | None:
    """Stored answers with their dates as dates, which the date fields show as dd/mm/yyyy."""
    if not initial:
        return initial
    shown = dict(initial)
    for name, spec in properties.items():
        if spec.get("format") == "date" and isinstance(shown.get(name), str):
            try:
                shown[name] = dt.date.fromisoformat(shown[name])
            except ValueError:
                pass
    return shown


class EFormBase(Form):
    def cleaned_json(self) -> dict:
        out = {}
        for name, value in self.cleaned_data.items():
            if isinstance(value, dt.date):
                value = value.isoformat()
            elif isinstance(value, Decimal):
                value = str(value)
            out[name] = value
        return out


def validate(schema: dict, values: dict) -> tuple[dict, dict[str, list[str]]]:
    """Server-side validation of submitted values (from HTML or the API): (clean values, errors)."""
    form = build_form(schema, data=values)
    if form.is_valid():
        return form.cleaned_json(), {}
    return {}, {name: [str(e) for e in errors] for name, errors in form.errors.items()}


def display_value(spec: dict, value) -> str:
    """A stored answer as the applicant reads it: dates dd/mm/yyyy, yes/no for a box."""
    if value in (None, ""):
        return ""
    if spec.get("format") == "date":
        try:
            return dt.date.fromisoformat(str(value)).strftime("%d/%m/%Y")
        except ValueError:
            return str(value)
    if spec.get("type") == "boolean":
        return str(_("yes") if value in (True, "true", "on", "True") else _("no"))
    return str(value)


def answers(schema: dict, values: dict) -> list[tuple[str, str]]:
    """(label, value as shown) for every field of the declaration, in order."""
    return [(_label(spec), display_value(spec, values.get(name, "")))
            for name, spec in schema.get("properties", {}).items()]


def prefill(schema: dict, profile: dict) -> dict:
    return {name: profile[source] for name, source in schema.get("x-prefill", {}).items() if profile.get(source)}
