"""What the platform holds about the signed-in person, for the person (Law 91/2025/QH15 on personal data
protection, and Decree 13/2023/NĐ-CP before it: the data subject's rights to know, to access and to obtain
a copy).

- :func:`who_looked`: every time an official opened personal data of one of my dossiers, its papers or
  slips (the reads the office pages record in the audit trail): when, who, from which agency, what.
- :func:`archive`: one ZIP with ``du-lieu.json`` (account, profile, dossiers with their public history,
  payments, feedback, who looked) and ``ho-so/<code>/…`` the papers, slips and results of my dossiers.
  Officials' internal notes are not the person's data and are left out.
"""

from __future__ import annotations

import io
import json
import zipfile
from dataclasses import dataclass

from django.core.files.storage import default_storage
from django.utils import timezone

from accounts.models import PortalProfile, User
from audit.models import AuditEntry
from directory.models import Agency
from dossiers.models import Dossier, DossierFile, Slip
from feedback.models import Complaint


@dataclass(frozen=True)
class Look:
    at: object
    official: str
    agency: str
    what: str
    dossier_code: str


def _mine(user):
    return Dossier.objects.filter(applicant=user).exclude(code=None)


def who_looked(user) -> list[Look]:
    """Officials' reads of my dossiers' personal data, newest first."""
    dossiers = dict(_mine(user).values_list("pk", "code"))
    if not dossiers:
        return []
    files = dict(DossierFile.objects.filter(dossier_id__in=dossiers).values_list("pk", "dossier_id"))
    slips = dict(Slip.objects.filter(dossier_id__in=dossiers).values_list("pk", "dossier_id"))
    owners = {("dossiers.dossier", str(pk)): pk for pk in dossiers}
    owners.update({("dossiers.dossierfile", str(pk)): dossier for pk, dossier in files.items()})
    owners.update({("dossiers.slip", str(pk)): dossier for pk, dossier in slips.items()})
    entries = list(AuditEntry.objects.filter(
        action="read", object_type__in=["dossiers.dossier", "dossiers.dossierfile", "dossiers.slip"],
        object_id__in=[object_id for _, object_id in owners]).exclude(actor_id=user.pk).order_by("-at")[:500])
    people = {u.pk: u for u in User.objects.filter(pk__in={e.actor_id for e in entries if e.actor_id})}
    agencies = dict(Agency.objects.filter(pk__in={e.agency_id for e in entries if e.agency_id})
                    .values_list("pk", "name"))
    looks = []
    for entry in entries:
        dossier_id = owners.get((entry.object_type, entry.object_id))
        person = people.get(entry.actor_id)
        looks.append(Look(at=entry.at, official=(person.get_full_name() or person.username) if person else
                          entry.actor_label, agency=agencies.get(entry.agency_id, ""),
                          what=", ".join(entry.summary.get("fields", [])), dossier_code=dossiers.get(dossier_id, "")))
    return looks


def _iso(value) -> str | None:
    return value.isoformat() if value else None


def _data(user) -> dict:
    profile = PortalProfile.objects.filter(user=user).first()
    dossiers = []
    dossiers_with_all = (_mine(user).select_related("procedure_version", "agency").order_by("submitted_at")
                         .prefetch_related("events", "files", "payments"))  # four queries, however many dossiers
    for dossier in dossiers_with_all:
        dossiers.append({
            "code": dossier.code, "procedure": dossier.procedure_version.name, "agency": dossier.agency.name,
            "status": dossier.get_status_display(), "submitted_at": _iso(dossier.submitted_at),
            "form": dossier.form_data,
            "applicant": {field: getattr(dossier, field, "") for field in (
                "applicant_name", "applicant_id_number", "applicant_phone", "applicant_email", "applicant_address")},
            "history": [{"at": _iso(event.at), "status": event.get_status_display(), "note": event.note}
                        for event in sorted(dossier.events.all(), key=lambda e: e.at) if not event.internal],
            "files": [{"name": f.original_name, "purpose": f.get_purpose_display(), "sha256": f.sha256}
                      for f in dossier.files.all() if not f.replaced],
            "payments": [{"amount": p.amount, "status": p.get_status_display(), "reference": p.txn_ref}
                         for p in dossier.payments.all()],
        })
    return {
        "exported_at": timezone.now().isoformat(),
        "account": {"username": user.username, "full_name": user.get_full_name(), "email": user.email,
                    "kind": user.get_kind_display(), "joined": _iso(user.date_joined)},
        "profile": {field: getattr(profile, field, "") for field in ("id_number", "phone", "address", "business_name")}
        if profile else {},
        "dossiers": dossiers,
        "feedback": [{"received_at": _iso(c.received_at), "about": c.get_subject_display(), "content": c.content,
                      "status": c.get_status_display()} for c in Complaint.objects.filter(requester=user)],
        "who_looked": [{"at": _iso(look.at), "official": look.official, "agency": look.agency, "what": look.what,
                        "dossier": look.dossier_code} for look in who_looked(user)],
    }


def archive(user) -> bytes:
    """The ZIP the person downloads."""
    buffer = io.BytesIO()
    with zipfile.ZipFile(buffer, "w", zipfile.ZIP_DEFLATED) as bundle:
        bundle.writestr("du-lieu.json", json.dumps(_data(user), ensure_ascii=False, indent=2, default=str))
        for record in DossierFile.objects.filter(dossier__applicant=user, replaced=False).select_related("dossier"):
            if record.dossier.code and default_storage.exists(record.file.name):
                with default_storage.open(record.file.name, "rb") as handle:
                    bundle.writestr(f"ho-so/{record.dossier.code}/{record.pk}-{record.original_name}", handle.read())
        for slip in Slip.objects.filter(dossier__applicant=user).exclude(file="").select_related("dossier"):
            if default_storage.exists(slip.file.name):
                with default_storage.open(slip.file.name, "rb") as handle:
                    bundle.writestr(f"ho-so/{slip.dossier.code}/phieu-{slip.pk}-mau-{slip.form}.pdf", handle.read())
    return buffer.getvalue()
