"""The parts of the layout rendered once per process and language (egov/templatetags/egov_layout.py): the
portal's header, links and language menu. Whatever order visitors come in, each sees the header of who
they are and the words of their language; a fragment that would carry a visitor's form token is refused."""

import pytest
from django.template import Context, Template, TemplateSyntaxError
from django.test import Client
from django.utils import translation

SIGNED_IN = ("Đăng xuất", "Tài khoản của tôi", "/accounts/logout/")
ANONYMOUS = ('href="/accounts/register/"', 'href="/accounts/login/"')


def _header(page: str) -> str:
    return page.split("<header", 1)[1].split("</header>", 1)[0]


@pytest.mark.parametrize("first", ["anonymous", "signed in"])
def test_a_visitor_never_gets_the_header_of_another(first, sign_in):
    citizen, stranger = sign_in("congdan@example.vn"), Client()
    order = [citizen, stranger] if first == "signed in" else [stranger, citizen]
    pages = {client: client.get("/dossiers/lookup/").content.decode() for client in order * 2}
    mine, theirs = _header(pages[citizen]), _header(pages[stranger])
    assert all(part in mine for part in SIGNED_IN) and not any(part in mine for part in ANONYMOUS)
    assert all(part in theirs for part in ANONYMOUS) and not any(part in theirs for part in SIGNED_IN)
    assert "csrfmiddlewaretoken" not in theirs


def test_each_language_gets_its_own_words(db):
    english, vietnamese = Client(), Client()
    english.cookies["egov_language"] = "en"
    for _ in range(2):
        en = english.get("/dossiers/lookup/").content.decode()
        vi = vietnamese.get("/dossiers/lookup/").content.decode()
        assert "Skip to main content" in en and ">Procedures</a>" in _header(en) and "Feedback and answers" in en
        assert 'value="en" selected' in en and 'value="vi" selected' not in en
        assert "Skip to main content" not in vi and ">Procedures</a>" not in _header(vi)
        assert 'value="vi" selected' in vi and 'value="en" selected' not in vi


def test_the_language_menu_returns_to_the_page_it_was_chosen_on(db):
    client = Client()
    for path in ("/", "/dossiers/lookup/?code=ABC"):
        page = client.get(path).content.decode()
        assert f'<input name="next" type="hidden" value="{path}">' in page


def test_the_national_identity_button_follows_the_setting(db, settings):
    settings.OIDC_ENABLED = False
    assert "oidc" not in _header(Client().get("/").content.decode())
    settings.OIDC_ENABLED = True
    assert 'href="/oidc/authenticate/"' in _header(Client().get("/").content.decode())


def test_a_shared_fragment_may_not_hold_a_form_token(rf):
    from django.middleware.csrf import get_token

    request = rf.get("/")
    get_token(request)
    template = Template('{% load egov_layout %}{% shared_fragment "test-form" %}{% csrf_token %}'
                        '{% endshared_fragment %}')
    with pytest.raises(TemplateSyntaxError, match="form token"):
        template.render(Context({"csrf_token": get_token(request)}))


def test_a_shared_fragment_varies_on_its_values_and_the_language():
    template = Template('{% load i18n egov_layout %}{% shared_fragment "test-vary" who %}'
                        '{% translate "Sign in" %} {{ who }}{% endshared_fragment %}')
    with translation.override("en"):
        assert template.render(Context({"who": "A"})) == "Sign in A"
        assert template.render(Context({"who": "B"})) == "Sign in B"
    with translation.override("vi"):
        assert template.render(Context({"who": "A"})) == "Đăng nhập A"
