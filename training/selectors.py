"""Reads of training, already scoped: the catalogue, an official's record, the training gap and
the share of trained staff that the e-agency criteria and the DTI inputs count (decision 0035).

The rule everything here follows: an official **must** take a course when it is active and
mandatory for every official or for one of the roles they hold at the agency on the day; they
**hold** it on a day when one of their certificates of the course was issued on or before that day
and is valid until that day or later (no ``valid_until``: it does not lapse). A certificate that
was valid once but is not on the day is **lapsed**; none at all is **missing**.
"""

from __future__ import annotations

import datetime as dt
from collections import defaultdict
from dataclasses import dataclass, field

from django.db.models import Q, QuerySet
from django.utils import timezone

from directory.models import Agency, Membership

from . import policy
from .models import Certificate, Course, Enrolment, Material, MaterialCompletion, Session

MISSING, LAPSED, VALID = "missing", "lapsed", "valid"


@dataclass
class Obligation:
    """One mandatory course of one official at one agency, and where they stand on the day."""

    agency_id: int
    official_id: int
    official_name: str
    roles: list[str]
    course: Course
    status: str  # MISSING, LAPSED or VALID
    certificate: Certificate | None = None  # the valid one, or the latest lapsed one


@dataclass
class AgencyGap:
    agency: Agency
    obliged: int = 0  # officials with at least one mandatory course
    trained: int = 0  # of them, those holding every mandatory course
    missing: int = 0  # (official, course) pairs never taken
    lapsed: int = 0  # (official, course) pairs whose certificate lapsed
    rows: list[Obligation] = field(default_factory=list)  # the gaps (missing and lapsed)

    @property
    def share(self) -> float | None:
        return self.trained / self.obliged if self.obliged else None


def _courses(course_kind: str | None) -> list[Course]:
    courses = Course.objects.filter(active=True)
    if course_kind:
        courses = courses.filter(kind=course_kind)
    return [course for course in courses if course.mandatory]


def obligations(*, on: dt.date, agency_ids=None, course_kind: str | None = None,
                official_ids=None) -> list[Obligation]:
    """Every (agency, official, mandatory course) on ``on``, with its status. Roles held in several
    places of the same agency add up; an official of two agencies counts at each."""
    courses = _courses(course_kind)
    if not courses:
        return []
    memberships = Membership.objects.valid_on(on).filter(official__is_active=True)
    if agency_ids is not None:
        memberships = memberships.filter(agency_id__in=agency_ids)
    if official_ids is not None:
        memberships = memberships.filter(official_id__in=official_ids)
    places: dict[tuple[int, int], set[str]] = defaultdict(set)
    names: dict[int, str] = {}
    for agency_id, official_id, roles, full_name, username in memberships.values_list(
            "agency_id", "official_id", "roles", "official__full_name", "official__username"):
        places[(agency_id, official_id)] |= set(roles or [])
        names[official_id] = full_name or username
    certificates: dict[tuple[int, int], list[Certificate]] = defaultdict(list)
    for certificate in Certificate.objects.filter(
            official_id__in=names, course__in=courses, issued_on__lte=on).order_by("-issued_on", "-pk"):
        certificates[(certificate.official_id, certificate.course_id)].append(certificate)
    found = []
    for (agency_id, official_id), roles in sorted(places.items(), key=lambda item: (item[0][0], names[item[0][1]])):
        for course in courses:
            if not course.is_mandatory_for(roles):
                continue
            held = certificates.get((official_id, course.pk), [])
            valid = next((c for c in held if c.is_valid_on(on)), None)
            status = VALID if valid else (LAPSED if held else MISSING)
            found.append(Obligation(agency_id=agency_id, official_id=official_id, official_name=names[official_id],
                                    roles=sorted(roles), course=course, status=status,
                                    certificate=valid or (held[0] if held else None)))
    return found


def gaps(*, on: dt.date, agency_ids=None, course_kind: str | None = None) -> dict[int, AgencyGap]:
    """The training gap per agency (every agency with a current member when ``agency_ids`` is None)."""
    per_agency: dict[int, list[Obligation]] = defaultdict(list)
    for item in obligations(on=on, agency_ids=agency_ids, course_kind=course_kind):
        per_agency[item.agency_id].append(item)
    agencies = Agency.objects.filter(pk__in=per_agency if agency_ids is None else agency_ids).order_by("code")
    result = {}
    for agency in agencies:
        gap = AgencyGap(agency=agency)
        by_official: dict[int, list[Obligation]] = defaultdict(list)
        for item in per_agency.get(agency.pk, []):
            by_official[item.official_id].append(item)
            if item.status == MISSING:
                gap.missing += 1
            elif item.status == LAPSED:
                gap.lapsed += 1
            if item.status != VALID:
                gap.rows.append(item)
        gap.obliged = len(by_official)
        gap.trained = sum(1 for items in by_official.values() if all(i.status == VALID for i in items))
        result[agency.pk] = gap
    return result


@dataclass(frozen=True)
class StaffTrained:
    obliged: int  # the agency's officials who must hold at least one mandatory course
    trained: int  # of them, those who hold a valid certificate of every one that applies


def staff_trained(agency, *, on: dt.date | None = None, course_kind: str | None = None) -> StaffTrained:
    """The counts behind :func:`trained_share` for ``agency`` (an Agency or its id)."""
    agency_id = getattr(agency, "pk", agency)
    gap = gaps(on=on or timezone.localdate(), agency_ids=[agency_id], course_kind=course_kind).get(agency_id)
    return StaffTrained(obliged=gap.obliged, trained=gap.trained) if gap else StaffTrained(0, 0)


def trained_share(agency, *, on: dt.date | None = None, course_kind: str | None = None) -> float | None:
    """Share of the agency's officials holding a valid certificate of the mandatory courses on ``on``:

        trained / obliged

    where *obliged* counts the officials who are current members of the agency on ``on`` and for
    whom at least one active mandatory course (of ``course_kind``, when given) applies by their roles
    there, and *trained* counts those of them who hold, on ``on``, a valid certificate of **every**
    such course. ``None`` when nobody is obliged (no figure rather than a misleading 0 or 100 %).
    """
    counts = staff_trained(agency, on=on, course_kind=course_kind)
    return counts.trained / counts.obliged if counts.obliged else None


# --- the official's own pages -------------------------------------------------------------------


def visible_sessions(user) -> QuerySet[Session]:
    """Sessions an official sees in the catalogue: province-wide, their agencies', those they
    teach or organise."""
    scope = policy.record_scope(user)
    condition = Q(agency__isnull=True) | Q(agency_id__in=policy.member_agencies(user)) | Q(trainers=user)
    if scope.everything:
        condition = Q()
    else:
        condition |= Q(agency_id__in=scope.agency_ids)
    return Session.objects.filter(condition).distinct().select_related("course", "agency")


def catalogue() -> QuerySet[Course]:
    return Course.objects.filter(active=True).prefetch_related("tests")


@dataclass
class Record:
    official: object
    obligations: list[Obligation]
    certificates: list[Certificate]
    enrolments: list[Enrolment]
    attempts: list
    materials_done: list[MaterialCompletion]


def record_of(official, *, on: dt.date | None = None) -> Record:
    """Hồ sơ bồi dưỡng: the official's courses, certificates and what is due. The caller has asked
    :func:`training.policy.may_see_record`."""
    on = on or timezone.localdate()
    # One line per course even when the official is a member of two agencies.
    due: dict[int, Obligation] = {}
    for item in obligations(on=on, official_ids=[official.pk]):
        if item.course.pk not in due or item.status != VALID:
            due[item.course.pk] = item
    return Record(
        official=official, obligations=sorted(due.values(), key=lambda i: i.course.title),
        certificates=list(Certificate.objects.filter(official=official).select_related("course")),
        enrolments=list(Enrolment.objects.filter(official=official).select_related("session__course")
                        .order_by("-session__starts_on")),
        attempts=list(official.training_attempts.select_related("test__course")),
        materials_done=list(MaterialCompletion.objects.filter(official=official).select_related("material")),
    )


def visible_certificate(user, pk: int) -> Certificate | None:
    certificate = Certificate.objects.select_related("official", "course", "session").filter(pk=pk).first()
    if certificate is None or not policy.may_see_record(user, certificate.official):
        return None
    return certificate


def materials(user) -> QuerySet[Material]:
    if not policy.may_read_material(user):
        return Material.objects.none()
    return Material.objects.select_related("course")


def gap_agencies(user) -> QuerySet[Agency]:
    """The agencies whose gap ``user`` may read."""
    scope = policy.record_scope(user)
    agencies = Agency.objects.valid_on().order_by("code")
    return agencies if scope.everything else agencies.filter(pk__in=scope.agency_ids)
