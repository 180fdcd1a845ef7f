"""Sending an issued document out (gửi văn bản đi, Decree 30/2020/NĐ-CP art. 16–17) and recalling it
(thu hồi, art. 19); its replacement is a new draft that ``replaces`` it.

- inside the agency: an in-app notice to the members of each unit, a ``Distribution`` row per unit;
- to other agencies: a ``Distribution`` row per agency, queued for the inter-agency exchange (which
  sends it: the next issue);
- by e-mail: the issued PDF attached, one message per address, sent after the rows are written
  (no network call while the document is locked).

A classified document goes to units of the agency only: never through the exchange or by e-mail
(``documents.policy.may_leave_the_agency``).
"""

from __future__ import annotations

from django.core.exceptions import PermissionDenied, ValidationError
from django.core.mail import EmailMessage
from django.core.validators import validate_email
from django.db import transaction
from django.utils import timezone
from django.utils.translation import gettext as _

from directory.models import Role

from . import policy, signals
from .models import Channel, Comment, Distribution, Document, FileKind, Status
from .outgoing_files import current_file, in_platform_language, label, lock, read, tell, touch


def distribute(document: Document, clerk, *, units=(), agencies=(), emails=(),
               revision: int | None = None) -> list[Distribution]:
    """The clerk sends the issued document to ``units`` of the agency, other ``agencies`` and
    ``emails``; returns the rows written (one per recipient)."""
    units, agencies = list(units), list(agencies)
    emails = [address.strip() for address in emails if address.strip()]
    if not (units or agencies or emails):
        raise ValidationError(_("Choose where the document goes."))
    for address in emails:
        validate_email(address)
    now = timezone.now()
    with transaction.atomic(durable=True):
        current = lock(document, revision)
        policy.require(clerk, current, "distribute")
        if (agencies or emails) and not policy.may_leave_the_agency(current):
            raise PermissionDenied(_("A classified document never leaves the agency: send it to its units only."))
        if any(unit.agency_id != current.agency_id for unit in units):
            raise ValidationError(_("Only units of the agency receive it inside the agency."))
        if any(agency.pk == current.agency_id for agency in agencies):
            raise ValidationError(_("Send it to the agency's own units inside the agency."))
        rows = [Distribution.objects.create(document=current, channel=Channel.INTERNAL, unit=unit, sent_at=now,
                                            status="sent") for unit in units]
        rows += [Distribution.objects.create(document=current, channel=Channel.EXCHANGE, agency=agency,
                                             status="queued") for agency in agencies]
        mailed = [Distribution.objects.create(document=current, channel=Channel.EMAIL, email=address,
                                              status="queued") for address in emails]
        touch(current)
        signals.distributed.send(Document, document=current, by=clerk, rows=rows + mailed)
        with in_platform_language():
            for unit in units:
                tell(current, unit_id=unit.pk, by=clerk, key=f"document-sent-{unit.pk}",
                     title=_("A document was sent to your unit: %(number)s") % {"number": current.number_symbol},
                     body=label(current))
    if mailed:
        _mail(current, mailed)
    return rows + mailed


def _mail(document: Document, rows: list[Distribution]) -> None:
    issued = current_file(document, FileKind.ISSUED)
    content = read(issued) if issued is not None else b""
    for row in rows:
        with in_platform_language():
            message = EmailMessage(subject=f"{document.number_symbol} – {document.abstract[:150]}",
                                   body=_("%(agency)s sends you the document %(number)s, attached.") % {
                                       "agency": document.agency.name, "number": document.number_symbol},
                                   to=[row.email])
        message.attach(issued.original_name if issued else "van-ban.pdf", content, "application/pdf")
        try:
            message.send()
        except OSError:
            Distribution.objects.filter(pk=row.pk).update(status="failed")
            row.status = "failed"
            continue
        Distribution.objects.filter(pk=row.pk).update(status="sent", sent_at=timezone.now())
        row.status = "sent"


def recall(document: Document, leader, reason: str, *, revision: int | None = None) -> Document:
    """The leader recalls an issued document (status RECALLED), the reason kept as a comment; the
    units it was sent to are told."""
    reason = (reason or "").strip()
    if not reason:
        raise ValidationError(_("Give the reason for the recall."))
    with transaction.atomic(durable=True):
        current = lock(document, revision)
        policy.require(leader, current, "recall")
        current.status, current.recalled_at = Status.RECALLED, timezone.now()
        touch(current, "status", "recalled_at")
        Comment.objects.create(document=current, author=leader, text=_("Recalled: %(reason)s") % {"reason": reason})
        signals.recalled.send(Document, document=current, by=leader, reason=reason)
        with in_platform_language():
            title = _("Document %(number)s was recalled") % {"number": current.number_symbol}
            for unit_id in current.distributions.filter(channel=Channel.INTERNAL).values_list("unit_id", flat=True):
                tell(current, unit_id=unit_id, by=leader, key=f"document-recalled-{unit_id}", title=title,
                     body=f"{label(current)}\n{reason}")
            tell(current, role=Role.CLERK, by=leader, key="document-recalled", title=title, body=reason)
    return current


def draft_replacement(document: Document, user, **fields) -> Document:
    """A new draft replacing an issued or recalled document (thay thế), its text copied to start from."""
    from .drafting import create_draft

    if document.status not in (Status.ISSUED, Status.RECALLED) or not policy.can_read(user, document):
        raise PermissionDenied(_("Only an issued or recalled document can be replaced."))
    values = {"document_type": document.document_type, "abstract": document.abstract, "body": document.body,
              "recipients_text": document.recipients_text, "urgency": document.urgency,
              "confidentiality": document.confidentiality, **fields}
    return create_draft(agency=document.agency, user=user, replaces=document, **values)
