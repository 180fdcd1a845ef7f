"""Who may do what in the exchange: the one door the console, its actions and the selectors ask.

The agency's clerks (văn thư, ``Action.ISSUE``) and leaders (``Action.SIGN``) follow its exchange:
they see its packages, send a dead letter again and answer a recall (Decree 30/2020/NĐ-CP: the
clerk keeps the incoming register, the leader answers for it). Reach per agency comes from
``directory.scope``, as in ``documents.policy``.
"""

from __future__ import annotations

from django.core.exceptions import PermissionDenied
from django.utils.translation import gettext as _

from directory.scope import Action, Scope, scope_of

from . import statuses
from .models import Direction, Package, State, StatusEvent

KEEPERS = (Action.ISSUE, Action.SIGN)


def reach(user) -> Scope:
    """The agencies whose exchange ``user`` follows (everything for a superuser)."""
    if user is None or not user.is_authenticated or not user.is_active:
        return Scope()
    scopes = [scope_of(user, action) for action in KEEPERS]
    if any(scope.everything for scope in scopes):
        return Scope(everything=True)
    return Scope(agency_ids=frozenset().union(*(scope.agency_ids for scope in scopes)))


def may_see_console(user) -> bool:
    return not reach(user).empty


def may_follow(user, agency_id: int | None) -> bool:
    scope = reach(user)
    return scope.everything or (agency_id is not None and agency_id in scope.agency_ids)


def may_retry(user, package: Package) -> bool:
    """A package sent by the user's agency that the exchange gave up on."""
    return (package.direction == Direction.OUT and package.state == State.DEAD
            and may_follow(user, package.agency_id))


def recall_waiting(document) -> bool:
    """The sender asked for ``document`` back (13) and nobody here answered yet (15 or 16)."""
    events = StatusEvent.objects.filter(document=document)
    asked = events.filter(direction=Direction.IN, code=statuses.RECALL).order_by("-at", "-id").first()
    if asked is None:
        return False
    return not events.filter(direction=Direction.OUT, code__in=(statuses.RECALL_AGREED, statuses.RECALL_REFUSED),
                             id__gt=asked.pk).exists()


def may_answer_recall(user, document) -> bool:
    """A document of the user's agency whose sender asked for it back and has no answer yet."""
    return may_follow(user, document.agency_id) and recall_waiting(document)


def require(allowed: bool, reason: str | None = None) -> None:
    if not allowed:
        raise PermissionDenied(reason or _("This is not within your reach."))
