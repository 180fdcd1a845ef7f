"""Every change of satisfaction and feedback, in one place: rating a dossier (online or on the desk's
tablet), sending feedback, answering it, escalating it. Each door checks :mod:`feedback.policy`,
writes in one transaction (the audit entry is written with the row by ``audit.registry``) and
tells people after commit through the outbox."""

from __future__ import annotations

import datetime as dt
import logging
from dataclasses import dataclass

from django.conf import settings
from django.core.exceptions import PermissionDenied, ValidationError
from django.db import IntegrityError, transaction
from django.urls import reverse
from django.utils import timezone, translation
from django.utils.translation import gettext as _

from directory.models import Agency, Role, ServiceCentre
from dossiers.models import Dossier, DossierEvent
from dossiers.states import Status
from egov.tasks import enqueue
from notifications import replies
from notifications.models import Notification
from notifications.services import notify_officials
from procedures.models import Procedure
from workdays.calendar import add_working_days

from . import policy
from .models import Complaint, ComplaintStatus, Criterion, KioskToken, Rating, RatingChannel, Rules, Score, Subject

logger = logging.getLogger(__name__)


def rules() -> Rules:
    found, _created = Rules.objects.get_or_create(pk=1)
    return found


# --- rating ----------------------------------------------------------------------------------------

def _handled_by(dossier: Dossier):
    """The official a rating is counted for: the one who returned the result (the desk officer the
    applicant met), else the official in charge of the dossier."""
    event = (DossierEvent.objects.filter(dossier=dossier, status=Status.COMPLETED, actor__isnull=False)
             .select_related("actor").order_by("-at", "-id").first())
    return event.actor if event is not None else dossier.assignee


def _record(*, dossier: Dossier, scores: dict[str, int], comment: str, channel: str,
            now: dt.datetime) -> Rating:
    refusal = policy.rating_refusal(dossier)
    if refusal:
        raise ValidationError(refusal)
    criteria = {c.code: c for c in Criterion.objects.filter(active=True)}
    if set(scores) != set(criteria):
        raise ValidationError(_("Rate every criterion."))
    if any(value not in range(1, 6) for value in scores.values()):
        raise ValidationError(_("Choose a level from 1 to 5."))
    try:
        with transaction.atomic():
            rating = Rating.objects.create(
                dossier=dossier, agency_id=dossier.agency_id, official=_handled_by(dossier),
                centre=dossier.return_centre or dossier.receiving_centre, channel=channel, rated_at=now,
                comment=comment.strip()[:2000])
    except IntegrityError:  # rated at the same moment through the other channel
        raise ValidationError(_("This dossier has been rated already. Thank you.")) from None
    Score.objects.bulk_create([Score(rating=rating, criterion=criteria[code], value=value)
                               for code, value in scores.items()])
    logger.info("dossier rated", extra={"dossier_id": dossier.pk, "channel": channel})
    return rating


def _locked_dossier(dossier: Dossier) -> Dossier:
    return (Dossier.objects.select_for_update(of=("self",))
            .select_related("receiving_centre", "return_centre", "assignee").get(pk=dossier.pk))


@transaction.atomic
def rate_online(*, dossier: Dossier, user, scores: dict[str, int], comment: str = "",
                now: dt.datetime | None = None) -> Rating:
    """The applicant rates their returned dossier from its page on the portal."""
    current = _locked_dossier(dossier)
    if not policy.may_rate_online(user, current):
        raise PermissionDenied(_("Only the applicant rates this dossier."))
    return _record(dossier=current, scores=scores, comment=comment, channel=RatingChannel.ONLINE,
                   now=now or timezone.now())


@transaction.atomic
def open_kiosk(*, dossier: Dossier, officer, now: dt.datetime | None = None) -> KioskToken:
    """The desk officer hands the tablet to the applicant for this dossier: a link used once."""
    current = _locked_dossier(dossier)
    if not policy.may_open_kiosk(officer, current):
        raise PermissionDenied(_("Only a desk officer returning this dossier's result opens its rating."))
    refusal = policy.rating_refusal(current)
    if refusal:
        raise ValidationError(refusal)
    now = now or timezone.now()
    return KioskToken.objects.create(dossier=current, opened_by=officer,
                                     expires_at=now + dt.timedelta(minutes=rules().kiosk_minutes))


def kiosk_link(token: str, now: dt.datetime | None = None) -> KioskToken | None:
    """The tablet's link, if it is still usable (unknown, used and expired links alike: None)."""
    if not token or len(token) > 64:
        return None
    found = KioskToken.objects.select_related("dossier__procedure_version").filter(token=token).first()
    if found is None or found.used_at is not None or found.expires_at <= (now or timezone.now()):
        return None
    return found


@transaction.atomic
def rate_at_kiosk(*, token: str, scores: dict[str, int], comment: str = "",
                  now: dt.datetime | None = None) -> Rating:
    now = now or timezone.now()
    link = KioskToken.objects.select_for_update().filter(token=token).first() if token else None
    if link is None or link.used_at is not None or link.expires_at <= now:
        raise PermissionDenied(_("This rating link is no longer valid. Ask the desk for a new one."))
    rating = _record(dossier=_locked_dossier(link.dossier), scores=scores, comment=comment,
                     channel=RatingChannel.KIOSK, now=now)
    link.used_at = now
    link.save(update_fields=["used_at"])
    return rating


# --- feedback (phản ánh, kiến nghị) ------------------------------------------------------------------

@dataclass(frozen=True)
class Sender:
    name: str
    email: str = ""
    phone: str = ""
    address: str = ""


def _provincial_centre_agency_id() -> int | None:
    centre = ServiceCentre.objects.valid_on().filter(level=ServiceCentre.Level.PROVINCE).order_by("pk").first()
    return centre.agency_id if centre else None


def route(*, dossier: Dossier | None, procedure: Procedure | None, agency: Agency | None) -> int | None:
    """The responsible agency: a dossier's settling agency; the agency named (about an official or
    anything else); a procedure settled by one agency, that agency; else the provincial service
    centre, which answers or passes on."""
    if dossier is not None:
        return dossier.agency_id
    if agency is not None:
        return agency.pk
    if procedure is not None and procedure.current is not None:
        agencies = list(procedure.current.agencies.values_list("pk", flat=True))
        if len(agencies) == 1:
            return agencies[0]
    return _provincial_centre_agency_id()


def verified_dossier(user, code: str, secret: str = "", *, client_address: str | None = None) -> Dossier | None:
    """The dossier named by code, if the sender may read it: their own when signed in, or the phone or
    ID number given with it (the public lookup's check, with its limit on guesses)."""
    from dossiers import selectors as dossier_selectors

    dossier = dossier_selectors.by_code(code) if code else None
    if dossier is None:
        return None
    if user is not None and user.is_authenticated and user.pk in {dossier.applicant_id, dossier.submitted_by_id}:
        return dossier
    if secret and dossier_selectors.check_lookup_secret(dossier, secret, client_address=client_address):
        return dossier
    return None


@transaction.atomic
def send(*, user, sender: Sender, subject: str, content: str, dossier: Dossier | None = None,
         procedure: Procedure | None = None, agency: Agency | None = None, official_name: str = "",
         consent_to_publish: bool = False, now: dt.datetime | None = None) -> Complaint:
    """A new piece of feedback. ``dossier`` must come from :func:`verified_dossier`."""
    if not (user is not None and user.is_authenticated) and not (sender.email or sender.phone):
        raise ValidationError(_("Give an e-mail address or a phone number so that we can answer you."))
    if not content.strip():
        raise ValidationError(_("Write your feedback."))
    if subject == Subject.DOSSIER and dossier is None:
        raise ValidationError(_("Give the code of your dossier and the phone or ID number given with it."))
    if subject == Subject.OFFICIAL and (agency is None or not official_name.strip()):
        raise ValidationError(_("Name the official and the agency they work for."))
    if dossier is not None and procedure is None:
        procedure = dossier.procedure_version.procedure
    agency_id = route(dossier=dossier, procedure=procedure, agency=agency)
    if agency_id is None:
        raise ValidationError(_("Choose the agency your feedback is about."))
    now = now or timezone.now()
    complaint = Complaint(
        requester=user if user is not None and user.is_authenticated else None, name=sender.name.strip()[:150],
        email=sender.email.strip(), phone=sender.phone.strip(), address=sender.address.strip()[:255],
        subject=subject, procedure=procedure, dossier=dossier, official_name=official_name.strip()[:150],
        content=content.strip(), consent_to_publish=consent_to_publish, agency_id=agency_id, received_at=now,
        due_at=add_working_days(now, rules().answer_working_days))
    complaint.full_clean(exclude=["token"])
    complaint.save()
    enqueue("feedback.tell_desk", complaint.pk)
    logger.info("feedback received", extra={"complaint_id": complaint.pk, "agency_id": agency_id})
    return complaint


def tell_desk(complaint_id: int) -> None:
    complaint = Complaint.objects.filter(pk=complaint_id, status=ComplaintStatus.OPEN).first()
    if complaint is None:
        return
    notify_officials(agency_id=complaint.agency_id, role=Role.DESK_OFFICER,
                     title=_("New feedback #%(id)s") % {"id": complaint.pk},
                     body=_("Feedback about: %(subject)s. Answer it in the workspace's feedback queue.")
                     % {"subject": complaint.get_subject_display()}, key=f"feedback-new:{complaint.pk}")


@transaction.atomic
def answer(*, complaint: Complaint, official, text: str, public_summary: str = "",
           now: dt.datetime | None = None) -> Complaint:
    """The responsible agency answers; with the sender's consent the answer is published with a
    summary of the question written without personal data."""
    current = Complaint.objects.select_for_update().get(pk=complaint.pk)
    policy.require(official, policy.Do.ANSWER, current)
    if not text.strip():
        raise ValidationError(_("Write the answer."))
    if current.consent_to_publish and not public_summary.strip():
        raise ValidationError(_("The sender agreed to publication: summarise the question without personal data."))
    current.answer, current.answered_by, current.answered_at = text.strip(), official, now or timezone.now()
    current.public_summary = public_summary.strip() if current.consent_to_publish else ""
    current.status, current.published = ComplaintStatus.ANSWERED, current.consent_to_publish
    current.save(update_fields=["answer", "answered_by", "answered_at", "public_summary", "status", "published"])
    if current.requester_id is not None:
        Notification.objects.bulk_create([Notification(
            user_id=current.requester_id, title=_("Your feedback #%(id)s has been answered") % {"id": current.pk},
            body=current.answer[:1000], key=f"feedback-answer:{current.pk}")], ignore_conflicts=True)
    else:  # a sender without an account is told by e-mail, or by SMS, with the link to the answer
        enqueue("feedback.tell_requester", current.pk)
    return current


def tell_requester(complaint_id: int) -> None:
    """Tell a sender without an account that their feedback was answered, once (``told_at`` is set
    after sending: a failure raises and the retried task sends it then)."""
    complaint = Complaint.objects.filter(pk=complaint_id, status=ComplaintStatus.ANSWERED, requester__isnull=True,
                                         told_at__isnull=True).first()
    if complaint is None:
        return
    link = f"{settings.EGOV_PUBLIC_URL}{reverse('feedback_public:complaint', args=[complaint.token])}"
    with translation.override(settings.LANGUAGE_CODE):
        title = _("Your feedback #%(id)s has been answered") % {"id": complaint.pk}
        reply = replies.Reply(
            title=title, body=_("Answer: %(answer)s\n\nRead it online: %(link)s") % {"answer": complaint.answer,
                                                                                    "link": link},
            sms_text=_("Your feedback #%(id)s has been answered: %(link)s") % {"id": complaint.pk, "link": link},
            key=f"feedback-answer:{complaint.pk}", email=complaint.email, phone=complaint.phone)
    if replies.tell(reply):
        Complaint.objects.filter(pk=complaint.pk).update(told_at=timezone.now())


@transaction.atomic
def escalate(*, complaint: Complaint, now: dt.datetime | None = None) -> bool:
    """Chuyển lãnh đạo: the agency's leaders are told that feedback waits past its time, once."""
    now = now or timezone.now()
    changed = Complaint.objects.filter(pk=complaint.pk, status=ComplaintStatus.OPEN, escalated_at__isnull=True,
                                       due_at__lte=now).update(escalated_at=now)
    if not changed:
        return False
    notify_officials(agency_id=complaint.agency_id, role=Role.AGENCY_LEADER,
                     title=_("Feedback #%(id)s waits past its time") % {"id": complaint.pk},
                     body=_("Feedback received on %(date)s has not been answered within the time limit.")
                     % {"date": timezone.localtime(complaint.received_at).strftime("%d/%m/%Y")},
                     key=f"feedback-escalated:{complaint.pk}")
    logger.info("feedback escalated", extra={"complaint_id": complaint.pk})
    return True


def escalate_overdue(now: dt.datetime | None = None) -> int:
    now = now or timezone.now()
    overdue = Complaint.objects.filter(status=ComplaintStatus.OPEN, escalated_at__isnull=True, due_at__lte=now)
    return sum(escalate(complaint=complaint, now=now) for complaint in overdue)
