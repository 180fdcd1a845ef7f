"""Saved filters (bộ lọc đã lưu): an official names the filters of a list page to come back to
them with one click. Each official sees and deletes only their own; names are unique per page."""

from urllib.parse import parse_qsl

from django.core.exceptions import ValidationError
from django.db import IntegrityError, transaction
from django.shortcuts import get_object_or_404
from django.urls import reverse
from django.utils.http import urlencode
from django.utils.translation import gettext as _

from .models import SavedFilter

PAGES = ("office:queue",)  # the list pages that keep filters (their URL names)
NOT_KEPT = {"page", "csrfmiddlewaretoken"}  # a saved filter starts on the first page
MAX_QUERY = SavedFilter._meta.get_field("query").max_length


def clean_query(query: str) -> str:
    """The page's query string as kept: its non-empty parameters, without the page number."""
    kept = [(key, value) for key, value in parse_qsl(query.lstrip("?"), keep_blank_values=False)
            if key not in NOT_KEPT and value]
    text = urlencode(kept)
    if len(text) > MAX_QUERY:
        raise ValidationError(_("This filter is too long to be saved."))
    return text


def url_of(saved: SavedFilter) -> str:
    query = saved.query
    return reverse(saved.page) + (f"?{query}" if query else "")


def links(*, user, page: str, current: str = "") -> list[dict]:
    """The user's saved filters of ``page``, as links; ``current`` (the page's query) marks the one shown."""
    shown = clean_query(current) if current else None
    return [{"pk": saved.pk, "name": saved.name, "url": url_of(saved), "current": saved.query == shown}
            for saved in SavedFilter.objects.filter(user=user, page=page)]


def own_filter(*, user, pk: int) -> SavedFilter:
    """One of the user's own saved filters; another official's is 404, as one that does not exist."""
    return get_object_or_404(SavedFilter, pk=pk, user=user)


def save_filter(*, user, page: str, name: str, query: str) -> SavedFilter:
    """Keep the page's current filters under ``name`` for ``user``."""
    if page not in PAGES:
        raise ValidationError(_("Filters cannot be saved on this page."))
    name = " ".join(name.split())
    if not name:
        raise ValidationError({"name": _("Give the filter a name.")})
    if SavedFilter.objects.filter(user=user, page=page, name__iexact=name).exists():
        raise ValidationError({"name": _("You already have a filter named “%(name)s” on this page: choose another "
                                         "name, or delete that one first.") % {"name": name}})
    saved = SavedFilter(user=user, page=page, name=name, query=clean_query(query))
    saved.full_clean(exclude=["user"])
    try:
        with transaction.atomic():
            saved.save()
    except IntegrityError as error:  # the same name saved a moment ago, from another tab
        raise ValidationError({"name": _("You already have a filter named “%(name)s” on this page: choose another "
                                         "name, or delete that one first.") % {"name": name}}) from error
    return saved


def delete_filter(*, saved: SavedFilter) -> str:
    """Delete a saved filter (the caller got it from ``own_filter``); the URL of its page."""
    page = reverse(saved.page)
    saved.delete()
    return page
