"""workspace.saved_filters: an official saves the queue's tab and filters under a name and comes
back to them with one click; names are unique per page; nobody sees or deletes another's."""

from tests.dossier_scenarios import DESK, SCENARIOS, SPECIALIST
from workspace.models import SavedFilter

QUEUE = "/workspace/dossiers/"
SAVE = "/workspace/filters/"


def _save(client, name, query="tab=overdue&q=Hồng&page=3"):
    return client.post(SAVE, {"page": "office:queue", "name": name, "query": query}, follow=True)


def test_a_saved_filter_comes_back_with_one_click(demo, procedure, sign_in):
    dossier = SCENARIOS["examining"](demo, procedure)
    desk = sign_in(DESK)
    response = _save(desk, "Quá hạn của chị Hồng")
    saved = SavedFilter.objects.get(user=demo.users[DESK])
    assert (saved.page, saved.name, saved.query) == ("office:queue", "Quá hạn của chị Hồng",
                                                     "tab=overdue&q=H%E1%BB%93ng")  # not the page number
    assert response.redirect_chain[-1][0] == f"{QUEUE}?tab=overdue&q=H%E1%BB%93ng"
    page = response.content.decode()
    assert "Đã lưu bộ lọc “Quá hạn của chị Hồng”" in page
    assert f'<a href="{QUEUE}?tab=overdue&amp;q=H%E1%BB%93ng" aria-current="true"' in page
    listing = desk.get(QUEUE + "?tab=all").content.decode()
    assert "Quá hạn của chị Hồng" in listing and dossier.code in listing
    assert "aria-current=\"true\"" not in listing  # the saved filter is not the one shown


def test_a_name_is_used_once_per_page_with_a_clear_error(demo, procedure, sign_in):
    desk = sign_in(DESK)
    _save(desk, "Hôm nay")
    again = _save(desk, "  hôm   nay ", query="tab=all").content.decode()
    assert "Anh/chị đã có bộ lọc tên “hôm nay” trên trang này" in again
    assert SavedFilter.objects.filter(user=demo.users[DESK]).count() == 1
    assert "Hãy đặt tên cho bộ lọc" in _save(desk, "   ").content.decode()
    _save(sign_in(SPECIALIST), "Hôm nay")  # another official may use the same name
    assert SavedFilter.objects.filter(name="Hôm nay").count() == 2


def test_another_officials_filter_is_neither_shown_nor_deletable(demo, procedure, sign_in):
    desk, specialist = sign_in(DESK), sign_in(SPECIALIST)
    _save(desk, "Của tôi")
    saved = SavedFilter.objects.get(user=demo.users[DESK])
    assert "Của tôi" not in specialist.get(QUEUE).content.decode()
    assert specialist.post(f"/workspace/filters/{saved.pk}/delete/").status_code == 404
    assert SavedFilter.objects.filter(pk=saved.pk).exists()
    assert desk.get(f"/workspace/filters/{saved.pk}/delete/").status_code == 405  # only by POST (with CSRF)
    assert desk.post(f"/workspace/filters/{saved.pk}/delete/").status_code == 302
    assert not SavedFilter.objects.filter(pk=saved.pk).exists()


def test_only_known_list_pages_keep_filters(demo, sign_in):
    desk = sign_in(DESK)
    desk.post(SAVE, {"page": "admin:index", "name": "Lạ", "query": "a=b"})
    assert not SavedFilter.objects.exists()


def test_saving_needs_the_csrf_token(demo, sign_in):
    from django.test import Client

    desk = Client(enforce_csrf_checks=True)
    desk.cookies = sign_in(DESK).cookies  # signed in, but posting without the form's token
    assert desk.post(SAVE, {"page": "office:queue", "name": "X", "query": ""}).status_code == 403
    assert not SavedFilter.objects.exists()
