"""The data subject's consent and the record of every look-up in a national database (ADR 0045).

The Law on Personal Data Protection (91/2025/QH15, in force since 1 January 2026, replacing Decree
13/2023/NĐ-CP whose art. 11 first set these rules) asks that personal data be processed with the
subject's consent, given for a stated purpose, never inferred from silence and provable afterwards;
and that who processed what stays traceable. So each look-up writes a :class:`RegistryLookup` row and an
audit entry, and a look-up made with consent points to its :class:`PopulationConsent`.

A personal identification number is kept and logged only as a keyed hash (to find and count) and
masked (``006*******34``, to show); never in clear.
"""

from __future__ import annotations

import secrets

from django.utils import timezone
from django.utils.translation import gettext_lazy

from audit.services import record
from egov.crypto import lookup_hash

from .models import LookupPurpose, PopulationConsent, RegistryLookup

# What the citizen agrees to, as shown next to the checkbox and kept with the consent.
WORDING = {
    LookupPurpose.PREFILL: gettext_lazy(
        "I agree that the agency settling this procedure looks up my details in the national population database "
        "to fill in the declaration of this dossier."),
    LookupPurpose.IDENTITY: gettext_lazy(
        "The applicant agrees that the one-stop desk checks the details they declared against the national "
        "population database at intake."),
}


def id_hash(number: str) -> str:
    """A keyed hash of an identification number: equal numbers give equal hashes, and without the key
    nobody can go back from the hash to the number. The platform's one keyed hash (egov.crypto, ADR
    0050), so a look-up's hash is the same as the profile's and the dossier's."""
    return lookup_hash("id-number", number)


def mask(number: str) -> str:
    number = number.strip()
    return number[:3] + "*" * max(len(number) - 5, 0) + number[-2:] if len(number) > 5 else "*" * len(number)


def give(*, subject, number: str, purpose: str, dossier=None, form: str = "", confirmed_by=None) -> PopulationConsent:
    """Record the subject's consent, now, for ``purpose`` (and the dossier or form it is for)."""
    consent = PopulationConsent.objects.create(
        subject=subject, id_hash=id_hash(number), id_masked=mask(number), purpose=purpose, dossier=dossier,
        form=form[:200], wording=str(WORDING[LookupPurpose(purpose)]), confirmed_by=confirmed_by,
        given_at=timezone.now(), reference="DY-" + secrets.token_hex(8).upper())
    record(action="create", obj=consent, agency_id=getattr(dossier, "agency_id", None),
           summary={"event": "consent_given", "purpose": purpose, "id": consent.id_masked,
                    "dossier": getattr(dossier, "code", None) or getattr(dossier, "pk", None),
                    "confirmed_by": getattr(confirmed_by, "pk", None)})
    return consent


def log_lookup(*, actor, number: str, purpose: str, outcome: str, system: str = "population", reason: str = "",
               consent: PopulationConsent | None = None, dossier=None, filled: list[str] | None = None
               ) -> RegistryLookup:
    """The look-up's row and its audit entry (who read which person's data, why, with what result)."""
    lookup = RegistryLookup.objects.create(
        system=system, actor=actor if getattr(actor, "pk", None) else None, id_hash=id_hash(number),
        id_masked=mask(number), purpose=purpose, reason=reason[:255], consent=consent, dossier=dossier,
        outcome=outcome, filled=filled or [], at=timezone.now())
    record(action="read", obj=lookup, agency_id=getattr(dossier, "agency_id", None),
           summary={"event": f"{system}_lookup", "purpose": purpose, "outcome": outcome, "id": lookup.id_masked,
                    "reason": lookup.reason, "consent": consent.reference if consent else "",
                    "dossier": getattr(dossier, "code", None) or getattr(dossier, "pk", None)})
    return lookup


def mark_filled(lookup: RegistryLookup, fields: list[str]) -> None:
    """Which fields of the dossier were filled from the look-up (the dossier records its source)."""
    lookup.filled = sorted(set(fields))
    lookup.save(update_fields=["filled"])
