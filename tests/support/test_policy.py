"""The support door, across roles: each page offers an action exactly when ``support.policy``
allows it, and the action then succeeds; refused otherwise (offered ⇔ allowed)."""

import pytest

from support import policy, services
from support.models import Channel, RequestStatus, SupportRequest, Topic

USERS = ["congdan@example.vn", "doanhnghiep@example.vn", "motcua.ducxuan", "chutich.ducxuan", "tuphap.ducxuan",
         "motcua.stp", "giamdoc.stp", "quantri.stp", "quantri.tinh", "kiemtra.tinh", "motcua.ttpvhcc"]
ANSWER = {"agency": {"motcua.ducxuan", "chutich.ducxuan"}, "it": {"quantri.tinh"}}
ESCALATE = {"agency": {"motcua.ducxuan"}, "it": {"quantri.tinh"}}
READ = {"agency": {"motcua.ducxuan", "chutich.ducxuan", "quantri.tinh"}, "it": {"quantri.tinh"}}
PAGES = {"hotline": {"motcua.ttpvhcc", "quantri.tinh"}, "statistics": {"chutich.ducxuan", "giamdoc.stp", "quantri.tinh"},
         "campaigns": {"quantri.tinh"}}


def _request(demo, desk: str) -> SupportRequest:
    topic = Topic.TECHNICAL if desk == "it" else Topic.PROCEDURE
    request = services.ask(user=None, channel=Channel.PORTAL, name="Lý Văn Cường", email="cuong@example.vn",
                           topic=topic, question="Tôi không tải được tờ khai.")
    if desk == "agency":
        request.agency = demo.agencies["01840"]
        request.save()
    return request


@pytest.mark.parametrize("username", USERS)
def test_offered_if_and_only_if_allowed(username, demo, sign_in):
    client = sign_in(username)
    user = demo.users[username]
    for desk in ("agency", "it"):
        request = _request(demo, desk)
        page = client.get(f"/workspace/support/requests/{request.pk}/")
        readable = page.status_code == 200
        assert readable == (username in READ[desk]) == policy.allowed(user, policy.Do.VIEW, request)
        body = page.content.decode() if readable else ""
        offered_escalate = f"/workspace/support/requests/{request.pk}/escalate/" in body
        assert offered_escalate == (username in ESCALATE[desk]) == policy.allowed(user, policy.Do.ESCALATE, request)
        response = client.post(f"/workspace/support/requests/{request.pk}/escalate/")
        request.refresh_from_db()
        assert (request.escalated_at is not None) == offered_escalate, response.status_code

        offered_answer = 'name="answer"' in body
        assert offered_answer == (username in ANSWER[desk]) == policy.allowed(user, policy.Do.ANSWER, request)
        client.post(f"/workspace/support/requests/{request.pk}/", {"answer": "Tải lại trang và thử lại."})
        request.refresh_from_db()
        assert (request.status == RequestStatus.ANSWERED) == offered_answer
    for name, allowed_users in PAGES.items():
        status = client.get(f"/workspace/support/{name}/").status_code
        assert (status == 200) == (username in allowed_users) == policy.may(user, policy.Office(name)), name
    queue = client.get("/workspace/support/").status_code
    assert (queue == 200) == policy.may(user, policy.Office.QUEUE)
