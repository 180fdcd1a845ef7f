"""A document the platform issued, as the public verification page shows it (signing stays generic:
which issued document a verification link names is told by the app that issues it, passed to the
views by the URL configuration — ``egov/urls.py`` gives ``dossiers.published.issued_result``)."""

from __future__ import annotations

import datetime as dt
import re
from collections.abc import Callable
from dataclasses import dataclass

from django.db.models.fields.files import FieldFile

# The verification link carries a SHA-256 (``signing.services.verification_url``).
HASH = re.compile(r"[0-9a-f]{64}")


@dataclass(frozen=True)
class PublishedDocument:
    agency: str  # the issuing agency
    title: str  # the kind of document ("Giấy khai sinh")
    number: str  # its number in the agency's register (Decree 30/2020/NĐ-CP, art. 15)
    issued_on: dt.date
    file: FieldFile  # the issued PDF as it is now
    filename: str


Finder = Callable[[str], "PublishedDocument | None"]


def find(sha256: str, finder: Finder | None) -> PublishedDocument | None:
    """The issued document a verification link names, or None (unknown, not issued yet: the same
    answer, so a link tells nothing about a document that has not been issued)."""
    sha256 = (sha256 or "").strip().lower()
    if finder is None or not HASH.fullmatch(sha256):
        return None
    return finder(sha256)


def first_of(*finders: Finder) -> Finder:
    """One finder asking each app that issues documents in turn (dossier results, e-office documents)."""
    def found(sha256: str) -> PublishedDocument | None:
        return next((document for finder in finders if (document := finder(sha256)) is not None), None)

    return found
