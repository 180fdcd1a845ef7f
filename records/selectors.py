"""Which files an official may read (the list and the file page): ``records.policy.can_read`` in SQL."""

from __future__ import annotations

from django.db.models import Count, Q, QuerySet

from directory.scope import Action, scope_of

from .models import CaseFile


def readable_files(user, queryset: QuerySet | None = None) -> QuerySet:
    files = CaseFile.objects.all() if queryset is None else queryset
    if user is None or not user.is_authenticated:
        return files.none()
    return files.filter(Q(keeper=user) | scope_of(user, Action.VIEW).q("file_list__agency", "unit"))


def files_of_year(user, year: int) -> QuerySet:
    return (readable_files(user).filter(file_list__year=year)
            .select_related("file_list__agency", "unit", "keeper").annotate(document_count=Count("items")))
