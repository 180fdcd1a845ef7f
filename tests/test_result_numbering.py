"""Numbers of issued results (Decree 30/2020/NĐ-CP art. 15): number/type symbol-agency in the agency's
general register ("15/GP-SXD"), a sequence of its own per book for civil status ("15/2026" in the
"Sổ đăng ký khai sinh"), from 01 again each year, never twice the same under concurrent issuance."""

import datetime as dt
import subprocess

import pytest

from dossiers import numbering, results
from dossiers.models import IssueSequence
from procedures.models import ProcedureVersion
from tests.concurrency import at_once, concurrent_writers, next_number
from tests.test_signing_flow import _one_confirmation_per_user  # noqa: F401  (autouse: a fresh confirmation per test)

BIRTH_BOOK = "Sổ đăng ký khai sinh"


def test_a_result_number_carries_the_type_symbol_and_the_agency(demo):
    construction = demo.agencies["SXD"]
    assert numbering.number_text(value=15, year=2026, agency=construction, symbol="GP") == "15/GP-SXD"
    assert numbering.number_text(value=7, year=2026, agency=construction, symbol="QĐ") == "07/QĐ-SXD"  # from 01
    # No type symbol (a letter, Decree 30 Appendix I): number/agency.
    assert numbering.number_text(value=15, year=2026, agency=construction) == "15/SXD"


def test_a_result_numbered_in_a_book_carries_the_books_year(demo):
    ward = demo.agencies["01840"]
    assert numbering.number_text(value=15, year=2026, agency=ward, symbol="", register=BIRTH_BOOK) == "15/2026"


def allocate(agency, year: int, register: str = "") -> int:
    return next_number(numbering, agency, year, register)


def test_each_register_counts_on_its_own_and_restarts_on_the_first_of_january(demo):
    ward, department = demo.agencies["01840"], demo.agencies["STP"]
    assert [allocate(ward, 2026) for _ in range(3)] == [1, 2, 3]
    assert [allocate(ward, 2026, BIRTH_BOOK) for _ in range(2)] == [1, 2]  # the book has its own sequence
    assert allocate(ward, 2026, "Sổ đăng ký kết hôn") == 1
    assert allocate(department, 2026) == 1  # and every agency its own
    assert allocate(ward, 2027) == 1 and allocate(ward, 2027, BIRTH_BOOK) == 1  # a new year starts at 01
    assert allocate(ward, 2026) == 4 and allocate(ward, 2026, BIRTH_BOOK) == 3


def test_a_number_is_taken_only_from_the_one_before_it(demo):
    ward = demo.agencies["01840"]
    assert numbering.take(ward, 2026, BIRTH_BOOK, 1)
    assert not numbering.take(ward, 2026, BIRTH_BOOK, 1)  # taken already: the caller seals again with 2
    assert not numbering.take(ward, 2026, BIRTH_BOOK, 3)  # no gap
    assert IssueSequence.objects.get(agency=ward, year=2026, register=BIRTH_BOOK).last == 1


@concurrent_writers
def test_clerks_issuing_at_the_same_moment_get_consecutive_numbers_without_a_gap(transactional_db):
    """Eight threads (eight connections) take five numbers each in one book, the first of them
    creating the book's counter: 40 numbers, 01 to 40, each once."""
    from directory.demo import load_demo

    ward = load_demo().agencies["01840"]
    taken = at_once(lambda: allocate(ward, 2026, BIRTH_BOOK), threads=8, times=5)
    assert sorted(taken) == list(range(1, 41))
    assert IssueSequence.objects.get(agency=ward, year=2026, register=BIRTH_BOOK).last == 40


def pdf_text(body: bytes) -> str:
    return subprocess.run(["pdftotext", "-", "-"], input=body, capture_output=True, check=True).stdout.decode()


# --- on the issued result ---------------------------------------------------------------------------

@pytest.mark.requires_tools("softhsm2-util", "pdfsig", "certutil", "pdftotext")
def test_an_issued_result_gets_its_symbol_or_its_books_number(registered, demo):
    from tests.test_signing_flow import DUCXUAN, STP, confirmed, signed_at, with_totp

    def number_with(place, *, symbol="", register=""):
        dossier = signed_at(demo, place)
        ProcedureVersion.objects.filter(pk=dossier.procedure_version_id).update(result_symbol=symbol,
                                                                               result_register=register)
        dossier.refresh_from_db()
        clerk = demo.users[place["clerk"]]
        with_totp(clerk)
        return results.issue_result(dossier=dossier, acting_user=clerk, confirmation=confirmed(clerk))

    year = dt.date.today().year
    licence = number_with(STP, symbol="GP")
    assert licence.issue_number == "01/GP-STP"
    assert number_with(STP, symbol="QĐ").issue_number == "02/QĐ-STP"  # one general register for the agency
    birth = number_with(DUCXUAN, register=BIRTH_BOOK)
    assert birth.issue_number == f"01/{year}"
    with birth.file.open("rb") as handle:
        assert f"01/{year}" in pdf_text(handle.read())
    # A result prepared for such a procedure names its book under the number.
    assert BIRTH_BOOK in pdf_text(results.render_result(birth.dossier))
    assert number_with(DUCXUAN).issue_number == "01/UBND"  # the ward's general register is apart
