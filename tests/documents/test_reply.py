"""The answer to an incoming document: its handler drafts it from the incoming document, and issuing
the answer marks the incoming document handled ("answered by 01/STP-HCTP"), its assignment closed."""

import pytest
from django.core.exceptions import PermissionDenied

from documents import drafting, incoming, routing
from documents.models import AssignmentRole, HandledHow, Status
from documents.routing import Target
from tests.documents.outgoing_helpers import draft
from tests.documents.test_issuance import (  # noqa: F401 (the fixture resets the confirmations)
    _fresh_confirmations,
    confirmed,
    issued,
)

pytestmark = pytest.mark.requires_tools("softhsm2-util", "pdfsig", "certutil")


@pytest.fixture
def in_handling(demo, registers, letter):
    """An incoming letter of the Department of Justice given to its specialist Ma Văn Sơn to handle."""
    document = incoming.register_paper(agency=demo.agencies["STP"], register=registers("STP"),
                                       clerk=demo.users["vanthu.stp"],
                                       metadata={"document_type": letter, "number_symbol": "88/UBND-KSTT",
                                                 "issuer_name": "Ủy ban nhân dân tỉnh Thái Nguyên",
                                                 "abstract": "Về việc báo cáo kết quả rà soát thủ tục hành chính"})
    routing.direct(document=document, leader=demo.users["giamdoc.stp"], note="Đ/c Sơn trả lời",
                   assignments=[Target(AssignmentRole.MAIN, person=demo.users["chuyenvien.stp"])])
    document.refresh_from_db()
    return document


def test_issuing_the_answer_marks_the_incoming_document_handled(registered, outgoing, in_handling):
    answer = draft(outgoing, type_="CV", abstract="V/v báo cáo kết quả rà soát", in_reply_to=in_handling)
    users = outgoing.users
    drafting.submit_for_review(answer, users["chuyenvien.stp"], [users["truongphong.stp"], users["giamdoc.stp"]])
    drafting.review(answer, users["truongphong.stp"], approve=True)
    drafting.review(answer, users["giamdoc.stp"], approve=True)
    answer = _signed(outgoing, answer)
    in_handling.refresh_from_db()
    assert in_handling.status == Status.IN_HANDLING  # signed is not issued: nothing answered yet

    issued(outgoing, answer)
    in_handling.refresh_from_db()
    assert (in_handling.status, in_handling.handled_how, in_handling.answered_by_id) == (
        Status.HANDLED, HandledHow.ANSWERED, answer.pk)
    main = in_handling.assignments.get(role=AssignmentRole.MAIN)
    assert main.done_at is not None and answer.number_symbol in main.done_note
    # Found by its number, typed as people type it.
    from documents.search import search

    answer.refresh_from_db()
    assert answer in search(users["vanthu.stp"], answer.number_symbol.lower().replace("/", " "))


def test_only_its_handler_drafts_the_answer(registered, outgoing, in_handling):
    with pytest.raises(PermissionDenied):  # a colleague who was not given it
        draft(outgoing, by="chuyenvien2.stp", type_="CV", abstract="V/v trả lời", in_reply_to=in_handling)


def _signed(demo, document):
    from documents import issuance
    from tests.test_signing_flow import with_totp

    director = demo.users["giamdoc.stp"]
    with_totp(director)
    document.refresh_from_db()
    issuance.sign(document, director, confirmed(director), revision=document.revision)
    document.refresh_from_db()
    return document
