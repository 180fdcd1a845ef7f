"""What the API answers, built from the same rows the web pages show."""

import datetime as dt
from typing import Any

from django.urls import reverse
from ninja import Schema

from dossiers import selectors
from dossiers.models import Dossier, DossierFile
from dossiers.states import Status
from procedures.models import Procedure


class FieldOut(Schema):
    code: str
    name: str


class AgencyOut(Schema):
    id: int
    code: str
    name: str


class ProcedureSummaryOut(Schema):
    code: str
    name: str
    field: FieldOut
    kind: str
    level: str
    old_level: int
    time_limit_kind: str
    time_limit: float
    time_limit_text: str


class ProcedurePageOut(Schema):
    count: int
    page: int
    pages: int
    page_size: int
    items: list[ProcedureSummaryOut]


class FeeOut(Schema):
    name: str
    rule: dict[str, Any]


class PaperOut(Schema):
    id: int
    name: str
    required: bool
    copies: str
    accepted_types: list[str]
    max_size_mb: int
    upload_field: str


class ProcedureOut(ProcedureSummaryOut):
    result_type: str
    legal_basis: str
    fees: list[FeeOut]
    papers: list[PaperOut]
    agencies: list[AgencyOut]
    form_schema: dict[str, Any]


class ProcedureRefOut(Schema):
    code: str
    name: str


class EventOut(Schema):
    at: dt.datetime
    status: str
    status_label: str


class DossierEventOut(EventOut):
    from_status: str
    note: str


class FileOut(Schema):
    id: int
    name: str
    purpose: str
    paper_id: int | None
    content_type: str
    size: int
    uploaded_at: dt.datetime
    download_url: str
    api_download_url: str


class ContactOut(Schema):
    applicant_name: str
    applicant_id_number: str
    applicant_phone: str
    applicant_email: str
    applicant_address: str
    # The person acting for the applicant under an authorisation (empty when none).
    representative_name: str
    representative_id_number: str
    representative_phone: str
    authorisation: str


class DossierSummaryOut(Schema):
    code: str
    procedure: ProcedureRefOut
    agency: AgencyOut
    status: str
    status_label: str
    channel: str
    fee_amount: int
    submitted_at: dt.datetime | None
    due_at: dt.datetime | None
    finished_at: dt.datetime | None


class DossierPageOut(Schema):
    count: int
    page: int
    pages: int
    page_size: int
    items: list[DossierSummaryOut]


class DossierOut(DossierSummaryOut):
    received_at: dt.datetime | None
    contact: ContactOut
    form: dict[str, Any]
    events: list[DossierEventOut]
    files: list[FileOut]
    can_withdraw: bool
    can_answer_supplement: bool


class LookupOut(Schema):
    code: str
    procedure: ProcedureRefOut
    agency: AgencyOut
    status: str
    status_label: str
    submitted_at: dt.datetime | None
    due_at: dt.datetime | None
    finished_at: dt.datetime | None
    events: list[EventOut]
    verified: bool
    applicant_name: str | None = None


class WithdrawIn(Schema):
    reason: str


# --- building the answers --------------------------------------------------------------------

def agency_out(agency) -> dict:
    return {"id": agency.pk, "code": agency.code, "name": agency.name}


def procedure_summary(procedure: Procedure) -> dict:
    version = procedure.current
    return {"code": procedure.code, "name": version.name, "field": {"code": version.field.code,
                                                                   "name": version.field.name},
            "kind": version.kind, "level": version.level, "old_level": version.old_level,
            "time_limit_kind": version.time_limit_kind, "time_limit": float(version.time_limit),
            "time_limit_text": version.limit_text}


def procedure_detail(procedure: Procedure) -> dict:
    version = procedure.current
    return {
        **procedure_summary(procedure),
        "result_type": version.result_type, "legal_basis": version.legal_basis,
        "fees": [{"name": item.get("name", ""), "rule": item.get("rule", {})} for item in version.fees or []],
        "papers": [{"id": p.pk, "name": p.name, "required": p.required, "copies": p.copies,
                    "accepted_types": list(p.accepted_types or []), "max_size_mb": p.max_size_mb,
                    "upload_field": f"paper_{p.pk}"} for p in version.papers.all()],
        "agencies": [agency_out(a) for a in version.agencies.all()],
        "form_schema": version.form_schema or {},
    }


def _status(value: str) -> dict:
    return {"status": value, "status_label": str(Status(value).label)}


def dossier_summary(dossier: Dossier) -> dict:
    version = dossier.procedure_version
    return {
        "code": dossier.code, "procedure": {"code": version.procedure.code, "name": version.name},
        "agency": agency_out(dossier.agency), **_status(dossier.status), "channel": dossier.channel,
        "fee_amount": dossier.fee_amount, "submitted_at": dossier.submitted_at, "due_at": dossier.due_at,
        "finished_at": dossier.finished_at,
    }


def file_out(record: DossierFile) -> dict:
    return {
        "id": record.pk, "name": record.original_name, "purpose": record.purpose, "paper_id": record.requirement_id,
        "content_type": record.content_type, "size": record.size, "uploaded_at": record.uploaded_at,
        "download_url": reverse("dossiers:download", args=[record.pk]),
        "api_download_url": reverse("api-v1:dossier_file", kwargs={"code": record.dossier.code,
                                                                     "file_id": record.pk}),
    }


def dossier_detail(dossier: Dossier, *, can_withdraw: bool, can_answer_supplement: bool) -> dict:
    files = dossier.files.filter(replaced=False).select_related("dossier")
    return {
        **dossier_summary(dossier), "received_at": dossier.received_at,
        "contact": {name: getattr(dossier, name) for name in ContactOut.model_fields},
        "form": dossier.form_data or {},
        "events": [{"at": e.at, **_status(e.status), "from_status": e.from_status, "note": e.applicant_note}
                   for e in dossier.events.all()],
        "files": [file_out(f) for f in files],
        "can_withdraw": can_withdraw, "can_answer_supplement": can_answer_supplement,
    }


def lookup_out(dossier: Dossier, *, verified: bool) -> dict:
    """The public answer: no personal data unless the second factor was given."""
    summary = dossier_summary(dossier)
    return {
        "code": dossier.code, "procedure": summary["procedure"], "agency": summary["agency"],
        **_status(dossier.status), "submitted_at": dossier.submitted_at, "due_at": dossier.due_at,
        "finished_at": dossier.finished_at,
        "events": [{"at": e.at, **_status(e.status)} for e in selectors.public_timeline(dossier)],
        "verified": verified, "applicant_name": dossier.applicant_name if verified else None,
    }
