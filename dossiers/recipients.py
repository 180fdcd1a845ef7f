"""Who hears about a dossier and who receives its result (decision 0018): one place for the
notifications, the return of the result and anything else that must reach "the applicant".

- A person acting under an authorisation (ủy quyền) who is recorded on the dossier brings it and
  collects the result (Decree 118/2025/NĐ-CP: the channel "through an authorised person"): the
  messages sent by SMS go to their phone; the applicant's e-mail address, where given, still gets
  them (the representative has no e-mail address on the dossier).
- In the app: the applicant's account and the account that submitted for them; for an
  organisation's dossier, those of them still on its staff and its administrators.
"""

from __future__ import annotations

from dataclasses import dataclass

from accounts import organisations
from accounts.models import OrganisationMember

from .models import Dossier


@dataclass(frozen=True)
class Contact:
    name: str
    phone: str
    email: str
    representative: bool  # the person acting for the applicant, not the applicant


def representative_receives(dossier: Dossier) -> bool:
    """A representative is recorded: they act for the applicant to the end, result included."""
    return bool(dossier.representative_name.strip())


def result_contact(dossier: Dossier) -> Contact:
    """Whom the notices and the result go to: the representative when one acts for the applicant
    (their phone, or the applicant's when they gave none), otherwise the applicant."""
    if representative_receives(dossier):
        return Contact(name=dossier.representative_name, phone=dossier.representative_phone or dossier.applicant_phone,
                       email=dossier.applicant_email, representative=True)
    return Contact(name=dossier.applicant_name, phone=dossier.applicant_phone, email=dossier.applicant_email,
                   representative=False)


def accounts_told(dossier: Dossier) -> list[int]:
    """The portal accounts told in the app (never a former member of the organisation)."""
    ids = {dossier.applicant_id, dossier.submitted_by_id} - {None}
    if dossier.organisation_id is None:
        return sorted(ids)
    staff = set(OrganisationMember.objects.filter(organisation_id=dossier.organisation_id, active=True,
                                                  user_id__in=ids).values_list("user_id", flat=True))
    return sorted(staff | set(organisations.admin_ids(dossier.organisation_id)))
