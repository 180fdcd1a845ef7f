"""The signing authority printed above the signature of a document (thẩm quyền ký; Decree 30/2020/NĐ-CP
art. 13 and Appendix I, section II.8): the one function that says it, :func:`authority_block`.

- A collective body (a People's Committee) signs on behalf of the collective: "TM. ỦY BAN NHÂN DÂN"
  over the head's title ("CHỦ TỊCH"), or, for a deputy, "KT. CHỦ TỊCH" over "PHÓ CHỦ TỊCH".
- An agency led by its head: the head's title ("GIÁM ĐỐC"); a deputy signs "KT. GIÁM ĐỐC" over
  their own title ("PHÓ GIÁM ĐỐC").
- An acting head under a delegation of kind Q: "Q. GIÁM ĐỐC" (under "TM. …" for a collective body).
- The head of a unit under a delegation of kind TL or TUQ: "TL. GIÁM ĐỐC" / "TUQ. GIÁM ĐỐC" over
  their own title ("CHÁNH VĂN PHÒNG", "TRƯỞNG PHÒNG HÀNH CHÍNH TƯ PHÁP").

The titles come from the directory (positions of the signer, of the delegation's principal, of the
agency's head); the lines are in capitals as printed. Decision 0019.
"""

from __future__ import annotations

import datetime as dt
from dataclasses import dataclass

from django.utils import timezone

from .delegations import in_force, membership_at, standing_of
from .models import Agency, Delegation, Membership, Position

Standing = Position.Standing
Kind = Delegation.Kind


@dataclass(frozen=True)
class Authority:
    """What is printed above the signature, line by line, and the delegation it rests on."""

    lines: tuple[str, ...]
    delegation_id: int | None = None

    @property
    def text(self) -> str:
        return "\n".join(self.lines)


def collective_name(agency: Agency) -> str:
    """The collective's name as signed for ("ỦY BAN NHÂN DÂN"): the agency's name without the place,
    which the document's heading already gives."""
    name = agency.name.strip()
    place = agency.administrative_unit.name.strip() if agency.administrative_unit_id else ""
    if place and name.lower().endswith(" " + place.lower()):
        name = name[: -len(place) - 1].strip()
    return name.upper()


def _title(membership: Membership | None) -> str:
    """The title printed for the holder of ``membership``: their position, and for the head of a
    unit titled "Trưởng phòng" the unit's name after it."""
    if membership is None or membership.position is None:
        return ""
    title = membership.position.name.strip()
    unit = membership.unit.name.strip() if membership.unit is not None else ""
    if title.lower() == "trưởng phòng" and unit.lower().startswith("phòng "):
        title = f"Trưởng {unit}"
    return title.upper()


def _head_title(agency: Agency, day: dt.date, *, principal=None, signer: Membership | None) -> str:
    """The head's title: the principal's (a delegation), else the agency's head's, else the
    signer's own title without "Phó"."""
    if principal is not None:
        title = _title(membership_at(principal, agency.pk, day))
        if title:
            return title
    for membership in (Membership.objects.valid_on(day).filter(agency=agency, position__isnull=False)
                       .select_related("position", "unit").order_by("position__rank", "pk")):
        if standing_of(membership) == Standing.HEAD:
            return _title(membership)
    own = _title(signer)
    return own.removeprefix("PHÓ ").strip() if own.startswith("PHÓ ") else own


def authority_block(*, signer, agency: Agency, at: dt.datetime | None = None) -> Authority:
    """The authority ``signer`` signs with for ``agency`` at the moment ``at`` (now by default)."""
    at = at or timezone.now()
    day = timezone.localdate(at)
    place = membership_at(signer, agency.pk, day)
    delegation = in_force(deputy=signer, agency_id=agency.pk, at=at)
    head = _head_title(agency, day, principal=delegation.principal if delegation else None, signer=place)
    own = _title(place) or head
    collective = [f"TM. {collective_name(agency)}"] if agency.collective else []
    if delegation is not None:
        kind = Kind(delegation.kind)
        if kind == Kind.ACTING:
            return Authority((*collective, f"Q. {head}"), delegation.pk)
        if kind == Kind.DEPUTY:
            return Authority((*collective, f"KT. {head}", own), delegation.pk)
        return Authority((f"{kind.value}. {head}", own), delegation.pk)
    standing = standing_of(place)
    if standing == Standing.DEPUTY:
        return Authority((*collective, f"KT. {head}", own))
    return Authority((*collective, own))
