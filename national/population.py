"""The National population database (Cơ sở dữ liệu quốc gia về dân cư): a person looked up by
personal identification number (số định danh cá nhân), through the one door ``national.base.call``.

Who may look up whom (ADR 0045), one door for the pages and the services:

- a citizen, only their own number, the one on their account, with their consent given for the
  form they are filling in (:func:`look_up_own`);
- an official, with a reason written down, and with the applicant's consent when it is the
  applicant's data they check at intake (:func:`look_up_as_official`).

Every attempt, allowed or not, found or not, answered or not, is recorded (national.consent).
"""

from __future__ import annotations

import datetime as dt
import re
from dataclasses import dataclass

from django.core.exceptions import PermissionDenied, ValidationError
from django.utils.translation import gettext as _

from .base import Refused, Unavailable, call
from .consent import give, log_lookup
from .models import LookupPurpose, PopulationConsent, RegistryLookup

NUMBER = re.compile(r"^\d{12}$")
SYSTEM = "population"


class NotFound(Exception):
    """The database has nobody with this number."""

    @property
    def message(self) -> str:
        return _("The national population database has no person with this personal identification number.")


@dataclass(frozen=True)
class Person:
    """A person's identity record as the population database gives it."""

    id_number: str
    full_name: str
    date_of_birth: dt.date | None
    sex: str
    ethnicity: str
    nationality: str
    permanent_address: str
    current_address: str

    @classmethod
    def from_answer(cls, body: dict) -> Person:
        try:
            born = dt.date.fromisoformat(str(body.get("date_of_birth", "")))
        except ValueError:
            born = None
        return cls(id_number=str(body.get("id_number", "")), full_name=str(body.get("full_name", "")),
                   date_of_birth=born, sex=str(body.get("sex", "")), ethnicity=str(body.get("ethnicity", "")),
                   nationality=str(body.get("nationality", "")),
                   permanent_address=str(body.get("permanent_address", "")),
                   current_address=str(body.get("current_address", "")))


def fetch(number: str, *, purpose: str, consent_reference: str) -> Person:
    """The adapter: one look-up. Raises :class:`NotFound`, ``Unavailable`` or ``Refused``."""
    if not NUMBER.match(number or ""):
        raise ValidationError(_("A personal identification number has 12 digits."))
    try:
        body = call(SYSTEM, "GET", f"/citizens/{number}",
                    params={"purpose": purpose, "consent": consent_reference or "-"})
    except Refused as error:
        if error.status == 404:
            raise NotFound from error
        raise
    return Person.from_answer(body if isinstance(body, dict) else {})


def own_number(user) -> str:
    """The personal identification number on the user's account ('' when there is none)."""
    profile = getattr(user, "profile", None) if getattr(user, "pk", None) else None
    return (getattr(profile, "id_number", "") or "").strip()


def may_look_up(user, number: str) -> bool:
    """Offered ⇔ allowed: a citizen or business account only its own number; an official any."""
    if not getattr(user, "is_authenticated", False):
        return False
    if getattr(user, "is_official", False):
        return True
    return bool(number) and number == own_number(user)


def _attempt(*, actor, number: str, purpose: str, consent: PopulationConsent | None, dossier, reason: str = ""
             ) -> tuple[Person, RegistryLookup]:
    outcome = RegistryLookup.Outcome
    try:
        person = fetch(number, purpose=purpose, consent_reference=consent.reference if consent else "")
    except NotFound:
        log_lookup(actor=actor, number=number, purpose=purpose, outcome=outcome.NOT_FOUND, reason=reason,
                   consent=consent, dossier=dossier)
        raise
    except Unavailable:
        log_lookup(actor=actor, number=number, purpose=purpose, outcome=outcome.UNAVAILABLE, reason=reason,
                   consent=consent, dossier=dossier)
        raise
    except Refused:
        log_lookup(actor=actor, number=number, purpose=purpose, outcome=outcome.REFUSED, reason=reason,
                   consent=consent, dossier=dossier)
        raise
    return person, log_lookup(actor=actor, number=number, purpose=purpose, outcome=outcome.FOUND, reason=reason,
                              consent=consent, dossier=dossier)


def look_up_own(*, user, number: str, consented: bool, dossier=None, form: str = "",
                purpose: str = LookupPurpose.PREFILL) -> tuple[Person, RegistryLookup]:
    """A citizen's look-up of their own record, to fill in a form. Another number is refused (and
    the refusal recorded); no look-up without the consent box ticked."""
    number = (number or "").strip()
    if getattr(user, "is_official", False) or not may_look_up(user, number):
        log_lookup(actor=user, number=number, purpose=purpose, outcome=RegistryLookup.Outcome.REFUSED,
                   dossier=dossier, reason="not the account's own number")
        raise PermissionDenied(_("You can only look up your own personal identification number, the one on "
                                 "your account."))
    if not consented:
        raise ValidationError(_("Tick the box to agree to the look-up first."))
    consent = give(subject=user, number=number, purpose=purpose, dossier=dossier, form=form)
    return _attempt(actor=user, number=number, purpose=purpose, consent=consent, dossier=dossier)


def look_up_as_official(*, officer, number: str, reason: str, dossier=None, consent: PopulationConsent | None = None,
                        purpose: str = LookupPurpose.IDENTITY) -> tuple[Person, RegistryLookup]:
    """An official's look-up: only with a reason, which the audit trail keeps."""
    if not getattr(officer, "is_official", False):
        raise PermissionDenied
    if len((reason or "").strip()) < 5:
        raise ValidationError(_("Give the reason for looking this person up."))
    return _attempt(actor=officer, number=(number or "").strip(), purpose=purpose, consent=consent,
                    dossier=dossier, reason=reason.strip())


def source_of(dossier) -> RegistryLookup | None:
    """The look-up a dossier's applicant data was filled from, if any."""
    return (RegistryLookup.objects.filter(dossier=dossier, outcome=RegistryLookup.Outcome.FOUND)
            .exclude(filled=[]).order_by("-at").first())
