"""Numbers of outgoing documents (Decree 30/2020/NĐ-CP art. 15, Appendix II): from 01 each year in
the register, per type of document unless the register keeps one series, gap-free under
concurrent issuance; "01/QĐ-STP", an official letter "01/STP-VP" (the drafting unit's abbreviation)."""

from django.db import transaction

from documents import numbering
from documents.models import Register, RegisterCounter
from tests.concurrency import at_once, concurrent_writers, next_number
from tests.documents.outgoing_helpers import draft


def allocate(register, year, series) -> int:
    return next_number(numbering, register, year, series)


def stp_register(demo, *, confidential=False) -> Register:
    return Register.objects.get(agency=demo.agencies["STP"], direction="outgoing", confidential=confidential)


def test_a_decision_carries_its_type_and_the_agency(outgoing):
    assert numbering.number_text(1, draft(outgoing, type_="QĐ")) == "01/QĐ-STP"
    assert numbering.number_text(123, draft(outgoing, type_="KH")) == "123/KH-STP"


def test_an_official_letter_carries_the_drafting_units_abbreviation_if_it_has_one(outgoing):
    letter = draft(outgoing, type_="CV")
    assert numbering.number_text(7, letter) == "07/STP"
    letter.drafting_unit.abbreviation = "HCTP"
    letter.drafting_unit.save()
    assert numbering.number_text(7, letter) == "07/STP-HCTP"


def test_each_type_counts_on_its_own_and_restarts_every_year(outgoing):
    register = stp_register(outgoing)
    assert [allocate(register, 2026, "QĐ") for _ in range(3)] == [1, 2, 3]
    assert allocate(register, 2026, "CV") == 1
    assert allocate(register, 2027, "QĐ") == 1
    assert numbering.peek(register, 2026, "QĐ") == 4


def test_a_register_with_one_series_numbers_every_type_in_it(outgoing):
    register = stp_register(outgoing)
    register.one_series = True
    register.save()
    decision, letter = draft(outgoing, type_="QĐ"), draft(outgoing, type_="CV")
    assert numbering.series_of(register, decision) == numbering.series_of(register, letter) == ""
    register.one_series = False
    assert numbering.series_of(register, decision) == "QĐ"


def test_a_number_is_taken_only_from_the_one_before_it(outgoing):
    register = stp_register(outgoing)
    with transaction.atomic():
        assert numbering.take(register, 2026, "QĐ", 1)
    with transaction.atomic():
        assert not numbering.take(register, 2026, "QĐ", 1)  # already taken
        assert not numbering.take(register, 2026, "QĐ", 3)  # would leave a gap


def test_a_classified_document_is_numbered_in_the_classified_register(outgoing):
    assert numbering.outgoing_register(draft(outgoing, confidentiality="secret")) == stp_register(
        outgoing, confidential=True)
    assert numbering.outgoing_register(draft(outgoing)) == stp_register(outgoing)


@concurrent_writers
def test_clerks_issuing_at_the_same_moment_get_consecutive_numbers_without_a_gap(transactional_db):
    """Eight threads (eight connections) take five numbers each in one series, the first of them
    creating the series' counter: 40 numbers, 01 to 40, each once."""
    from directory.demo import load_demo
    from documents.demo import load_registers

    load_demo()
    load_registers()
    register = Register.objects.get(agency__abbreviation="STP", direction="outgoing", confidential=False,
                                    agency__valid_to__isnull=True)
    taken = at_once(lambda: allocate(register, 2026, "QĐ"), threads=8, times=5)
    assert sorted(taken) == list(range(1, 41))
    assert RegisterCounter.objects.get(register=register, year=2026, series="QĐ").last == 40
