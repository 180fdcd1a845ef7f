"""What search reads of a document (``Document.search_text``): its metadata and the text of its
files, folded by ``egov.text.fold`` (lower case, no diacritics) so that "quyet dinh" finds
"Quyết định" on PostgreSQL and SQLite alike; and the fingerprint that tells the same document
arriving twice (by paper and electronically)."""

from __future__ import annotations

import hashlib
import re

from egov.text import fold

from .models import Document


def search_text_of(document: Document, texts: list[str] | None = None) -> str:
    if texts is None:
        texts = list(document.files.values_list("text", flat=True))
    parts = [document.number_symbol, document.issuer_name, document.abstract, document.signer_name,
             str(document.document_type) if document.document_type_id else "", *texts]
    return fold(" ".join(part for part in parts if part))


def fingerprint(*, issuer_name: str, number_symbol: str, issued_on) -> str:
    """Same issuer, number and symbol and date: the same document. "" when the number is unknown
    (nothing to compare: a letter without a number is never called a duplicate)."""
    symbol = re.sub(r"\s+", "", fold(number_symbol))
    if not symbol:
        return ""
    key = "|".join([fold(issuer_name), symbol, issued_on.isoformat() if issued_on else ""])
    return hashlib.sha256(key.encode()).hexdigest()


# --- the search's words (documents.search) ---------------------------------------------------------

WORD = re.compile(r"\w+")


def words(text: str) -> list[str]:
    """The folded words of ``text`` (a query or a document's parts), in order: "123/QĐ-UBND" gives
    "123", "qd", "ubnd", as PostgreSQL's 'simple' parser and the SQLite ``LIKE`` both expect."""
    return WORD.findall(fold(text))


def build(document: Document, texts: list[str] | None = None) -> str:
    """``Document.search_text``: metadata, body, recipients and the files' text (OCR, extracted) as
    folded words separated by single spaces. The one builder: the doors store what it returns."""
    parts = [search_text_of(document, texts), document.body, document.recipients_text]
    return " ".join(words(" ".join(part for part in parts if part)))


def refresh(document: Document) -> str:
    """Store the search text of ``document`` (one UPDATE inside the caller's transaction)."""
    document.search_text = build(document)
    Document.objects.filter(pk=document.pk).update(search_text=document.search_text)
    return document.search_text
