"""Numbers of issued results (số, ký hiệu văn bản; Decree 30/2020/NĐ-CP art. 15 and Appendix I).

A result is numbered in a register of its issuing agency, from 01 each calendar year:

- the agency's general register (``ProcedureVersion.result_register`` empty): one sequence for all
  its results, printed ``number/symbol-agency`` ("15/GP-SXD") where the procedure gives the type
  symbol (``result_symbol``), else ``number/agency`` ("15/UBND", as for a letter without a type);
- a book of its own (``result_register``, e.g. "Sổ đăng ký khai sinh": civil status is recorded in
  books, one per kind of event and year): its own sequence, printed ``number/year`` ("15/2026"),
  the book's name printed under it on the document.

The counter of a (agency, year, register) moves only in the transaction that keeps the issued
file (:func:`take`, one conditional UPDATE), so numbers stay gap-free and in order whatever fails.
Decision 0019.
"""

from __future__ import annotations

from django.db import IntegrityError, transaction

from directory.models import Agency

from .models import IssueSequence


def number_text(*, value: int, year: int, agency: Agency, symbol: str = "", register: str = "") -> str:
    """How the number is printed: "15/GP-SXD", "15/UBND" or, in a register of its own, "15/2026"."""
    if register:
        return f"{value:02d}/{year}"
    if symbol:
        return f"{value:02d}/{symbol}-{agency.abbreviation}"
    return f"{value:02d}/{agency.abbreviation}"


def peek(agency: Agency, year: int, register: str = "") -> int:
    """The next number of the register, read without a lock (it is taken by :func:`take`)."""
    last = (IssueSequence.objects.filter(agency=agency, year=year, register=register)
            .values_list("last", flat=True).first())
    return (last or 0) + 1


def take(agency: Agency, year: int, register: str, value: int) -> bool:
    """Move the register's counter from ``value - 1`` to ``value`` in one statement; False if
    another issuance got there first. The row stays locked only until the caller's commit."""
    if not IssueSequence.objects.filter(agency=agency, year=year, register=register).exists():
        try:
            with transaction.atomic():  # a savepoint: a concurrent first issuance may create it too
                IssueSequence.objects.create(agency=agency, year=year, register=register, last=0)
        except IntegrityError:
            pass
    return IssueSequence.objects.filter(agency=agency, year=year, register=register,
                                        last=value - 1).update(last=value) == 1
