"""Lịch công tác tuần: the agency's weekly work schedule. Its leaders and clerks write the entries
and publish them (``work.policy.may_edit_schedule``); every official of the agency reads the
published ones (:func:`week_entries`)."""

from __future__ import annotations

import datetime as dt

from django.core.exceptions import PermissionDenied, ValidationError
from django.db import transaction
from django.db.models import QuerySet
from django.utils import timezone
from django.utils.translation import gettext as _

from directory.models import Agency, Membership

from . import policy
from .models import ScheduleEntry

FIELDS = ("starts_at", "ends_at", "title", "place", "chaired_by", "participants", "published")


def monday_of(day: dt.date) -> dt.date:
    return day - dt.timedelta(days=day.weekday())


def agencies_of(user) -> QuerySet:
    """The agencies whose schedule ``user`` reads: those they are an official of now."""
    ids = Membership.objects.valid_on().filter(official=user).values_list("agency_id", flat=True)
    return Agency.objects.filter(pk__in=ids).order_by("name")


def week_entries(user, agency: Agency, monday: dt.date) -> QuerySet:
    """The week's entries ``user`` sees: all of them for the editors, the published ones for staff."""
    if not agencies_of(user).filter(pk=agency.pk).exists() and not policy.may_edit_schedule(user, agency.pk):
        return ScheduleEntry.objects.none()
    zone = timezone.get_current_timezone()
    start = dt.datetime.combine(monday, dt.time.min, tzinfo=zone)
    entries = ScheduleEntry.objects.filter(agency=agency, starts_at__gte=start,
                                           starts_at__lt=start + dt.timedelta(days=7))
    if not policy.may_edit_schedule(user, agency.pk):
        entries = entries.filter(published=True)
    return entries.order_by("starts_at", "id")


def _require(user, agency_id: int) -> None:
    if not policy.may_edit_schedule(user, agency_id):
        raise PermissionDenied(_("Only the agency's leaders and clerks write its work schedule."))


def _validate(entry: ScheduleEntry) -> None:
    if entry.ends_at and entry.ends_at <= entry.starts_at:
        raise ValidationError(_("The end must come after the start."))
    entry.full_clean()


@transaction.atomic
def add_entry(*, acting_user, agency: Agency, **fields) -> ScheduleEntry:
    _require(acting_user, agency.pk)
    entry = ScheduleEntry(agency=agency, created_by=acting_user, **{k: v for k, v in fields.items() if k in FIELDS})
    _validate(entry)
    entry.save()
    return entry


@transaction.atomic
def update_entry(*, acting_user, entry: ScheduleEntry, **fields) -> ScheduleEntry:
    entry = ScheduleEntry.objects.select_for_update().get(pk=entry.pk)
    _require(acting_user, entry.agency_id)
    for name, value in fields.items():
        if name in FIELDS:
            setattr(entry, name, value)
    _validate(entry)
    entry.save()
    return entry


@transaction.atomic
def publish_week(*, acting_user, agency: Agency, monday: dt.date) -> int:
    """Publish every entry of the week at once (one save each: every change is audited)."""
    _require(acting_user, agency.pk)
    count = 0
    for entry in week_entries(acting_user, agency, monday).filter(published=False).select_for_update():
        entry.published = True
        entry.save(update_fields=["published"])
        count += 1
    return count


@transaction.atomic
def delete_entry(*, acting_user, entry: ScheduleEntry) -> None:
    _require(acting_user, entry.agency_id)
    entry.delete()
