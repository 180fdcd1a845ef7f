"""Guessing spread over the platform's processes is counted once (ADR 0052). Two gunicorn servers in
production mode (two processes, two ports) share one throw-away PostgreSQL database and one Redis
database of their own; every attempt below alternates between them, so a limit counted in each
process's memory would let twice as many through. For each door: the attempts up to the limit,
spread over both servers, then the next one — on either server, and even with the right answer —
is refused.

Each door is tried from an address of its own (X-Forwarded-For, believed as behind the province's
proxy), so that the limits do not meet. Needs the local PostgreSQL and Redis (scripts/services.sh).
"""

import json
import re
import subprocess
import sys
import time
from itertools import cycle

import pytest
import redis
import requests
from django_otp.oath import totp

from accounts import services as accounts
from accounts.password_reset import MAILS_PER_ADDRESS
from api.main import ADDRESS_RATE
from dossiers.selectors import LOOKUP_FAILURE_LIMIT
from feedback.views import SENDS
from lgsp.oauth import FAILED_CLIENT_AUTHENTICATIONS
from procedures.views import SEARCHES
from tests.ports import free_port
from tests.test_production import (  # noqa: F401 (fixtures)
    BASE_DIR,
    EGOV,
    REDIS,
    _env,
    _manage_shell,
    _process,
    _require,
    _wait_until,
    postgres_database,
    smtp_server,
)

REDIS_DB = f"{REDIS}/10"  # this test's own: flushed before and after
AXES_FAILURE_LIMIT = 5  # egov/settings.py's default, which the servers below keep
STOPPED = "Nhập sai quá nhiều lần cho hồ sơ này"

SETUP = """
import json
from directory.demo import DEMO_PASSWORD, load_demo
from lgsp import services as lgsp
from tests.factories import make_procedure, submit_birth

demo = load_demo()
agency = demo.agencies["01840"]
dossier = submit_birth(demo, make_procedure(agencies=[agency]))
client, secret = lgsp.create_client(user=None, agency=agency, name="Hệ thống một cửa huyện", scopes=["dmdc.read"])
print(json.dumps({"password": DEMO_PASSWORD, "dossier": dossier.code, "phone": dossier.applicant_phone,
                  "totp": demo.totp_secrets["chutich.ducxuan"], "client_id": client.application.client_id,
                  "secret": secret}))
"""


class Visitor:
    """One browser (its cookies) at one address, sending each request to the next server in turn."""

    def __init__(self, bases: list[str], address: str):
        self.servers = cycle(bases)
        self.address = address
        self.cookies: dict[str, str] = {}

    def send(self, method: str, path: str, **kwargs) -> requests.Response:
        headers = {"X-Forwarded-For": self.address, "Accept-Language": "vi", **kwargs.pop("headers", {})}
        # Production cookies are Secure; the servers here speak plain http, so the cookies are sent by hand.
        response = requests.request(method, next(self.servers) + path, headers=headers, cookies=self.cookies,
                                    allow_redirects=False, timeout=30, **kwargs)
        self.cookies.update({cookie.name: cookie.value for cookie in response.cookies})
        return response

    def post_form(self, path: str, data: dict[str, str]) -> requests.Response:
        """GET the form (for its CSRF token), POST it: each on the next server."""
        page = self.send("GET", path)
        token = re.search(r'name="csrfmiddlewaretoken" value="([^"]+)"', page.text)
        assert token, f"no CSRF token on {path}: {page.status_code}"
        return self.send("POST", path, data={"csrfmiddlewaretoken": token.group(1), **data},
                         headers={"Referer": page.url})


@pytest.fixture
def servers(postgres_database, smtp_server, tmp_path):  # noqa: F811 (the fixtures imported above)
    """The platform migrated with the demo, a dossier and a client system; two servers on it."""
    _require(6379, "Redis")
    owner_url, _app_url, _grant = postgres_database
    smtp_port, inbox = smtp_server
    cache = redis.Redis.from_url(REDIS_DB)
    cache.flushdb()
    env = _env(tmp_path, DATABASE_URL=owner_url, REDIS_URL=REDIS_DB, ALLOWED_HOSTS="127.0.0.1",
               SECURE_SSL_REDIRECT="0", STATIC_ROOT=str(tmp_path / "static"), EGOV_TRUST_PROXY="1",
               EMAIL_HOST="127.0.0.1", EMAIL_PORT=str(smtp_port), EGOV_PUBLIC_URL="https://egov.example.vn")
    for command in (["migrate", "--noinput", "-v", "0"], ["collectstatic", "--noinput", "-v", "0"]):
        _manage(env, command)
    facts = json.loads(_manage_shell(SETUP, env, timeout=600).strip().splitlines()[-1])
    ports = [free_port(), free_port()]
    logs = [tmp_path / f"gunicorn-{n}.log" for n in (1, 2)]
    argv = [sys.executable, "-m", "gunicorn", "egov.wsgi:application", "--workers", "1", "--threads", "2"]
    try:
        with _process([*argv, "--bind", f"127.0.0.1:{ports[0]}"], env, logs[0]) as first, \
                _process([*argv, "--bind", f"127.0.0.1:{ports[1]}"], env, logs[1]) as second:
            bases = [f"http://127.0.0.1:{port}" for port in ports]
            for proc, log, base in ((first, logs[0], bases[0]), (second, logs[1], bases[1])):
                _wait_until(lambda base=base: requests.get(f"{base}/healthz", timeout=2).status_code == 200,
                            proc, log, "gunicorn", timeout=60)
            yield bases, facts, inbox
    finally:
        cache.flushdb()
        cache.close()


def _manage(env, command):
    done = subprocess.run([EGOV, "manage", *command], cwd=BASE_DIR, env=env, capture_output=True, text=True,
                          timeout=900)  # a fresh database: every migration, on a busy machine
    assert done.returncode == 0, done.stderr[-3000:]


def _sign_in_locked_after_failures(bases, username, password, address):
    visitor = Visitor(bases, address)
    for n in range(AXES_FAILURE_LIMIT):
        visitor.post_form("/accounts/login/", {"username": username, "password": f"sai-{n}"})
    for _server in bases:  # the right password, on each server
        answer = visitor.post_form("/accounts/login/", {"username": username, "password": password})
        assert answer.status_code == 429, (username, answer.status_code)


@pytest.mark.production
def test_every_limit_holds_across_two_servers(servers):
    bases, facts, inbox = servers
    password = facts["password"]

    # Sign-in (django-axes, counted in the database): a citizen, then an official.
    _sign_in_locked_after_failures(bases, "congdan@example.vn", password, "203.0.113.11")
    _sign_in_locked_after_failures(bases, "motcua.sxd", password, "203.0.113.12")

    # The second step: five wrong codes lock it, the right code included.
    leader = Visitor(bases, "203.0.113.13")
    assert leader.post_form("/accounts/login/", {"username": "chutich.ducxuan", "password": password}
                            ).headers["Location"].startswith("/accounts/login/otp/")
    key = bytes.fromhex(facts["totp"])
    right = f"{totp(key, step=30, digits=6):06d}"
    wrong = f"{(int(right) + 500_000) % 1_000_000:06d}"
    for _ in range(accounts.OTP_FAILURE_LIMIT):
        assert leader.post_form("/accounts/login/otp/", {"otp_token": wrong}).status_code == 200
    for _server in bases:
        assert leader.post_form("/accounts/login/otp/", {"otp_token": right}).status_code == 429

    # Password reset: the same page for every request, but three mails an hour to one address.
    visitor = Visitor(bases, "203.0.113.14")
    for _ in range(MAILS_PER_ADDRESS + 2):
        assert visitor.post_form("/accounts/password-reset/", {"email": "congdan@example.vn"}).status_code == 302
    def reset_mails():
        return [m for _to, m in inbox if "/accounts/password-reset/" in m.get_body().get_content()]

    deadline = time.monotonic() + 30  # the mails leave after each response (no broker here)
    while len(reset_mails()) < MAILS_PER_ADDRESS and time.monotonic() < deadline:
        time.sleep(0.2)
    time.sleep(1)  # and no more follow
    assert len(reset_mails()) == MAILS_PER_ADDRESS, [message["Subject"] for _to, message in inbox]

    # The integration platform's token endpoint: ten wrong secrets close it to the address.
    token = Visitor(bases, "203.0.113.15")
    grant = {"grant_type": "client_credentials", "client_id": facts["client_id"]}
    assert token.send("POST", "/lgsp/oauth/token/", data={**grant, "client_secret": facts["secret"]}
                      ).status_code == 200
    for n in range(FAILED_CLIENT_AUTHENTICATIONS.count):
        assert token.send("POST", "/lgsp/oauth/token/", data={**grant, "client_secret": f"sai-{n}"}
                          ).status_code == 401
    for _server in bases:
        refused = token.send("POST", "/lgsp/oauth/token/", data={**grant, "client_secret": facts["secret"]})
        assert refused.status_code == 429 and refused.json()["error"] == "invalid_client"

    # The public lookup, on the page and through the API.
    page = Visitor(bases, "203.0.113.16")
    for n in range(LOOKUP_FAILURE_LIMIT):
        page.post_form("/dossiers/lookup/", {"code": facts["dossier"], "secret": f"09000000{n:02d}"})
    for _server in bases:
        assert STOPPED in page.post_form("/dossiers/lookup/", {"code": facts["dossier"], "secret": facts["phone"]}
                                         ).text
    api = Visitor(bases, "203.0.113.17")
    url = f"/api/v1/lookup/{facts['dossier']}"
    for n in range(LOOKUP_FAILURE_LIMIT):
        assert api.send("GET", url, headers={"X-Lookup-Secret": f"09000000{n:02d}"}).status_code == 200
    for _server in bases:
        assert api.send("GET", url, headers={"X-Lookup-Secret": facts["phone"]}).status_code == 429

    # Public searches: the API's calls per address, and the portal's search page.
    calls = int(ADDRESS_RATE.split("/")[0])
    for visitor, path, allowed in ((Visitor(bases, "203.0.113.18"), "/api/v1/procedures?q=khai+sinh", calls),
                                   (Visitor(bases, "203.0.113.19"), "/procedures/?q=khai+sinh", SEARCHES.count)):
        answers = [visitor.send("GET", path).status_code for _ in range(allowed)]
        assert answers == [200] * allowed, path
        assert [visitor.send("GET", path).status_code for _server in bases] == [429, 429], path

    # The feedback form: ten sendings an hour from one address, the next refused.
    feedback = Visitor(bases, "203.0.113.20")
    for _ in range(SENDS.count):
        assert feedback.post_form("/feedback/send/", {"content": ""}).status_code == 200  # the form's errors
    for _server in bases:
        assert feedback.post_form("/feedback/send/", {"content": ""}).status_code == 429
