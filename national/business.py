"""The National business registration database (Cơ sở dữ liệu quốc gia về đăng ký doanh nghiệp):
an enterprise looked up by its enterprise code (mã số doanh nghiệp, which is also its tax code),
through the one door ``national.base.call``.

A business account looks up its own enterprise only (the tax code on its account or of an
organisation it is staff of); an official looks up the applicant enterprise of a dossier at intake.
Every look-up is recorded like a population look-up (national.consent), with the purpose "business".
"""

from __future__ import annotations

import re
from dataclasses import dataclass

from django.core.exceptions import PermissionDenied, ValidationError
from django.utils.translation import gettext as _

from accounts.models import Organisation

from .base import Refused, Unavailable, call
from .base import configured as base_configured
from .consent import log_lookup
from .models import LookupPurpose, RegistryLookup

CODE = re.compile(r"^\d{10}(-\d{3})?$")
SYSTEM = "business"


class NotFound(Exception):
    @property
    def message(self) -> str:
        return _("The national business registration database has no enterprise with this code.")


@dataclass(frozen=True)
class Enterprise:
    code: str
    name: str
    address: str
    legal_representative: str
    status: str
    registered_on: str

    @classmethod
    def from_answer(cls, body: dict) -> Enterprise:
        return cls(**{name: str(body.get(name, "")) for name in cls.__dataclass_fields__})


def configured() -> bool:
    return base_configured(SYSTEM)


def fetch(code: str) -> Enterprise:
    """The adapter: one look-up. Raises :class:`NotFound`, ``Unavailable`` or ``Refused``."""
    if not CODE.match(code or ""):
        raise ValidationError(_("An enterprise code has 10 digits."))
    try:
        body = call(SYSTEM, "GET", f"/enterprises/{code}")
    except Refused as error:
        if error.status == 404:
            raise NotFound from error
        raise
    return Enterprise.from_answer(body if isinstance(body, dict) else {})


def own_codes(user) -> set[str]:
    """The enterprise codes a portal account acts for: its own and its organisations'."""
    profile = getattr(user, "profile", None) if getattr(user, "pk", None) else None
    codes = {getattr(profile, "tax_code", "") or ""}
    codes |= set(Organisation.objects.filter(members__user=user, members__active=True).values_list("tax_code",
                                                                                                     flat=True))
    return {code.strip() for code in codes if code and code.strip()}


def may_look_up(user, code: str) -> bool:
    if not getattr(user, "is_authenticated", False):
        return False
    return getattr(user, "is_official", False) or code in own_codes(user)


def look_up(*, user, code: str, dossier=None, reason: str = "") -> Enterprise:
    """An enterprise's record for ``user`` (recorded); another enterprise's code is refused."""
    code = (code or "").strip()
    outcome = RegistryLookup.Outcome
    if not may_look_up(user, code):
        log_lookup(actor=user, number=code, purpose=LookupPurpose.BUSINESS, outcome=outcome.REFUSED,
                   system=SYSTEM, dossier=dossier, reason="not the account's enterprise")
        raise PermissionDenied(_("You can only look up the enterprise your account acts for."))
    try:
        enterprise = fetch(code)
    except (NotFound, Unavailable, Refused) as error:
        result = {NotFound: outcome.NOT_FOUND, Unavailable: outcome.UNAVAILABLE}.get(type(error), outcome.REFUSED)
        log_lookup(actor=user, number=code, purpose=LookupPurpose.BUSINESS, outcome=result, system=SYSTEM,
                   dossier=dossier, reason=reason)
        raise
    log_lookup(actor=user, number=code, purpose=LookupPurpose.BUSINESS, outcome=outcome.FOUND, system=SYSTEM,
               dossier=dossier, reason=reason)
    return enterprise
