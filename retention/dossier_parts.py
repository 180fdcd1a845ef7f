"""Dossiers at the end of their period, and drafts nobody submitted.

- A finished dossier (completed, or refused, withdrawn, stopped) is **archived**: its rows and every
  file go into one package in the archive storage, checked; then the live copy keeps what the
  statistics and the indices count (code, procedure, agency, dates, status, outcome, the results and
  their signature records) and loses the personal data: applicant and representative fields, the
  form, notes of its history, slips' contents and files, papers' files. A paper or result that the
  person's data store or a signature record still names stays (ADR 0044). ``anonymise`` does the
  same without the package. A dossier not finished is never due: only final states are read.
- A draft (never submitted, no code) untouched for the period is **erased** with its papers.
"""

from __future__ import annotations

import logging
import re

from django.db import transaction
from django.db.models import ProtectedError, Q, QuerySet
from django.db.models.fields.files import FieldFile
from django.utils import timezone

from audit.services import record
from dossiers.models import Dossier, DossierEvent, DossierFile, DossierStep, FilePurpose, Slip
from dossiers.states import Status
from national.models import IdentityCheck, PopulationConsent, RegistryLookup

from . import archive
from .common import Context, Done, Holds, Part, delete_unreferenced
from .models import ArchivedRecord, Disposal

logger = logging.getLogger(__name__)

SETTLED = frozenset({Status.COMPLETED})
UNSETTLED = frozenset({Status.REFUSED, Status.WITHDRAWN, Status.STOPPED})
PERSONAL = {"applicant_name": "", "applicant_id_number": "", "applicant_phone": "", "applicant_email": "",
            "applicant_address": "", "representative_name": "", "representative_id_number": "",
            "representative_phone": "", "authorisation": "", "post_item": "", "form_data": {}, "rating_comment": ""}


class Skipped(Exception):
    """The record changed between the search and the action (a hold placed, a draft edited)."""


def row(obj) -> dict:
    values = {}
    for model_field in obj._meta.concrete_fields:
        value = getattr(obj, model_field.attname)
        values[model_field.attname] = value.name if isinstance(value, FieldFile) else value
    return values


def _label(dossier: Dossier) -> str:
    return dossier.code or f"#{dossier.pk}"


def _failure(ctx: Context, label: str, error: Exception) -> dict:
    if isinstance(error, ProtectedError):
        blocking = sorted({obj._meta.label for obj in error.protected_objects})
        text = "referenced by " + ", ".join(blocking)
    elif isinstance(error, archive.PackageError | Skipped):
        text = str(error)
    else:  # the message of an unexpected error may quote values: only its class goes into the report
        logger.exception("retention failed", extra={"kind": ctx.policy.kind, "record": label})
        text = type(error).__name__
    return {"kind": ctx.policy.kind, "record": label, "error": text}


class FinishedDossiers(Part):
    label = "dossiers.dossier"

    def __init__(self, statuses: frozenset[str]):
        self.statuses = statuses

    def _past(self, ctx: Context) -> QuerySet[Dossier]:
        archived = ArchivedRecord.objects.filter(object_type=self.label).values("object_id")
        return Dossier.objects.filter(status__in=self.statuses, finished_at__lt=ctx.cutoff).exclude(pk__in=archived)

    def _hold(self, ctx: Context) -> Q:
        return Q(pk__in=ctx.holds.dossiers) | Q(applicant_id__in=ctx.holds.people)

    def due(self, ctx: Context) -> QuerySet:
        return self._past(ctx).exclude(self._hold(ctx)).order_by("finished_at", "pk")

    def held(self, ctx: Context) -> int:
        return self._past(ctx).filter(self._hold(ctx)).count()

    def act(self, ids: list[int], ctx: Context) -> Done:
        done = Done()
        for pk in ids:
            dossier = Dossier.objects.select_related("procedure_version", "agency").get(pk=pk)
            try:
                self._one(dossier, ctx)
                done.count += 1
            except Exception as error:  # one record's failure is reported; the others go on
                done.errors.append(_failure(ctx, _label(dossier), error))
        return done

    def _one(self, dossier: Dossier, ctx: Context) -> None:
        package = None
        if ctx.policy.disposal == Disposal.ARCHIVE:
            files = {f"{f.pk}-{(f.file.name or '').rsplit('/', 1)[-1]}": f.file.name or "" for f in dossier.files.all()}
            files.update({f"slip-{s.pk}.pdf": s.file.name or "" for s in dossier.slips.all() if s.file})
            year = timezone.localdate(dossier.finished_at).year if dossier.finished_at else 0
            name = f"dossiers/{year}/{re.sub(r'[^A-Za-z0-9._-]', '-', _label(dossier))}.tar"
            package = archive.write(name=name, header=_header(dossier, ctx), record=_record(dossier), files=files)
        with transaction.atomic():
            current = Dossier.objects.select_for_update().get(pk=dossier.pk)
            if current.status not in self.statuses or _held_now(current):
                raise Skipped("no longer due")
            names = _strip(current)
            ArchivedRecord.objects.create(
                kind=ctx.policy.kind, object_type=self.label, object_id=current.pk, label=_label(current)[:80],
                package=package.name if package else "", sha256=package.sha256 if package else "",
                size=package.size if package else 0, archived_at=timezone.now(), run=ctx.run)
            record(action="update", obj=current, summary={
                "retention": ctx.policy.kind, "disposal": ctx.policy.disposal, "policy": ctx.policy.pk,
                "run": ctx.run.pk, "package": package.name if package else "",
                "sha256": package.sha256 if package else "", "files_removed": len(names)})
            transaction.on_commit(lambda: delete_unreferenced(names))


def _held_now(dossier: Dossier) -> bool:
    """Asked again under the row lock: a hold placed since the search still wins."""
    holds = Holds.now()
    return dossier.pk in holds.dossiers or dossier.applicant_id in holds.people


def _header(dossier: Dossier, ctx: Context) -> dict:
    policy = ctx.policy
    return {"kind": policy.kind, "record": {"type": "dossiers.dossier", "id": dossier.pk, "code": dossier.code},
            "agency": dossier.agency.name, "procedure": dossier.procedure_version.name,
            "finished_at": dossier.finished_at, "archived_at": timezone.now(), "run": ctx.run.pk,
            "policy": {"id": policy.pk, "period": policy.period_text, "disposal": policy.disposal,
                       "legal_basis": policy.legal_basis}}


def _record(dossier: Dossier) -> dict:
    return {
        "dossier": row(dossier),
        "events": [row(e) for e in dossier.events.all()],
        "steps": [row(s) for s in dossier.steps.all()],
        "slips": [row(s) for s in dossier.slips.all()],
        "files": [row(f) for f in dossier.files.all()],
        "payments": [row(p) for p in dossier.payments.all()],
        "identity_checks": [row(c) for c in IdentityCheck.objects.filter(dossier=dossier)],
        "population_consents": [row(c) for c in PopulationConsent.objects.filter(dossier=dossier)],
        "population_lookups": [row(lookup) for lookup in RegistryLookup.objects.filter(dossier=dossier)],
    }


def _personal() -> dict:
    """The personal fields emptied, with the keyed hashes computed from them (ADR 0050)."""
    hashes = {f.attname: "" for f in Dossier._meta.concrete_fields if getattr(f, "source", None) in PERSONAL}
    return {**PERSONAL, **hashes}


def _strip(dossier: Dossier) -> list[str]:
    """Remove the personal data from the live copy; the stored names of the files to delete."""
    Dossier.objects.filter(pk=dossier.pk).update(**_personal())
    DossierEvent.objects.filter(dossier=dossier).update(note="")
    DossierStep.objects.filter(dossier=dossier).update(note="")
    IdentityCheck.objects.filter(dossier=dossier).update(declared={}, differences=[])
    names = [s.file.name or "" for s in Slip.objects.filter(dossier=dossier).exclude(file="")]
    Slip.objects.filter(dossier=dossier).update(content={}, file="")
    for paper in DossierFile.objects.filter(dossier=dossier).exclude(purpose=FilePurpose.RESULT):
        try:
            with transaction.atomic():
                DossierFile.objects.filter(pk=paper.pk).update(original_name="")
                DossierFile.objects.filter(pk=paper.pk).delete()
            names.append(paper.file.name or "")
        except ProtectedError:  # named by the person's data store: it stays theirs
            continue
    return names


class Drafts(Part):
    """Drafts of citizens never submitted: erased with their papers after the period without a change."""

    label = "dossiers.dossier"

    def _past(self, ctx: Context) -> QuerySet[Dossier]:
        return Dossier.objects.filter(status=Status.DRAFT, code__isnull=True, updated_at__lt=ctx.cutoff)

    def _hold(self, ctx: Context) -> Q:
        return Q(pk__in=ctx.holds.dossiers) | Q(applicant_id__in=ctx.holds.people)

    def due(self, ctx: Context) -> QuerySet:
        return self._past(ctx).exclude(self._hold(ctx)).order_by("updated_at", "pk")

    def held(self, ctx: Context) -> int:
        return self._past(ctx).filter(self._hold(ctx)).count()

    def act(self, ids: list[int], ctx: Context) -> Done:
        done = Done()
        for pk in ids:
            try:
                names = self._one(pk, ctx)
            except Exception as error:
                done.errors.append(_failure(ctx, f"#{pk}", error))
                continue
            if names is not None:
                done.count += 1
        return done

    def _one(self, pk: int, ctx: Context) -> list[str] | None:
        with transaction.atomic():
            draft = self._past(ctx).select_for_update().filter(pk=pk).first()
            if draft is None:  # submitted or edited since
                return None
            if _held_now(draft):
                raise Skipped("held")
            names = [f.file.name or "" for f in DossierFile.objects.filter(dossier=draft)]
            names += [s.file.name or "" for s in Slip.objects.filter(dossier=draft).exclude(file="")]
            # A consent given while filling the form stays, under its own period, without the draft.
            PopulationConsent.objects.filter(dossier=draft).update(dossier=None)
            RegistryLookup.objects.filter(dossier=draft).update(dossier=None)
            DossierFile.objects.filter(dossier=draft).update(original_name="")
            DossierFile.objects.filter(dossier=draft).delete()
            Slip.objects.filter(dossier=draft).delete()
            record(action="delete", obj=draft, summary={
                "retention": ctx.policy.kind, "disposal": Disposal.ERASE, "policy": ctx.policy.pk,
                "run": ctx.run.pk, "files_removed": len(names)})
            draft.delete()
            transaction.on_commit(lambda: delete_unreferenced(names))
        return names

