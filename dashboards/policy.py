"""Who may open which dashboard and the province's indices: the one place that decides.

- The province dashboard: the leaders of the provincial People's Committee (the agency at the root
  of the directory: the chairman and vice-chairmen), the province's IT department (PROVINCE_ADMIN),
  the province's auditors and superusers — whoever reads every agency (``directory.scope``) or leads
  the root agency.
- An agency's dashboard: its own leaders (a department's director, a commune's chairman), and
  every province reader. A commune's leader never opens another commune's dashboard, nor the
  province's (the ranked list of communes names them all).
- The province's indices (DTI, PAR INDEX, SIPAS, PAPI, PCI) are read by the province readers and by
  every agency leader; they are entered by the province's IT department (``Action.MANAGE`` on
  every agency).
"""

from __future__ import annotations

from directory.models import Agency, Membership, Role
from directory.scope import Action, roles_of, scope_of


def _active(user) -> bool:
    return user is not None and user.is_authenticated and user.is_active


def led_agency_ids(user) -> set[int]:
    """The agencies ``user`` leads now (AGENCY_LEADER membership)."""
    if not _active(user):
        return set()
    return {agency_id for agency_id, roles in Membership.objects.valid_on().filter(official=user)
            .values_list("agency_id", "roles") if Role.AGENCY_LEADER in (roles or [])}


def reads_province(user) -> bool:
    if not _active(user):
        return False
    if scope_of(user, Action.VIEW).everything:
        return True
    led = led_agency_ids(user)
    return bool(led) and Agency.objects.filter(pk__in=led, parent__isnull=True).exists()


def may_open_agency(user, agency: Agency) -> bool:
    return reads_province(user) or agency.pk in led_agency_ids(user)


def reads_indices(user) -> bool:
    return reads_province(user) or Role.AGENCY_LEADER in roles_of(user)


def keeps_indices(user) -> bool:
    return _active(user) and scope_of(user, Action.MANAGE).everything


def may_use_dashboards(user) -> bool:
    return reads_province(user) or bool(led_agency_ids(user))
