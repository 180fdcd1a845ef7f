"""Signing and issuing an outgoing document (ký số và phát hành, Decree 30/2020/NĐ-CP art. 15, 16).

The competent leader signs the approved version (the visible signature under the authority they
sign with, ``directory.authority``), then the clerk issues it: the number is taken from the
agency's outgoing register in that moment (``documents.numbering``), the agency's seal signature
overlaps the leader's image and fills in the number and date; the leader's signature stays valid.

The signatures are made by ``signing.services`` (``result_signature``, ``seal_signature``), in
three steps as ``dossiers.results`` does: check under a short lock, sign holding no lock and no
transaction (token, timestamp and revocation round trips), then re-lock and keep the file only if
the document did not change meanwhile.
"""

from __future__ import annotations

from django.core.exceptions import ValidationError
from django.db import transaction
from django.utils import timezone
from django.utils.translation import gettext as _

from directory.authority import authority_block
from directory.models import Role
from dossiers.services import files_or_nothing

from . import numbering, policy, routing
from .models import Document, DocumentFile, FileKind, Status
from .outgoing_files import StaleDocument, current_file, in_platform_language, label, lock, read, store, tell, touch
from .search_text import build

ISSUE_ATTEMPTS = 3


def _stale() -> StaleDocument:
    return StaleDocument(_("Someone else changed this document while the signature was being made. Nothing has "
                           "been signed or issued; reload the page and try again."))


def _begin(document: Document, user, action: str, kind: str, confirmation, revision: int | None):
    """Step (1): the rule, the confirmation, and what will be signed, under a short lock."""
    from signing.services import check_confirmation

    with transaction.atomic(durable=True):
        current = lock(document, revision)
        policy.require(user, current, action)
        source = current_file(current, kind)
        if source is None:
            raise ValidationError(_("There is no version of the document to sign."))
        check_confirmation(user, confirmation)
        return current, source


def _again(document: Document, user, action: str, seen: Document) -> Document:
    """Step (3), inside its transaction: nothing changed since step (1)."""
    current = lock(document)
    if current.revision != seen.revision:
        raise _stale()
    policy.require(user, current, action)
    return current


def sign(document: Document, leader, confirmation, *, revision: int | None = None) -> DocumentFile:
    """The competent leader signs the approved draft's latest version (status SIGNED; the clerks told)."""
    from signing.services import record_signature, result_signature

    seen, draft = _begin(document, leader, "sign", FileKind.DRAFT, confirmation, revision)
    authority = authority_block(signer=leader, agency=seen.agency)
    signed = result_signature(pdf_bytes=read(draft), signer=leader, confirmation=confirmation,
                              authority=authority.lines, delegation_id=authority.delegation_id)
    with files_or_nothing() as stored, transaction.atomic(durable=True):
        current = _again(document, leader, "sign", seen)
        record = store(current, signed.pdf, kind=FileKind.SIGNED, version=draft.version, by=leader, stored=stored,
                       name=f"van-ban-{current.pk}-da-ky.pdf")
        record_signature(signed, user=leader)
        current.status, current.signed_by, current.signer_name = Status.SIGNED, leader, leader.get_full_name()
        touch(current, "status", "signed_by", "signer_name")
        with in_platform_language():
            tell(current, role=Role.CLERK, by=leader, key="document-signed",
                 title=_("A signed document waits for issuance"), body=label(current))
    return record


class _NumberTaken(Exception):
    """Another issuance in the register took the number this attempt was sealed with."""


def issue(document: Document, clerk, confirmation, *, revision: int | None = None) -> DocumentFile:
    """Phát hành: the clerk seals the signed document with the register's next number and today's
    date (status ISSUED). A number taken by another issuance meanwhile is sealed again with the
    next one (up to ``ISSUE_ATTEMPTS`` times); a failed attempt takes no number."""
    for _attempt in range(ISSUE_ATTEMPTS):
        try:
            return _issue_once(document, clerk, confirmation, revision)
        except _NumberTaken:
            continue
    raise StaleDocument(_("Other documents of this register were being issued at the same moment; try again."))


def _issue_once(document: Document, clerk, confirmation, revision: int | None) -> DocumentFile:
    from signing.services import RESULT_BOX, record_signature, seal_signature

    seen, signed_file = _begin(document, clerk, "issue", FileKind.SIGNED, confirmation, revision)
    register = numbering.outgoing_register(seen)
    if register is None:
        raise ValidationError(_("The agency has no outgoing register in use for this document."))
    today = timezone.localdate()
    series = numbering.series_of(register, seen)
    value = numbering.peek(register, today.year, series)
    number = numbering.number_text(value, seen)
    # The seal's field was declared where the leader's signature put it (signing.pades.sign), so the
    # box given here is only the fallback for a document signed without it.
    sealed = seal_signature(pdf_bytes=read(signed_file), agency=seen.agency, number=number, issued_on=today,
                            official_box=RESULT_BOX)
    with files_or_nothing() as stored, transaction.atomic(durable=True):
        current = _again(document, clerk, "issue", seen)
        if timezone.localdate() != today or not numbering.take(register, today.year, series, value):
            raise _NumberTaken
        record = store(current, sealed.pdf, kind=FileKind.ISSUED, version=signed_file.version, by=clerk,
                       stored=stored, name=f"{number.replace('/', '-')}.pdf")
        record_signature(sealed, user=clerk)
        current.register, current.register_year, current.register_number = register, today.year, value
        current.register_series = series
        current.number_symbol, current.issued_on, current.issued_at = number, today, timezone.now()
        current.status = Status.ISSUED
        current.search_text = build(current, [])  # with its number now
        touch(current, "register", "register_year", "register_series", "register_number", "number_symbol", "issued_on", "issued_at",
              "status", "search_text")
        routing.answered(answer=current, now=current.issued_at)
        if current.drafted_by_id:
            with in_platform_language():
                tell(current, assignee=current.drafted_by, by=clerk, key="document-issued",
                     title=_("Your document was issued as %(number)s") % {"number": number}, body=label(current))
    return record
