"""Every change to a support request, in one place: asking, answering, escalating, rating.

Each door checks :mod:`support.policy`, writes in one transaction (the audit entry is written by
``audit.registry`` with the row) and schedules its notices after commit through the outbox.
"""

from __future__ import annotations

import datetime as dt
import logging
from dataclasses import dataclass
from decimal import Decimal

from django.conf import settings
from django.core.exceptions import PermissionDenied, ValidationError
from django.db import transaction
from django.utils import timezone
from django.utils.translation import gettext as _

from directory.models import Role, ServiceCentre
from directory.scope import Action, can
from dossiers.models import Dossier
from egov.tasks import enqueue
from notifications import replies
from notifications.models import Notification
from notifications.services import notify_officials
from procedures.models import Procedure
from workdays.calendar import add_working_hours

from . import policy
from .models import TECHNICAL_TOPICS, Channel, RequestStatus, SupportRequest

logger = logging.getLogger(__name__)

# Time to answer, in office hours of working days (SUPPORT_RESPONSE_HOURS; one working day by default).
RESPONSE_HOURS = Decimal("8")


def response_hours() -> Decimal:
    return Decimal(str(getattr(settings, "SUPPORT_RESPONSE_HOURS", RESPONSE_HOURS)))


@dataclass(frozen=True)
class Context:
    """Where the person was when they asked: the page, and the dossier or procedure it showed."""

    page: str = ""
    dossier: str = ""  # a dossier's code, or a draft's number
    procedure: str = ""  # a procedure's code


def _dossier(user, reference: str) -> Dossier | None:
    """The dossier the page showed, if the person asking may read it: their own (a citizen), or one
    in their scope (an official). Anything else is not attached, whatever the link says."""
    if not reference or user is None or not user.is_authenticated:
        return None
    dossiers = Dossier.objects.select_related("procedure_version__procedure")
    dossier = dossiers.filter(code=reference).first()
    if dossier is None and reference.isdigit():
        dossier = dossiers.filter(pk=int(reference)).first()
    if dossier is None:
        return None
    if dossier.applicant_id == user.pk or can(user, Action.VIEW, agency_id=dossier.agency_id):
        return dossier
    return None


def _provincial_centre_agency_id() -> int | None:
    centre = ServiceCentre.objects.valid_on().filter(level=ServiceCentre.Level.PROVINCE).order_by("pk").first()
    return centre.agency_id if centre else None


def route(*, topic: str, dossier: Dossier | None, procedure: Procedure | None) -> int | None:
    """The agency that answers (None: the IT help desk). A dossier's settling agency; a procedure
    settled by one agency, that agency; a procedure settled by several (every commune), or no
    procedure at all, the provincial service centre, which answers or passes on."""
    if topic in TECHNICAL_TOPICS:
        return None
    if dossier is not None:
        return dossier.agency_id
    if procedure is not None and procedure.current is not None:
        agencies = list(procedure.current.agencies.values_list("pk", flat=True))
        if len(agencies) == 1:
            return agencies[0]
    return _provincial_centre_agency_id()


@transaction.atomic
def ask(*, user, channel: str, name: str, email: str = "", phone: str = "", topic: str, question: str,
        context: Context = Context(), recorded_by=None, now: dt.datetime | None = None) -> SupportRequest:
    """A new request. ``user`` is the person asking when signed in (None for a visitor or a phone
    caller); ``recorded_by`` the hotline operator who typed it."""
    if channel == Channel.HOTLINE and not policy.hotline_operator(recorded_by):
        raise PermissionDenied(_("Only the hotline operators record phone requests."))
    if user is None and not (email or phone):
        raise ValidationError(_("Give an e-mail address or a phone number so that we can answer you."))
    if not question.strip():
        raise ValidationError(_("Write your question."))
    now = now or timezone.now()
    dossier = _dossier(user, context.dossier)
    procedure = dossier.procedure_version.procedure if dossier is not None else (
        Procedure.objects.filter(code=context.procedure).select_related("current").first()
        if context.procedure else None)
    request = SupportRequest(
        channel=channel, requester=user, name=name.strip()[:150], email=email.strip(), phone=phone.strip(),
        topic=topic, question=question.strip(), page=context.page[:500], dossier=dossier, procedure=procedure,
        agency_id=route(topic=topic, dossier=dossier, procedure=procedure), recorded_by=recorded_by,
        due_at=add_working_hours(now, response_hours()))
    request.full_clean(exclude=["token"])
    request.save()
    enqueue("support.tell_desk", request.pk)
    logger.info("support request received", extra={"request_id": request.pk, "agency_id": request.agency_id})
    return request


def _province_admin_ids() -> list[int]:
    from directory.models import Membership

    return sorted({official for official, roles in Membership.objects.valid_on().filter(official__is_active=True)
                   .values_list("official_id", "roles") if Role.PROVINCE_ADMIN in (roles or [])})


def _tell_users(user_ids: list[int], *, title: str, body: str, key: str) -> int:
    made = Notification.objects.bulk_create(
        [Notification(user_id=user_id, title=title[:200], body=body, key=key) for user_id in user_ids],
        ignore_conflicts=True)
    return len(made)


def tell_desk(request_id: int) -> None:
    """The desk that answers is told in the app, once (the task may run twice)."""
    request = SupportRequest.objects.filter(pk=request_id).first()
    if request is None or request.status != RequestStatus.OPEN:
        return
    title = _("New support request #%(id)s") % {"id": request.pk}
    body = _("A question about: %(topic)s. Answer it in the workspace's support queue.") % {
        "topic": request.get_topic_display()}
    if request.agency_id is None:
        _tell_users(_province_admin_ids(), title=title, body=body, key=f"support-new:{request.pk}")
    else:
        notify_officials(agency_id=request.agency_id, role=Role.DESK_OFFICER, title=title, body=body,
                         key=f"support-new:{request.pk}")


@transaction.atomic
def answer(*, request: SupportRequest, official, text: str, now: dt.datetime | None = None) -> SupportRequest:
    request = SupportRequest.objects.select_for_update().get(pk=request.pk)
    policy.require(official, policy.Do.ANSWER, request)
    if not text.strip():
        raise ValidationError(_("Write the answer."))
    request.answer, request.answered_by = text.strip(), official
    request.answered_at, request.status = now or timezone.now(), RequestStatus.ANSWERED
    request.save(update_fields=["answer", "answered_by", "answered_at", "status"])
    enqueue("support.tell_requester", request.pk)
    return request


def tell_requester(request_id: int) -> None:
    """The person who asked is told: in the app when they have an account, by e-mail otherwise,
    by SMS when they left only a phone number. Once: the notice's key, the e-mail's mark."""
    from . import messages

    request = SupportRequest.objects.filter(pk=request_id, status=RequestStatus.ANSWERED).first()
    if request is None:
        return
    if request.requester_id is None and request.told_at is not None:  # a second run of the task sends nothing
        return
    if replies.tell(messages.answered(request)) != "app":
        # Marked after sending: a failure raises, and the retried task sends it then (at least once).
        SupportRequest.objects.filter(pk=request.pk).update(told_at=timezone.now())


@transaction.atomic
def escalate(*, request: SupportRequest, by=None, now: dt.datetime | None = None) -> bool:
    """Chuyển lãnh đạo: the agency's leaders (the province administrators for the IT help desk) are
    told in the app that a request waits past its time, once: the second call changes nothing."""
    if by is not None:
        policy.require(by, policy.Do.ESCALATE, request)
    now = now or timezone.now()
    changed = SupportRequest.objects.filter(pk=request.pk, status=RequestStatus.OPEN,
                                            escalated_at__isnull=True).update(escalated_at=now)
    if not changed:
        return False
    request.escalated_at = now
    title = _("Support request #%(id)s waits past its time") % {"id": request.pk}
    body = _("A question received on %(date)s has not been answered within the time limit.") % {
        "date": timezone.localtime(request.created_at).strftime("%d/%m/%Y %H:%M")}
    key = f"support-escalated:{request.pk}"
    if request.agency_id is None:
        _tell_users(_province_admin_ids(), title=title, body=body, key=key)
    else:
        notify_officials(agency_id=request.agency_id, role=Role.AGENCY_LEADER, title=title, body=body, key=key)
    logger.info("support request escalated", extra={"request_id": request.pk})
    return True


def escalate_overdue(now: dt.datetime | None = None) -> int:
    from .selectors import overdue

    now = now or timezone.now()
    return sum(escalate(request=request, now=now) for request in overdue(now))


@transaction.atomic
def rate(*, request: SupportRequest, user, token: str | None, rating: int, comment: str = "") -> SupportRequest:
    request = SupportRequest.objects.select_for_update().get(pk=request.pk)
    policy.require(user, policy.Do.RATE, request, token=token)
    if rating not in range(1, 6):
        raise ValidationError(_("Choose from 1 to 5 stars."))
    request.rating, request.rating_comment = rating, comment.strip()[:500]
    request.save(update_fields=["rating", "rating_comment"])
    return request
