"""Who may do what with the agency's files (hồ sơ công việc) and its archive: the one place that
decides, which ``records.services`` and the pages call.

- Officials who act in the agency (the whole of it or one unit) open files; the keeper of a file
  and the agency's clerk (văn thư) attach documents to it and close it.
- A document joins a file of its own agency only, and only if the official may read it.
- A file is closed only when every incoming document in it has been handled (Decree 30/2020 art.
  29: a file is closed when the matter is settled).
- Only the clerk of the agency transfers closed files to the agency archive (art. 30-31).
- A file is read by its keeper and by whoever views its agency or its unit.
"""

from __future__ import annotations

from django.core.exceptions import PermissionDenied
from django.utils.translation import gettext as _

from directory.models import OrgUnit
from directory.scope import Action, can, scope_of
from documents.models import Direction, Status
from documents.policy import YES, Decision
from documents.selectors import can_read as can_read_document

from .models import CaseFile, FileStatus


def _no(reason: str) -> Decision:
    return Decision(False, reason)


def _clerk(user, agency_id: int) -> bool:
    return can(user, Action.ISSUE, agency_id=agency_id)


def may_open(user, agency_id: int, unit_id: int | None = None) -> bool:
    """With a unit: reach there; without: reach in the agency or one of its units."""
    if can(user, Action.ACT, agency_id=agency_id, unit_id=unit_id) or _clerk(user, agency_id):
        return True
    scope = scope_of(user, Action.ACT)
    return unit_id is None and OrgUnit.objects.filter(agency_id=agency_id, pk__in=scope.unit_ids).exists()


def may_manage_list(user, agency_id: int) -> bool:
    """The file list is kept by the clerk and approved by the agency's leaders."""
    return _clerk(user, agency_id) or can(user, Action.SIGN, agency_id=agency_id)


def can_read(user, case_file: CaseFile) -> bool:
    return (case_file.keeper_id == user.pk
            or can(user, Action.VIEW, agency_id=case_file.agency_id, unit_id=case_file.unit_id))


def _holds(user, case_file: CaseFile) -> bool:
    return case_file.keeper_id == user.pk or _clerk(user, case_file.agency_id)


def unhandled_incoming(case_file: CaseFile):
    return case_file.items.filter(document__direction=Direction.INCOMING).exclude(
        document__status__in=[Status.HANDLED, Status.REFUSED])


def decide(user, case_file: CaseFile, action: str, document=None) -> Decision:
    if action == "attach":
        if case_file.status != FileStatus.OPEN:
            return _no(_("Documents are added only to an open file."))
        if not _holds(user, case_file):
            return _no(_("Only the keeper of the file or the clerk adds documents to it."))
        if document is None or document.agency_id != case_file.agency_id or not can_read_document(user, document):
            return _no(_("You may add only a document of this agency that you may read."))
        return YES
    if action == "close":
        if case_file.status != FileStatus.OPEN:
            return _no(_("Only an open file can be closed."))
        if not _holds(user, case_file):
            return _no(_("Only the keeper of the file or the clerk closes it."))
        if unhandled_incoming(case_file).exists():
            return _no(_("The file cannot be closed while an incoming document in it is not handled."))
        return YES
    if action == "transfer":
        if case_file.status != FileStatus.CLOSED:
            return _no(_("Only a closed file is transferred to the archive."))
        if not _clerk(user, case_file.agency_id):
            return _no(_("Only the agency's clerk transfers files to the archive."))
        return YES
    raise ValueError(action)


def require(user, case_file: CaseFile, action: str, document=None) -> None:
    decision = decide(user, case_file, action, document)
    if not decision:
        raise PermissionDenied(decision.reason)


def available_actions(user, case_file: CaseFile) -> frozenset[str]:
    found = {a for a in ("close", "transfer") if decide(user, case_file, a)}
    if case_file.status == FileStatus.OPEN and _holds(user, case_file):
        found.add("attach")
    return frozenset(found)
