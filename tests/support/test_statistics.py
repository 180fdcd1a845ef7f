"""Statistics by topic and procedure show which procedures confuse people; an agency counts only
its own requests; the Excel file holds the same figures."""

import io

from openpyxl import load_workbook

from support import services
from support.models import Channel, Topic


def _ask(operator, procedure, topic=Topic.PROCEDURE):
    return services.ask(user=None, channel=Channel.HOTLINE, name="Người gọi", phone="0912345678", topic=topic,
                        question="?", context=services.Context(procedure=procedure),
                        recorded_by=operator)


def test_the_procedures_asked_about_most_come_first(help_centre, demo, sign_in):
    operator = demo.users["motcua.ttpvhcc"]
    for _ in range(3):
        _ask(operator, "2.000635")
    _ask(operator, "1.001193")
    _ask(operator, "", Topic.TECHNICAL)
    client = sign_in("quantri.tinh")
    body = client.get("/workspace/support/statistics/").content.decode()
    assert body.index("2.000635") < body.index("1.001193")
    book = load_workbook(io.BytesIO(client.get("/workspace/support/statistics.xlsx").content))
    by_procedure = [row for row in book.worksheets[1].iter_rows(min_row=2, values_only=True)]
    assert [(row[0].split()[0], row[1]) for row in by_procedure] == [("2.000635", 3), ("1.001193", 1)]
    by_topic = {row[0]: row[1] for row in book.worksheets[0].iter_rows(min_row=2, values_only=True)}
    assert by_topic == {"Thủ tục và giấy tờ": 4, "Lỗi kỹ thuật của trang web": 1}


def test_an_agency_counts_only_its_own_requests(help_centre, demo, sign_in):
    operator = demo.users["quantri.tinh"]
    request = _ask(operator, "2.000635")
    request.agency = demo.agencies["STP"]
    request.save()
    _ask(operator, "1.001193")
    body = sign_in("giamdoc.stp").get("/workspace/support/statistics/").content.decode()
    assert "2.000635" in body and "1.001193" not in body


def test_only_hotline_operators_record_phone_requests(help_centre, demo):
    import pytest
    from django.core.exceptions import PermissionDenied

    with pytest.raises(PermissionDenied):
        _ask(demo.users["motcua.stp"], "2.000635")
