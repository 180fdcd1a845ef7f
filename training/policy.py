"""Who may do what in training (bồi dưỡng): the one place that decides.

Every door of ``training.services`` calls :func:`require`; the pages offer exactly what these
functions allow; the selectors read through :func:`record_scope`. The rules:

- organise a session (and see its enrolment list): the province administrator for any session,
  province-wide or of any agency; an agency administrator for the sessions of their agency
  (``Action.MANAGE`` at that agency, from ``directory.scope``);
- mark attendance: a trainer of the session or whoever may organise it, never on their own
  enrolment (nobody certifies their own presence);
- enrol: any official in a session open to them (province-wide, or of an agency they are a
  current member of), before it ends, while there is room;
- see an official's training record and the training gap: the official themself (their own
  record); the leaders and administrators of an agency for its current members; the province
  administrator for everyone;
- upload materials: the province administrator; read them: any official.
"""

from __future__ import annotations

from dataclasses import dataclass

from django.core.exceptions import PermissionDenied
from django.utils import timezone
from django.utils.translation import gettext as _

from directory.models import Membership, Role
from directory.scope import Action, Scope, can, is_official, roles_of

from .models import Enrolment, Session

# The roles that read their agency's training records and gap (decision 0035).
RECORD_ROLES = frozenset({Role.AGENCY_LEADER, Role.AGENCY_ADMIN})


@dataclass(frozen=True)
class Decision:
    allowed: bool
    reason: str = ""

    def __bool__(self) -> bool:
        return self.allowed


YES = Decision(True)


def _no(reason: str) -> Decision:
    return Decision(False, reason)


def require(decision: Decision) -> None:
    if not decision:
        raise PermissionDenied(decision.reason)


def _active(user) -> bool:
    return user is not None and user.is_authenticated and user.is_active


def record_scope(user) -> Scope:
    """The agencies whose officials' training records ``user`` reads (besides their own record)."""
    if not _active(user):
        return Scope()
    if user.is_superuser or Role.PROVINCE_ADMIN in roles_of(user):
        return Scope(everything=True)
    agencies = {agency_id for agency_id, roles in Membership.objects.valid_on().filter(official=user)
                .values_list("agency_id", "roles") if RECORD_ROLES & set(roles or [])}
    return Scope(agency_ids=frozenset(agencies))


def member_agencies(user) -> set[int]:
    if not _active(user):
        return set()
    return set(Membership.objects.valid_on().filter(official=user).values_list("agency_id", flat=True))


def may_see_record(user, official) -> Decision:
    if not _active(user):
        return _no(_("Sign in first."))
    if official.pk == user.pk:
        return YES
    scope = record_scope(user)
    if scope.everything or (scope.agency_ids & member_agencies(official)):
        return YES
    return _no(_("You may not see this official's training record."))


def may_see_gap(user, agency_id: int | None) -> Decision:
    """``agency_id`` None: the province-wide summary."""
    scope = record_scope(user)
    if scope.everything or (agency_id is not None and agency_id in scope.agency_ids):
        return YES
    return _no(_("You may not see the training gap of this agency."))


def may_organise(user, agency_id: int | None) -> Decision:
    """A session for ``agency_id`` (None: province-wide)."""
    if _active(user) and can(user, Action.MANAGE, agency_id=agency_id):
        return YES
    return _no(_("Only the province administrator, or the agency's administrator for its own sessions, "
                 "organises training sessions."))


def may_manage_session(user, session: Session) -> Decision:
    return may_organise(user, session.agency_id)


def is_trainer(user, session: Session) -> bool:
    return _active(user) and session.trainers.filter(pk=user.pk).exists()


def may_mark(user, session: Session) -> Decision:
    """Whether ``user`` marks attendance in ``session`` at all (each enrolment: :func:`may_mark_enrolment`)."""
    if is_trainer(user, session) or may_manage_session(user, session):
        return YES
    return _no(_("Only the session's trainers or its organisers mark attendance."))


def may_mark_enrolment(user, enrolment: Enrolment) -> Decision:
    if enrolment.official_id == user.pk:
        return _no(_("Nobody marks their own attendance."))
    if enrolment.session.starts_on > timezone.localdate():
        return _no(_("Attendance is marked once the session has started."))
    return may_mark(user, enrolment.session)


def may_enrol(user, session: Session) -> Decision:
    if not _active(user) or not is_official(user):
        return _no(_("Only officials enrol in training sessions."))
    if session.agency_id is not None and session.agency_id not in member_agencies(user):
        return _no(_("This session is for another agency's officials."))
    if session.ends_on < timezone.localdate():
        return _no(_("This session has ended."))
    if session.enrolments.filter(official=user).exists():
        return _no(_("You are already enrolled."))
    if session.enrolments.count() >= session.capacity:
        return _no(_("This session is full."))
    return YES


def may_see_session(user, session: Session) -> bool:
    return (session.agency_id is None or session.agency_id in member_agencies(user)
            or bool(may_manage_session(user, session)) or is_trainer(user, session)
            or bool(may_see_gap(user, session.agency_id)))


def may_upload_material(user) -> Decision:
    if _active(user) and can(user, Action.MANAGE, agency_id=None):
        return YES
    return _no(_("Only the province administrator uploads training materials."))


def may_read_material(user) -> Decision:
    return YES if _active(user) and is_official(user) else _no(_("Only officials read training materials."))
