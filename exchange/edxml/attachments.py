"""Attachments as both dialects carry them: base64 text in the body, the SHA-256 and size of
the bytes beside it (in the qcvn102 manifest, in each eDoc ``Attachment``), checked on reading."""

from __future__ import annotations

import base64
import binascii
import hashlib
import mimetypes
from dataclasses import dataclass

from .model import Attachment


@dataclass(frozen=True)
class Carried:
    """One attachment as read from a package, before its bytes are checked."""

    content_id: str
    name: str
    mime: str
    description: str
    base64: str
    sha256: str          # "" when the package does not say (eDoc packages from other systems)
    size: int | None


def encode(attachment: Attachment) -> tuple[str, str, int]:
    """(base64, sha256 hex, size) of an attachment to carry."""
    return (base64.b64encode(attachment.content).decode("ascii"), hashlib.sha256(attachment.content).hexdigest(),
            len(attachment.content))


def content_id(index: int) -> str:
    return f"cid:{index + 1}"


def mime_of(file_type: str) -> str:
    """eDoc ``FileType``: we write the MIME type; other systems may write an extension ("pdf")."""
    file_type = file_type.strip()
    if "/" in file_type or not file_type:
        return file_type
    return mimetypes.guess_type(f"x.{file_type.lstrip('.')}")[0] or "application/octet-stream"


class Mismatch(Exception):
    """An attachment's bytes are not what the package declares (``what``: base64, size, sha256)."""

    def __init__(self, carried: Carried, what: str):
        super().__init__(f"{carried.name}: {what}")
        self.carried = carried
        self.what = what


def decode(carried: Carried) -> Attachment:
    try:
        # strict and in C (b64decode(validate=True) checks with a regular expression: ten times slower)
        content = binascii.a2b_base64("".join(carried.base64.split()), strict_mode=True)
    except (binascii.Error, ValueError):
        raise Mismatch(carried, "base64") from None
    if carried.size is not None and carried.size != len(content):
        raise Mismatch(carried, "size")
    if carried.sha256 and carried.sha256.lower() != hashlib.sha256(content).hexdigest():
        raise Mismatch(carried, "sha256")
    return Attachment(name=carried.name, content=content, mime=carried.mime, description=carried.description)
