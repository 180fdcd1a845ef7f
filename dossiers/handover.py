"""Telling whoever acts next (chuyển hồ sơ): after every hand-over of a dossier — accepted at the
desk, handed on, sent back, assigned, approved, resumed, supplemented by the applicant, signed,
issued — the officials it now waits for get an in-app notice, so that no step is invisible.

Who acts next is :func:`dossiers.policy.next_actor`: the official named for the step, else every
holder of the step's role at its agency (and unit), with whoever stands in for them
(``notifications.notify_officials``). The applicant's side is told by the dossier's events
(``notifications.notify_event``), not here.

The notice is scheduled with the change (``egov.tasks.enqueue``: an outbox row in the door's
transaction, sent after commit). Its key names the dossier and its revision, so a task run twice,
or this door called twice for the same hand-over, tells each official once.
"""

from __future__ import annotations

from django.utils import translation
from django.utils.translation import gettext as _

from directory.models import Role
from egov.tasks import enqueue

from .models import Dossier
from .policy import NextActor, next_actor
from .states import Status

LANGUAGE = "vi"  # notices are stored text: written in the platform's language


def _title(dossier: Dossier, actor: NextActor) -> str:
    values = {"code": dossier.code, "step": actor.task}
    if dossier.status == Status.RESULT_READY:
        if actor.role == Role.AGENCY_LEADER:
            return _("Dossier %(code)s is waiting for the result to be signed") % values
        if actor.role == Role.CLERK:
            return _("Dossier %(code)s is waiting for the result to be issued") % values
        return _("Dossier %(code)s is waiting for the result to be returned") % values
    if dossier.status == Status.SUBMITTED:
        return _("Dossier %(code)s is waiting for intake") % values
    return _("Dossier %(code)s is waiting at the step “%(step)s”") % values


def _body(dossier: Dossier, actor: NextActor, by) -> str:
    body = _("Procedure: %(procedure)s. To do: %(task)s (%(role)s, %(agency)s).") % {
        "procedure": dossier.procedure_version.name, "task": actor.task, "role": actor.role_label,
        "agency": getattr(actor.agency, "name", "")}
    if by is not None and getattr(by, "is_authenticated", False):
        body += " " + _("Handed over by %(name)s.") % {"name": by.get_full_name() or by.get_username()}
    return body


def tell_next_actor(dossier: Dossier, *, by=None) -> bool:
    """Schedule the notice to whoever ``dossier`` now waits for (not ``by``, who just acted, nor
    the applicant). Call it inside the door's transaction, after the change. Returns whether a
    notice was scheduled."""
    with translation.override(LANGUAGE):
        actor = next_actor(dossier)
        if actor is None or actor.role in ("applicant", "exchange") or actor.agency is None:
            return False
        person = actor.person
        if person is not None and by is not None and person.pk == by.pk:
            return False  # they handed it to themselves: nothing to tell
        title, body = _title(dossier, actor), _body(dossier, actor, by)
    enqueue(
        "notifications.notify_officials",
        dossier_id=dossier.pk, agency_id=actor.agency.pk, unit_id=getattr(actor.unit, "pk", None),
        role=str(actor.role), assignee_id=getattr(person, "pk", None), skip_id=getattr(by, "pk", None),
        key=f"handover:{dossier.pk}:{dossier.revision}", title=title, body=body,
    )
    return True
