"""Changes to the catalog: new versions, publishing, import."""

import datetime as dt
from decimal import Decimal

from django.core.exceptions import ValidationError
from django.db import transaction
from django.utils import timezone
from django.utils.translation import gettext as _

from egov.text import fold

from .models import PaperRequirement, Procedure, ProcedureVersion, VersionStatus


def refresh_search_key(procedure: Procedure) -> None:
    version = procedure.current
    parts = [procedure.code]
    if version is not None:
        parts += [version.name, version.field.name, " ".join(a.name for a in version.agencies.all())]
    Procedure.objects.filter(pk=procedure.pk).update(search_key=fold(" ".join(parts)))


@transaction.atomic
def new_version(*, procedure: Procedure) -> ProcedureVersion:
    """A draft copy of the current version (with its papers) to edit; dossiers keep the old one."""
    source = procedure.current or procedure.versions.order_by("-number").first()
    if source is None:
        raise ValidationError(_("This procedure has no version to copy."))
    latest = procedure.versions.order_by("-number").values_list("number", flat=True).first() or 0
    draft = ProcedureVersion.objects.get(pk=source.pk)
    draft.pk = None
    draft.number = latest + 1
    draft.status = VersionStatus.DRAFT
    draft.published_at = None
    draft.save()
    draft.agencies.set(source.agencies.all())
    for paper in source.papers.all():
        paper.pk = None
        paper.version = draft
        paper.save()
    return draft


@transaction.atomic
def publish(*, version: ProcedureVersion) -> ProcedureVersion:
    """Make ``version`` the one citizens apply for; the previous one is retired, not changed."""
    version.full_clean()
    procedure = Procedure.objects.select_for_update().get(pk=version.procedure_id)
    previous = procedure.current
    if previous is not None and previous.pk != version.pk:
        previous.status = VersionStatus.RETIRED
        previous.save(update_fields=["status"])
    version.status = VersionStatus.PUBLISHED
    version.published_at = timezone.now()
    version.save(update_fields=["status", "published_at"])
    procedure.current = version
    procedure.save(update_fields=["current"])
    refresh_search_key(procedure)
    return version


@transaction.atomic
def import_catalog(items: list[dict], *, agencies_by_code: dict) -> list[Procedure]:
    """Create or update procedures from the JSON layout of ``export_catalog``; each changed
    procedure gets a new published version, never an edit of a published one."""
    from .models import ProcedureField

    imported = []
    for item in items:
        field, _ = ProcedureField.objects.get_or_create(code=item["field"]["code"],
                                                        defaults={"name": item["field"]["name"]})
        procedure, _ = Procedure.objects.get_or_create(code=item["code"])
        content = {k: item[k] for k in CONTENT_KEYS if k in item}
        if "time_limit" not in item:  # catalogs written before time limits had kinds: working days
            content.update(time_limit_kind="working_days", time_limit=item["time_limit_days"])
        content.setdefault("time_limit_cutoff", None)
        current = procedure.current
        if current is not None and _content_of(current) == {**content, "field": field.code} and _papers_of(
                current) == item["papers"] and sorted(a.code for a in current.agencies.all()) == sorted(item["agencies"]):
            imported.append(procedure)
            continue
        number = (procedure.versions.order_by("-number").values_list("number", flat=True).first() or 0) + 1
        content["time_limit"] = Decimal(str(content["time_limit"]))
        content["time_limit_cutoff"] = _clock(content["time_limit_cutoff"])
        version = ProcedureVersion(procedure=procedure, number=number, field=field, **content)
        version.full_clean(exclude=["procedure"])
        version.save()
        version.agencies.set([agencies_by_code[code] for code in item["agencies"]])
        for order, paper in enumerate(item["papers"], start=1):
            PaperRequirement.objects.create(version=version, order=order, **paper)
        publish(version=version)
        procedure.refresh_from_db()
        imported.append(procedure)
    return imported


CONTENT_KEYS = ("name", "level", "kind", "old_level", "time_limit_kind", "time_limit", "time_limit_cutoff", "fees",
                "result_type", "legal_basis",
                "requirements_text", "form_schema")
PAPER_KEYS = ("name", "required", "copies", "accepted_types", "max_size_mb")


def _content_of(version: ProcedureVersion) -> dict:
    content = {k: getattr(version, k) for k in CONTENT_KEYS}
    content["time_limit"] = float(content["time_limit"])
    cutoff = content["time_limit_cutoff"]
    content["time_limit_cutoff"] = cutoff.strftime("%H:%M") if cutoff else None
    content["field"] = version.field.code
    return content


def _papers_of(version: ProcedureVersion) -> list[dict]:
    return [{k: getattr(p, k) for k in PAPER_KEYS} for p in version.papers.all()]


def export_catalog(procedures) -> list[dict]:
    out = []
    for procedure in procedures:
        version = procedure.current
        if version is None:
            continue
        content = _content_of(version)
        content.pop("field")
        out.append({
            "code": procedure.code, **content,
            "field": {"code": version.field.code, "name": version.field.name},
            "agencies": sorted(a.code for a in version.agencies.all()),
            "papers": _papers_of(version),
        })
    return out


def _clock(value):
    """A cut-off hour from the catalog ("15:00"), or None."""
    if value in (None, ""):
        return None
    if isinstance(value, dt.time):
        return value
    return dt.datetime.strptime(str(value)[:5], "%H:%M").time()
