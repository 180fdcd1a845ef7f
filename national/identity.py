"""Identity check at intake (đối chiếu thông tin người nộp với CSDLQG về dân cư): what the applicant
declared against what the population database holds, field by field, for the desk officer.

When the database does not answer, intake goes on: the check is kept as pending and
:func:`run_pending` (a periodic task, ``national.recheck_identities``) makes it when the database
answers again, then tells the desk officer who asked. Never a blocked or lost dossier (ADR 0045).
"""

from __future__ import annotations

import logging
import unicodedata
from collections import Counter

from django.conf import settings
from django.core.exceptions import ValidationError
from django.db import transaction
from django.utils import timezone, translation
from django.utils.translation import gettext as _
from django.utils.translation import pgettext_lazy

from audit.services import record
from egov.tasks import enqueue

from . import base
from .models import IdentityCheck, PopulationConsent
from .population import NotFound, Person, look_up_as_official

log = logging.getLogger("national")

# The declared values compared, with their labels (in this order on the page).
FIELDS = {
    "full_name": pgettext_lazy("identity check", "Full name"),
    "date_of_birth": pgettext_lazy("identity check", "Date of birth"),
    "sex": pgettext_lazy("identity check", "Sex"),
    "address": pgettext_lazy("identity check", "Permanent address"),
}


def _normal(value: str) -> str:
    """Compared without case, extra spaces or a different Unicode composition of the diacritics."""
    return " ".join(unicodedata.normalize("NFC", str(value)).casefold().replace(",", " , ").split())


def _registry_values(person: Person) -> dict[str, str]:
    return {"full_name": person.full_name, "sex": person.sex, "address": person.permanent_address,
            "date_of_birth": person.date_of_birth.isoformat() if person.date_of_birth else ""}


def compare(declared: dict, person: Person) -> list[dict]:
    """Where the declaration differs from the registry; a field not declared is not compared."""
    registry = _registry_values(person)
    return [{"field": name, "declared": str(declared[name]), "registry": registry[name]}
            for name in FIELDS if declared.get(name) and _normal(declared[name]) != _normal(registry[name])]


def request_check(*, dossier, officer, declared: dict, consent: PopulationConsent | None = None) -> IdentityCheck:
    """Check the applicant of ``dossier`` now, or as soon as the database answers."""
    declared = {name: str(value) for name, value in declared.items() if name in FIELDS and value}
    with transaction.atomic():
        check = IdentityCheck.objects.create(dossier=dossier, requested_by=officer, consent=consent,
                                             declared=declared, requested_at=timezone.now())
        record(action="create", obj=check, summary={"event": "identity_check_requested", "dossier": dossier.code})
    return run(check)


def run(check: IdentityCheck) -> IdentityCheck:
    """Try the check once; it stays pending when the database does not answer."""
    dossier = check.dossier
    reason = _("Identity check at intake of dossier %(code)s") % {"code": dossier.code}
    try:
        person, _lookup = look_up_as_official(officer=check.requested_by, number=dossier.applicant_id_number,
                                              reason=reason, dossier=dossier, consent=check.consent)
    except (base.Unavailable, base.Refused, ValidationError):
        # Not answering (or refusing the platform itself): intake goes on, the check is tried again later.
        IdentityCheck.objects.filter(pk=check.pk).update(attempts=check.attempts + 1)
        check.attempts += 1
        return check
    except NotFound:
        check.state, check.differences = IdentityCheck.State.NOT_FOUND, []
    else:
        check.differences = compare(check.declared, person)
        check.state = IdentityCheck.State.MISMATCH if check.differences else IdentityCheck.State.MATCH
    check.checked_at, check.attempts = timezone.now(), check.attempts + 1
    with transaction.atomic():
        check.save(update_fields=["state", "differences", "checked_at", "attempts"])
        record(action="update", obj=check, summary={"event": "identity_checked", "state": check.state,
                                                    "fields": [d["field"] for d in check.differences]})
    return check


def _tell_desk(check: IdentityCheck) -> None:
    dossier = check.dossier
    with translation.override(settings.LANGUAGE_CODE):
        title = _("Identity check done for dossier %(code)s") % {"code": dossier.code}
        body = str(check.get_state_display())
    enqueue("notifications.notify_officials", dossier_id=dossier.pk, agency_id=dossier.agency_id, unit_id=None,
            role=None, assignee_id=check.requested_by_id, title=title, body=body, key=f"identity-check:{check.pk}")


def run_pending(limit: int = 200) -> Counter:
    """The checks left pending while the database was down, made now that it may answer; the desk
    officer who asked is told of each one done."""
    counts: Counter = Counter()
    for check in IdentityCheck.objects.filter(state=IdentityCheck.State.PENDING).select_related(
            "dossier", "requested_by", "consent").order_by("requested_at")[:limit]:
        if base.is_open("population"):
            counts["waiting"] += 1
            continue
        check = run(check)
        counts[check.state] += 1
        if check.state != IdentityCheck.State.PENDING:
            _tell_desk(check)
    if counts:
        log.info("identity checks run", extra={"counts": dict(counts)})
    return counts


def latest_for(dossier) -> IdentityCheck | None:
    return IdentityCheck.objects.filter(dossier=dossier).order_by("-requested_at", "-id").first()
