"""Which legal text and which form set apply on a day."""

import datetime as dt

from django.core.cache import cache
from django.utils import timezone

from .models import FormSet, LegalDocument


class NoFormSet(LookupError):
    """No form set covers the day (the province must enter the one in force)."""


def form_set_on(day: dt.date) -> FormSet:
    found = (FormSet.objects.select_related("basis", "governing").filter(valid_from__lte=day)
             .exclude(valid_to__lt=day).order_by("-valid_from").first())
    if found is None:
        raise NoFormSet(f"no one-stop form set is in force on {day:%d/%m/%Y}")
    return found


_CACHE_SECONDS = 60


def _generation() -> int:
    return int(cache.get_or_set("legal:form-sets:generation", 0, None) or 0)


def forget_form_sets(**_kwargs) -> None:
    """Any change to the form sets or their legal bases: the cached answers are dropped (signals in apps.py)."""
    try:
        cache.incr("legal:form-sets:generation")
    except ValueError:
        cache.set("legal:form-sets:generation", 1, None)


def form_set_id_on(day: dt.date) -> int:
    """The id of the form set in force on ``day``, as each submission needs it: asked once a minute
    at most per process (and at once again after a change made through this installation)."""
    key = f"legal:form-set-on:{_generation()}:{day.isoformat()}"
    found = cache.get(key)
    if found is None:
        found = form_set_on(day).pk
        cache.set(key, found, _CACHE_SECONDS)
    return int(found)


def in_force(day: dt.date | None = None):
    """The legal documents in force on ``day`` (today by default)."""
    day = day or timezone.localdate()
    return LegalDocument.objects.filter(valid_from__lte=day).exclude(valid_to__lt=day)


def form_sets_between(start: dt.date, end: dt.date) -> list[FormSet]:
    """The form sets that apply on some day from ``start`` to ``end`` (both included), oldest first:
    the dossier registers (Sổ theo dõi hồ sơ) a period spans."""
    return list(FormSet.objects.select_related("basis", "governing").filter(valid_from__lte=end)
                .exclude(valid_to__lt=start).order_by("valid_from"))
