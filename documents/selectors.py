"""Which documents an official may read: the one rule, in SQL (:func:`visible_documents`), that the
lists, the search, the API, the statistics and the single-document pages (:func:`can_read`) share.

- An unclassified document: everyone whose VIEW scope reaches its agency (the leaders and the
  clerk: the whole agency); an official whose reach is their unit sees the documents assigned to
  their unit or to them, and the drafts of their unit; anyone sees what they drafted, review, or
  were assigned.
- A classified document (Mật, Tối mật, Tuyệt mật): only the agency's leaders (SIGN) and clerks (ISSUE),
  and the people it was personally assigned to, drafted it or review it, and the head of a unit it
  was given to (who passes it on). Its content never leaves
  the agency (``documents.policy.may_leave_the_agency``).
"""

from __future__ import annotations

from django.db.models import Exists, OuterRef, Q, QuerySet

from directory.scope import Action, scope_of

from .models import Assignment, Confidentiality, Document, ReviewStep


def _personal(user) -> Q:
    """Documents personally in ``user``'s hands: assigned, drafted, in review, signed by them."""
    assigned = Assignment.objects.filter(document=OuterRef("pk"), person=user)
    reviewing = ReviewStep.objects.filter(document=OuterRef("pk"), reviewer=user)
    return Q(drafted_by=user) | Q(signed_by=user) | Exists(assigned) | Exists(reviewing)


def _in_units(unit_ids) -> Q:
    to_unit = Assignment.objects.filter(document=OuterRef("pk"), unit_id__in=unit_ids)
    return Exists(to_unit) | Q(drafting_unit_id__in=unit_ids)


def visible_documents(user, queryset: QuerySet | None = None) -> QuerySet:
    documents = Document.objects.all() if queryset is None else queryset
    if user is None or not user.is_authenticated or not user.is_active:
        return documents.none()
    personal = _personal(user)
    view = scope_of(user, Action.VIEW)
    # The agency's leaders and clerks read all of its documents, classified ones included: one
    # condition on the agency, which the lists' index (agency, direction, newest) serves alone.
    keepers: set[int] = set()
    for action in (Action.SIGN, Action.ISSUE):
        keepers |= set(scope_of(user, action).agency_ids)
    whole = Q(agency_id__in=keepers) if keepers else Q(pk__in=[])
    if view.everything:
        unclassified = Q()
    else:
        unclassified = Q(agency_id__in=view.agency_ids - keepers) if view.agency_ids - keepers else Q(pk__in=[])
        if view.unit_ids:
            unclassified |= _in_units(view.unit_ids)
    open_ones = Q(confidentiality=Confidentiality.NORMAL) & unclassified
    # A unit head holds what the leader gave to their unit (to pass it on): personally involved.
    heads = scope_of(user, Action.ASSIGN).unit_ids
    if heads:
        personal = personal | Q(Exists(Assignment.objects.filter(document=OuterRef("pk"), unit_id__in=heads,
                                                                 person__isnull=True)))
    return documents.filter(whole | open_ones | personal)


def can_read(user, document: Document) -> bool:
    return visible_documents(user, Document.objects.filter(pk=document.pk)).exists()


def open_assignments(user) -> QuerySet:
    """The handling assignments waiting for ``user``: theirs, or their unit's while nobody in it
    holds it yet and they head the unit (ASSIGN there)."""
    assign = scope_of(user, Action.ASSIGN)
    to_unit = Q(person__isnull=True, unit_id__in=assign.unit_ids) if assign.unit_ids else Q(pk__in=[])
    passed_on = Assignment.objects.filter(parent=OuterRef("pk"))  # a unit's part given to one of its people
    return (Assignment.objects.filter(done_at__isnull=True).filter(Q(person=user) | to_unit)
            .exclude(Exists(passed_on)).select_related("document", "unit"))
