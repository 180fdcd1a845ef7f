"""Reading what a client sends in multipart requests: the idempotency key, JSON fields, the
applicant's contact and the papers (``paper_<requirement id>``). Checks here only attribute
errors to fields; the dossier services decide and check again."""

import json
import math
import uuid

from django.core.exceptions import ValidationError
from django.core.paginator import Paginator
from django.utils.translation import gettext as _

from dossiers.forms import ContactForm
from dossiers.uploads import inspect
from egov.text import holds_nul, nul_refused

from .errors import ApiError

PAPER_PREFIX = "paper_"
CONTACT_FIELDS = ("applicant_name", "applicant_id_number", "applicant_phone", "applicant_email",
                  "applicant_address")
# A person acting for the applicant under an authorisation (dossiers.receiving_forms.RepresentativeForm).
REPRESENTATIVE_FIELDS = ("representative_name", "representative_id_number", "representative_phone",
                         "authorisation")


def idempotency_key(request) -> uuid.UUID:
    value = request.headers.get("Idempotency-Key", "").strip()
    if not value:
        raise ApiError(400, _("The Idempotency-Key header is required: send a new UUID for each dossier, and "
                              "the same UUID again when you retry."))
    try:
        return uuid.UUID(value)
    except ValueError:
        raise ApiError(400, _("The Idempotency-Key header must be a UUID, e.g. "
                              "3f2c8a4e-6b1d-4c9a-9f0e-2d7b5a1c8e44.")) from None


def text(request, name: str, errors: dict, *, json: bool = False) -> str:
    """A multipart text field, stripped; one holding a NUL character is refused (and read as empty)."""
    value = request.POST.get(name, "").strip()
    if holds_nul(value, json=json):
        errors[name] = [nul_refused()]
        return ""
    return value


def json_object(request, name: str, errors: dict) -> dict:
    raw = text(request, name, errors, json=True)
    if not raw:
        return {}
    try:
        value = json.loads(raw)
    except ValueError:
        value = None
    if not isinstance(value, dict):
        errors[name] = [_("This must be a JSON object, e.g. {\"name\": \"value\"}.")]
        return {}
    return value


def form_values(values: dict, version, errors: dict) -> dict:
    """The e-form's values; a name the e-form does not have is refused rather than dropped,
    so that a client's typo does not pass unnoticed."""
    known = (version.form_schema or {}).get("properties", {})
    unknown = sorted(set(values) - set(known))
    if unknown:
        errors["form"] = [_("The e-form has no field %(name)s.") % {"name": name} for name in unknown]
    return {name: value for name, value in values.items() if name in known}


class _OptionalContactForm(ContactForm):
    """The web form's rules, but everything optional: what is left out comes from the profile."""

    def __init__(self, *args, **kwargs):
        super().__init__(*args, **kwargs)
        for field in self.fields.values():
            field.required = False


def contact(values: dict, errors: dict) -> dict:
    unknown = sorted(set(values) - set(CONTACT_FIELDS) - set(REPRESENTATIVE_FIELDS))
    if unknown:
        errors["contact"] = [_("Unknown contact field: %(name)s") % {"name": name} for name in unknown]
    given = {name: "" if values[name] is None else str(values[name]) for name in CONTACT_FIELDS if name in values}
    form = _OptionalContactForm(data=given)
    acting = {name: "" if values[name] is None else str(values[name]) for name in REPRESENTATIVE_FIELDS
              if name in values}
    representative = _representative(acting)
    if not form.is_valid() or not representative.is_valid():
        for problems in (form.errors, representative.errors if acting else {}):
            errors.update({name: [str(m) for m in messages] for name, messages in problems.items()})
        return {}
    found = {name: form.cleaned_data[name] for name, value in given.items() if value.strip()}
    if any(value.strip() for value in acting.values()):
        found.update(representative.details())
    return found


def _representative(values: dict):
    """The web form's rules: a representative needs a name, an ID number and the authorisation."""
    from dossiers.receiving_forms import RepresentativeForm

    on_behalf = any(value.strip() for value in values.values())
    return RepresentativeForm(data={**values, "on_behalf": "on" if on_behalf else ""})


def papers(request, version, errors: dict) -> dict:
    """``{requirement id: file}`` from the ``paper_<id>`` parts, each file checked by content."""
    requirements = {p.pk: p for p in version.papers.all()}
    uploads = {}
    for name in request.POST:
        if name.startswith(PAPER_PREFIX) and name not in request.FILES:  # a text part, not a file: lost if ignored
            errors[name] = [_("A paper must be sent as a file: a multipart part with a filename.")]
    for name in request.FILES:
        suffix = name[len(PAPER_PREFIX):] if name.startswith(PAPER_PREFIX) else ""
        requirement = requirements.get(int(suffix)) if suffix.isdigit() else None
        if requirement is None:
            errors[name] = [_("This paper is not part of the procedure; name each file paper_<id> with the "
                              "id of a paper of the procedure.")]
            continue
        files = request.FILES.getlist(name)
        if len(files) != 1:
            errors[name] = [_("Send one file per paper.")]
            continue
        try:
            inspect(files[0], accepted=requirement.accepted_types, max_size_mb=requirement.max_size_mb)
        except ValidationError as refused:
            errors[name] = [str(m) for m in refused.messages]
            continue
        uploads[requirement.pk] = files[0]
    return uploads


def page_of(queryset, page: int, page_size: int, build) -> dict:
    paginator = Paginator(queryset, page_size)
    count = paginator.count
    items = paginator.page(page).object_list if page <= paginator.num_pages and count else []
    return {"count": count, "page": page, "pages": max(1, math.ceil(count / page_size)), "page_size": page_size,
            "items": [build(item) for item in items]}
