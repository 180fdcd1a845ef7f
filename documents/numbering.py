"""Numbers of outgoing documents (số, ký hiệu văn bản; Decree 30/2020/NĐ-CP art. 15, Appendix I, II).

An outgoing register numbers from 01 every calendar year, each document type in a series of its own
(its abbreviation) unless the register keeps ``one_series``. Printed "123/QĐ-UBND" (type
abbreviation, then the agency's); an official letter has no type abbreviation and carries the
drafting unit's instead, if it has one: "123/UBND-VP", else "123/UBND".

As ``dossiers.numbering`` does for results: the next number is read without a lock (:func:`peek`)
and taken only in the transaction that keeps the issued file (:func:`take`, one conditional UPDATE
from the number before it), so numbers stay gap-free and in order whatever fails.
"""

from __future__ import annotations

from django.db import IntegrityError, transaction

from .models import Document, Register, RegisterCounter


def series_of(register: Register, document: Document) -> str:
    return "" if register.one_series else document.document_type.abbreviation


def number_text(value: int, document: Document) -> str:
    agency = document.agency.abbreviation
    kind = document.document_type
    if kind.is_letter:
        unit = document.drafting_unit.abbreviation.strip() if document.drafting_unit is not None else ""
        return f"{value:02d}/{agency}-{unit}" if unit else f"{value:02d}/{agency}"
    return f"{value:02d}/{kind.abbreviation}-{agency}"


def peek(register: Register, year: int, series: str) -> int:
    """The next number of the series, read without a lock (taken by :func:`take`)."""
    last = RegisterCounter.objects.filter(register=register, year=year, series=series).values_list(
        "last", flat=True).first()
    return (last or 0) + 1


def take(register: Register, year: int, series: str, value: int) -> bool:
    """Move the series' counter from ``value - 1`` to ``value`` in one statement; False if another
    issuance got there first. The row stays locked until the caller's commit."""
    if not RegisterCounter.objects.filter(register=register, year=year, series=series).exists():
        try:
            with transaction.atomic():  # a savepoint: a concurrent first issuance may create it too
                RegisterCounter.objects.create(register=register, year=year, series=series, last=0)
        except IntegrityError:
            pass
    return RegisterCounter.objects.filter(register=register, year=year, series=series,
                                          last=value - 1).update(last=value) == 1


def outgoing_register(document: Document) -> Register | None:
    """The agency's outgoing register in use for ``document``: the one for classified documents if
    it is classified (Decree 30/2020 art. 15, 4), else the ordinary one."""
    return (Register.objects.filter(agency_id=document.agency_id, direction="outgoing", active=True,
                                    confidential=document.classified).order_by("pk").first())
