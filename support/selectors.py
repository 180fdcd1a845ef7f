"""Reads of the help centre and of support requests, already narrowed to the reader."""

from __future__ import annotations

import datetime as dt
from dataclasses import dataclass
from typing import Any

from django.db.models import Avg, Count, Q, QuerySet
from django.utils import timezone

from egov.text import fold

from . import policy
from .models import (
    Announcement,
    Audience,
    Campaign,
    CampaignDelivery,
    Faq,
    Guide,
    RequestStatus,
    SupportRequest,
    Topic,
)

# --- help centre ---------------------------------------------------------------------------------


def published_guides() -> QuerySet[Guide]:
    return Guide.objects.filter(published=True).select_related("procedure")


def guide_for(code: str) -> Guide | None:
    return published_guides().filter(procedure__code=code).prefetch_related("steps").first()


def published_faq() -> QuerySet[Faq]:
    return Faq.objects.filter(published=True).select_related("procedure")


def search(q: str) -> tuple[list[Guide], list[Faq]]:
    """Accent-insensitive: "cap ban sao trich luc ho tich" finds "Cấp bản sao trích lục hộ tịch"
    on every database, as the catalog's search does (folded keys, every word must appear)."""
    terms = fold(q).split()
    if not terms:
        return [], []
    guides, faq = published_guides(), published_faq()
    for term in terms:
        guides = guides.filter(search_key__contains=term)
        faq = faq.filter(search_key__contains=term)
    return list(guides[:50]), list(faq[:50])


def faq_by_topic() -> list[tuple[Any, list[Faq]]]:
    entries = list(published_faq())
    return [(label, [f for f in entries if f.topic == value]) for value, label in Topic.choices
            if any(f.topic == value for f in entries)]


def faq_by_life_event() -> list[tuple[str, Any, list[Faq]]]:
    from .models import LifeEvent

    entries = list(published_faq().exclude(life_event=""))
    return [(value, label, [f for f in entries if f.life_event == value]) for value, label in LifeEvent.choices
            if any(f.life_event == value for f in entries)]


# --- announcements -------------------------------------------------------------------------------


def audiences_of(user) -> list[str]:
    """Who reads: an official sees what is for officials; a signed-in business what is for
    businesses; anyone else (a citizen, or not signed in) what is for citizens and businesses."""
    if user is None or not user.is_authenticated:
        return [Audience.EVERYONE, Audience.CITIZENS, Audience.BUSINESSES]
    kind = getattr(user, "kind", "")
    if kind == "official":
        return [Audience.EVERYONE, Audience.OFFICIALS]
    if kind == "business":
        return [Audience.EVERYONE, Audience.BUSINESSES]
    return [Audience.EVERYONE, Audience.CITIZENS]


def current_announcements(user, *, now: dt.datetime | None = None, limit: int | None = 5) -> QuerySet[Announcement]:
    now = now or timezone.now()
    items = (Announcement.objects.filter(published=True, starts_at__lte=now, audience__in=audiences_of(user))
             .filter(Q(ends_at__isnull=True) | Q(ends_at__gt=now)))
    return items[:limit] if limit else items


# --- support requests ----------------------------------------------------------------------------


def office_requests(user) -> QuerySet[SupportRequest]:
    """The requests an official reads: their desks' (agency or IT help desk); every request for the
    province administrators."""
    requests = SupportRequest.objects.select_related("agency", "procedure", "procedure__current", "dossier")
    if policy.province_admin(user):
        return requests
    agencies = policy.answering_agencies(user)
    return requests.filter(agency_id__in=agencies) if agencies else requests.none()


def my_requests(user) -> QuerySet[SupportRequest]:
    if user is None or not user.is_authenticated:
        return SupportRequest.objects.none()
    return SupportRequest.objects.filter(requester=user).select_related("procedure__current")


def by_token(token: str) -> SupportRequest | None:
    if not token or len(token) > 64:
        return None
    return (SupportRequest.objects.select_related("agency", "procedure__current", "dossier")
            .filter(token=token).first())


def overdue(now: dt.datetime | None = None) -> QuerySet[SupportRequest]:
    return SupportRequest.objects.filter(status=RequestStatus.OPEN, escalated_at__isnull=True,
                                         due_at__lte=now or timezone.now())


@dataclass(frozen=True)
class Row:
    label: str
    total: int
    open: int
    escalated: int
    rating: float | None


def _counted(values: QuerySet, *order: str) -> Any:
    return values.annotate(total=Count("id"), open=Count("id", filter=Q(status=RequestStatus.OPEN)),
                           escalated=Count("id", filter=Q(escalated_at__isnull=False)),
                           rating=Avg("rating")).order_by("-total", *order)


def statistics(user) -> dict[str, list[Row]]:
    """Requests by topic and by procedure (the procedures that confuse people come first)."""
    requests = office_requests(user).order_by()
    topics = dict(Topic.choices)
    by_topic = [Row(str(topics.get(row["topic"], row["topic"])), row["total"], row["open"], row["escalated"],
                    row["rating"])
                for row in _counted(requests.values("topic"), "topic")]
    by_procedure = [Row(f"{row['procedure__code']} {row['procedure__current__name'] or ''}".strip(), row["total"],
                        row["open"], row["escalated"], row["rating"])
                    for row in _counted(requests.filter(procedure__isnull=False)
                                        .values("procedure__code", "procedure__current__name"), "procedure__code")]
    return {"topic": by_topic, "procedure": by_procedure}


def answer_templates(request: SupportRequest):
    from .models import AnswerTemplate

    templates = AnswerTemplate.objects.filter(Q(agency__isnull=True) | Q(agency_id=request.agency_id))
    return templates.filter(Q(topic="") | Q(topic=request.topic))


# --- campaigns -----------------------------------------------------------------------------------


def campaigns() -> QuerySet[Campaign]:
    return Campaign.objects.all()


def progress(campaign: Campaign) -> dict[str, int]:
    counts = dict(campaign.deliveries.order_by().values_list("status").annotate(n=Count("id")))
    total = sum(counts.values())
    done = sum(counts.get(state, 0) for state in (CampaignDelivery.State.SENT, CampaignDelivery.State.SKIPPED,
                                                  CampaignDelivery.State.FAILED))
    return {"total": total, "done": done, "sent": counts.get(CampaignDelivery.State.SENT, 0),
            "skipped": counts.get(CampaignDelivery.State.SKIPPED, 0),
            "failed": counts.get(CampaignDelivery.State.FAILED, 0),
            "percent": round(100 * done / total) if total else 0}
