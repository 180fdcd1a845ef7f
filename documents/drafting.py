"""Drafting an outgoing document (soạn thảo văn bản đi, Decree 30/2020/NĐ-CP art. 10–13): the
drafter writes the structured text or uploads versions, submits it to an ordered chain of
reviewers (unit head → deputy → leader), who each approve or return it with a comment.

Every door checks ``documents.policy`` first and the document's ``revision`` (a form shown with an
older one is refused, ``StaleDocument``); every version is kept (``documents.outgoing_files``).
"""

from __future__ import annotations

from django.core.exceptions import PermissionDenied, ValidationError
from django.db import transaction
from django.utils import timezone
from django.utils.translation import gettext as _

from directory.models import Membership, OrgUnit, Role
from dossiers.services import files_or_nothing

from . import layout, policy
from .models import (
    Comment,
    Confidentiality,
    Direction,
    Document,
    DocumentType,
    FileKind,
    ReviewState,
    ReviewStep,
    Source,
    Status,
    Urgency,
)
from .outgoing_files import StaleDocument, current_version, in_platform_language, label, lock, store, tell, touch
from .search_text import build

__all__ = ["StaleDocument", "add_version", "comment", "create_draft", "review", "save_draft", "submit_for_review"]

# The fields of the structured text: a change to any of them is a new version of the layout.
TEXT_FIELDS = ("document_type_id", "abstract", "body", "recipients_text")


def _render_version(document: Document, *, by, stored) -> None:
    """The layout of the structured text as the next version (nothing when there is no text)."""
    if not document.body.strip():
        return
    version = current_version(document) + 1
    store(document, layout.render(document, version), kind=FileKind.DRAFT, version=version, by=by, stored=stored,
          name=f"du-thao-{document.pk}-v{version}.pdf", note=_("laid out from the text"))


def _unit_of(user, agency, unit: OrgUnit | None) -> OrgUnit | None:
    if unit is not None:
        if unit.agency_id != agency.pk:
            raise ValidationError(_("The drafting unit must be a unit of the agency."))
        return unit
    place = Membership.objects.valid_on().filter(official=user, agency=agency, unit__isnull=False).first()
    return place.unit if place else None


def create_draft(*, agency, user, document_type: DocumentType, abstract: str, body: str = "",
                 recipients_text: str = "", drafting_unit: OrgUnit | None = None, urgency: str = Urgency.NORMAL,
                 confidentiality: str = Confidentiality.NORMAL, replaces: Document | None = None,
                 in_reply_to: Document | None = None) -> Document:
    """A new draft of ``agency`` written by ``user`` (status DRAFTING); its text laid out as version 1.
    ``replaces``: the issued document it will replace (``documents.distribution.draft_replacement``)."""
    if not policy.may_create_draft(user, agency.pk):
        raise PermissionDenied(_("Only officials of the agency draft its documents."))
    if not abstract.strip():
        raise ValidationError(_("Write the abstract (trích yếu) of the document."))
    if replaces is not None and replaces.agency_id != agency.pk:
        raise ValidationError(_("A document is replaced by its own agency."))
    if in_reply_to is not None and (in_reply_to.agency_id != agency.pk or not policy.may_answer(user, in_reply_to)):
        raise PermissionDenied(_("Only whoever handles the incoming document drafts its answer."))
    with files_or_nothing() as stored, transaction.atomic(durable=True):
        document = Document(
            agency=agency, direction=Direction.OUTGOING, status=Status.DRAFTING, source=Source.DRAFTED,
            document_type=document_type, abstract=abstract.strip(), body=body.strip(),
            recipients_text=recipients_text.strip(), drafting_unit=_unit_of(user, agency, drafting_unit),
            drafted_by=user, created_by=user, urgency=urgency, confidentiality=confidentiality, replaces=replaces,
            in_reply_to=in_reply_to)
        document.search_text = build(document, [])
        document.full_clean(exclude=["search_text", "fingerprint"])
        document.save()
        _render_version(document, by=user, stored=stored)
    return document


def save_draft(document: Document, user, *, revision: int | None = None, **changes) -> Document:
    """The drafter changes the draft's details; a changed text is laid out as a new version."""
    allowed = {"document_type", "abstract", "body", "recipients_text", "drafting_unit", "urgency", "confidentiality"}
    unknown = set(changes) - allowed
    if unknown:
        raise TypeError(f"not a draft's field: {sorted(unknown)}")
    with files_or_nothing() as stored, transaction.atomic(durable=True):
        current = lock(document, revision)
        policy.require(user, current, "edit_draft")
        before = {name: getattr(current, name) for name in TEXT_FIELDS}
        for name, value in changes.items():
            if name == "drafting_unit":
                value = _unit_of(user, current.agency, value)
            setattr(current, name, value.strip() if isinstance(value, str) else value)
        if not current.abstract:
            raise ValidationError(_("Write the abstract (trích yếu) of the document."))
        current.search_text = build(current, [])
        touch(current, *(set(changes) | {"search_text"}))
        if any(getattr(current, name) != before[name] for name in TEXT_FIELDS):
            _render_version(current, by=user, stored=stored)
    return current


def add_version(document: Document, user, upload, *, revision: int | None = None, note: str = ""):
    """The drafter uploads a PDF as the next version (the earlier ones stay)."""
    content = upload.read()
    if not content.startswith(b"%PDF-"):
        raise ValidationError(_("Upload the draft as a PDF file."))
    with files_or_nothing() as stored, transaction.atomic(durable=True):
        current = lock(document, revision)
        policy.require(user, current, "edit_draft")
        version = current_version(current) + 1
        record = store(current, content, kind=FileKind.DRAFT, version=version, by=user, stored=stored, note=note,
                       name=getattr(upload, "name", "") or f"du-thao-{current.pk}-v{version}.pdf")
        touch(current)
    return record


def submit_for_review(document: Document, user, reviewers, *, revision: int | None = None) -> list[ReviewStep]:
    """The drafter sends the current version to ``reviewers`` in this order (status IN_REVIEW);
    the first is told."""
    reviewers = list(reviewers)
    with transaction.atomic(durable=True):
        current = lock(document, revision)
        policy.require(user, current, "submit_review")
        if not reviewers:
            raise ValidationError(_("Choose who reviews the draft."))
        if len({r.pk for r in reviewers}) != len(reviewers) or any(r.pk == user.pk for r in reviewers):
            raise ValidationError(_("Each reviewer once, and not the drafter."))
        members = set(Membership.objects.valid_on().filter(agency_id=current.agency_id, official__is_active=True)
                      .values_list("official_id", flat=True))
        if any(r.pk not in members for r in reviewers):
            raise ValidationError(_("Reviewers must be officials of the agency."))
        version = current_version(current)
        if version == 0:
            raise ValidationError(_("Write the draft or attach a version first."))
        current.reviews.filter(state=ReviewState.PENDING).delete()
        steps = [ReviewStep.objects.create(document=current, order=index, reviewer=reviewer, version=version)
                 for index, reviewer in enumerate(reviewers, start=1)]
        current.status = Status.IN_REVIEW
        touch(current, "status")
        with in_platform_language():
            tell(current, assignee=reviewers[0], by=user, key="draft-review", title=_("A draft waits for your review"),
                 body=label(current))
    return steps


def review(document: Document, user, *, approve: bool, comment: str = "", revision: int | None = None) -> Document:
    """The reviewer whose turn it is approves (the next reviewer is told; after the last the draft
    is APPROVED and the agency's leaders who sign are told) or returns it with a comment (back to
    DRAFTING, the drafter told; the comment kept with the version reviewed)."""
    comment = (comment or "").strip()
    with transaction.atomic(durable=True):
        current = lock(document, revision)
        policy.require(user, current, "review")
        if not approve and not comment:
            raise ValidationError(_("Say what to change when you return the draft."))
        step = policy.current_review(current)
        step.state = ReviewState.APPROVED if approve else ReviewState.RETURNED
        step.comment, step.acted_at = comment, timezone.now()
        step.save()
        if comment:
            Comment.objects.create(document=current, author=user, version=step.version, text=comment)
        following = policy.current_review(current)
        if not approve:
            current.reviews.filter(state=ReviewState.PENDING).delete()
            current.status = Status.DRAFTING
        elif following is None:
            current.status = Status.APPROVED
        touch(current, "status")
        with in_platform_language():
            if not approve:
                tell(current, assignee=current.drafted_by, by=user, key="draft-returned",
                     title=_("Your draft was returned with comments"), body=f"{label(current)}\n{comment}")
            elif following is not None:
                tell(current, assignee=following.reviewer, by=user, key="draft-review",
                     title=_("A draft waits for your review"), body=label(current))
            else:
                tell(current, role=Role.AGENCY_LEADER, by=user, key="draft-approved",
                     title=_("An approved draft waits for the signature"), body=label(current))
    return current


def comment(document: Document, user, text: str) -> Comment:
    """A comment on the current version, by anyone who may read the draft while it is being written."""
    text = (text or "").strip()
    if not text:
        raise ValidationError(_("Write the comment."))
    if not policy.may_comment(user, document):
        raise PermissionDenied(_("Comments are taken while the draft is being written or reviewed."))
    with transaction.atomic(durable=True):
        current = lock(document)
        return Comment.objects.create(document=current, author=user, version=current_version(current) or None,
                                      text=text)
