"""An incoming document received by e-mail: the clerk uploads the message (``.eml``) and it is read
with the standard library: its subject proposes the abstract (trích yếu), its sender the issuing
agency, its attachments become the document's files, its text is kept for search."""

from __future__ import annotations

import email
import email.policy
from dataclasses import dataclass, field
from email.utils import parseaddr, parsedate_to_datetime


@dataclass
class Upload:
    """A file to keep: its name, bytes and the type it claims (sniffed again before serving)."""

    name: str
    content: bytes
    content_type: str = "application/octet-stream"


@dataclass
class Message:
    subject: str
    sender_name: str
    sender_address: str
    sent_at: object  # datetime | None
    text: str
    attachments: list[Upload] = field(default_factory=list)


def read_message(raw: bytes) -> Message:
    message = email.message_from_bytes(raw, policy=email.policy.default)
    name, address = parseaddr(str(message.get("From", "")))
    try:
        sent_at = parsedate_to_datetime(str(message["Date"])) if message.get("Date") else None
    except (TypeError, ValueError):
        sent_at = None
    body = message.get_body(preferencelist=("plain", "html"))
    text = body.get_content() if body is not None else ""
    attachments = []
    for part in message.iter_attachments():
        content = part.get_payload(decode=True) or b""
        if isinstance(content, bytes) and content:
            attachments.append(Upload(name=part.get_filename() or "attachment.bin", content=content,
                                      content_type=part.get_content_type()))
    return Message(subject=" ".join(str(message.get("Subject", "")).split()), sender_name=name,
                   sender_address=address, sent_at=sent_at, text=text.strip(), attachments=attachments)
