"""The soak's people (bench/soak.py): citizens over HTTP, officials through the services, API
clients, the document exchange and a sender of garbage. Each runs in a thread of the soak's
process (Django set up with the cluster's environment) until ``stop`` is set, and writes what it
did to :class:`Ledger`: what the platform acknowledged is what the checks at the end look for.

A step that fails (a killed web worker, a restarted database, a stopped gateway) is counted by
kind and tried again, as a person would; nothing here hides a failure from the checks.
"""

from __future__ import annotations

import itertools
import random
import re
import threading
import time
from collections import Counter
from dataclasses import dataclass, field

import requests

PASSWORD = "Soak-MatKhau-2026!x"  # noqa: S105 - the soak's throw-away accounts
FORM = {"applicant_name": "Nguyễn Thị Hồng", "applicant_phone": "0912345678"}


@dataclass
class Ledger:
    """What was done and acknowledged, and every failure by kind (thread-safe)."""

    requests: Counter = field(default_factory=Counter)
    errors: Counter = field(default_factory=Counter)
    acknowledged: dict = field(default_factory=dict)  # dossier pk → papers uploaded
    paid: dict = field(default_factory=dict)  # txn_ref → amount confirmed by the gateway to the payer
    registered: list = field(default_factory=list)
    officials: Counter = field(default_factory=Counter)
    documents_sent: list = field(default_factory=list)
    lock: threading.Lock = field(default_factory=threading.Lock)

    def count(self, kind: str, error: str | None = None) -> None:
        with self.lock:
            self.requests[kind] += 1
            if error:
                self.errors[f"{kind}: {error}"] += 1

    def error(self, kind: str, error: str) -> None:
        with self.lock:
            self.errors[f"{kind}: {error}"] += 1


def _describe(error: BaseException) -> str:
    if isinstance(error, requests.RequestException):
        return type(error).__name__
    return f"{type(error).__name__}: {' '.join(str(error).split())[:90]}"


class Browser:
    """A person's browser: cookies (the Secure ones too: the cluster runs on plain http) and the
    CSRF token of the platform's forms."""

    def __init__(self, base: str, ledger: Ledger):
        self.base, self.ledger = base, ledger
        self.email = ""
        self.session = requests.Session()

    def request(self, kind: str, method: str, path: str, *, expect=(200, 302), **kwargs) -> requests.Response | None:
        url = path if path.startswith("http") else f"{self.base}{path}"
        headers = kwargs.pop("headers", {})
        if method == "POST" and (token := self.session.cookies.get("csrftoken")):
            headers.setdefault("X-CSRFToken", token)
        try:
            response = self.session.request(method, url, headers=headers, allow_redirects=False, timeout=60, **kwargs)
        except requests.RequestException as error:
            self.ledger.count(kind, _describe(error))
            return None
        for cookie in self.session.cookies:  # Secure cookies, sent back over the loopback's plain http
            cookie.secure = False
        self.ledger.count(kind, None if response.status_code in expect else f"HTTP {response.status_code}")
        return response if response.status_code in expect else None


def retry(step, attempts: int = 8, pause: float = 2.0, stop: threading.Event | None = None):
    """``step()`` until it returns something, ``attempts`` times at most, pausing between tries."""
    for _ in range(attempts):
        result = step()
        if result is not None:
            return result
        if stop is not None and stop.wait(pause):
            return None
        if stop is None:
            time.sleep(pause)
    return None


# --- citizens -------------------------------------------------------------------------------------
_numbers = itertools.count(1)


class Citizen(threading.Thread):
    """Registers (the e-mail's link followed), signs in, submits dossiers with two papers, pays
    half of them at the gateway, looks them up; a new account every few dossiers."""

    def __init__(self, *, servers: list[str], gateways: str, world: dict, ledger: Ledger, stop: threading.Event,
                 inbox: list, seed: int):
        super().__init__(daemon=True, name=f"citizen-{seed}")
        self.servers, self.gateways, self.world, self.ledger, self.stop = servers, gateways, world, ledger, stop
        self.inbox, self.random = inbox, random.Random(seed)  # noqa: S311 - a load, not a secret
        self.unpaid: list[int] = []

    def browser(self) -> Browser:
        return Browser(self.random.choice(self.servers), self.ledger)

    def run(self) -> None:
        from django.db import close_old_connections, connections

        while not self.stop.is_set():
            try:
                self.session()
            except Exception as error:  # a read of the records failed (the database restarting): go on
                self.ledger.error("citizen", _describe(error))
                connections.close_all()
                self.stop.wait(2)
            finally:
                close_old_connections()

    def session(self) -> None:
        """One sitting: an account (a new one if registering works), then five dossiers."""
        browser = self.sign_up() or self.sign_in(self.browser(), "congdan@example.vn", self.world["demo_password"])
        if browser is None:
            self.stop.wait(2)
            return
        self.unpaid = []  # another account: the dossiers of the last one are not this one's to pay
        for _ in range(5):
            if self.stop.is_set():
                return
            browser.base = self.random.choice(self.servers)  # the load balancer's choice, per request
            pk = self.submit(browser)
            if pk is not None and self.random.random() < 0.5:
                self.unpaid.append(pk)
            for waiting in list(self.unpaid):
                if self.pay(browser, waiting):
                    self.unpaid.remove(waiting)
            if pk is not None:
                self.look_up(browser, pk)

    # accounts
    def sign_up(self) -> Browser | None:
        email = f"soak{next(_numbers)}.{self.random.randrange(10**6)}@example.vn"
        browser = self.browser()
        if browser.request("register", "GET", "/accounts/register/") is None:
            return None
        form = {"kind": "citizen", "full_name": "Trần Thị Soak", "email": email, "password1": PASSWORD,
                "password2": PASSWORD}
        if browser.request("register", "POST", "/accounts/register/", data=form, expect=(200,)) is None:
            return None

        def link():
            for recipients, message in list(self.inbox):
                if email in recipients:
                    found = re.search(r"/accounts/verify/[^/\s]+/[^/\s]+/", message.get_body().get_content())
                    if found:
                        return found.group(0)
            return None

        path = retry(link, attempts=90, pause=2, stop=self.stop)  # sent by a worker
        if path is None:
            self.ledger.error("register", "no verification e-mail")
            return None
        if retry(lambda: browser.request("verify e-mail", "GET", path, expect=(200,)), stop=self.stop) is None:
            return None
        with self.ledger.lock:
            self.ledger.registered.append(email)
        return self.sign_in(browser, email, PASSWORD)

    def sign_in(self, browser: Browser, username: str, password: str) -> Browser | None:
        def attempt():
            if browser.request("sign in", "GET", "/accounts/login/") is None:
                return None
            answer = browser.request("sign in", "POST", "/accounts/login/",
                                     data={"username": username, "password": password}, expect=(302,))
            browser.email = username  # given as the contact address of the dossiers
            return browser if answer is not None else None

        return retry(attempt, attempts=5, stop=self.stop)

    # dossiers
    def submit(self, browser: Browser) -> int | None:
        world = self.world
        answer = retry(lambda: browser.request("submit: start", "POST", f"/dossiers/apply/{world['procedure']}/",
                                               data={"agency": world["agency"]}, expect=(302,)), stop=self.stop)
        if answer is None or "/edit/" not in answer.headers["Location"]:
            return None
        pk = int(re.search(r"/my/(\d+)/", answer.headers["Location"]).group(1))
        papers = {f"paper-{paper}": (name, content, kind) for paper, (name, content, kind)
                  in zip(world["papers"], world["files"], strict=True)}

        def fill():
            answer = browser.request("submit: papers", "POST", f"/dossiers/my/{pk}/edit/",
                                     data={**world["values"], **FORM, "applicant_email": browser.email, "review": "1"},
                                     files=papers, expect=(302,))
            return answer if answer is not None and "/review/" in answer.headers["Location"] else None

        if retry(fill, stop=self.stop) is None:
            return None

        def send():
            answer = browser.request("submit", "POST", f"/dossiers/my/{pk}/submit/", expect=(302,))
            if answer is None:
                return None
            return answer if "/receipt/" in answer.headers["Location"] else False

        sent = retry(send, stop=self.stop)
        if not sent:
            return None
        with self.ledger.lock:
            self.ledger.acknowledged[pk] = len(papers)
        return pk

    def pay(self, browser: Browser, pk: int) -> bool:
        """At the gateway, as a payer: the merchant's redirect, the bank chosen, paid; True once the
        gateway said paid (or the platform says there is nothing left to pay)."""
        answer = browser.request("pay: start", "POST", f"/payments/dossier/{pk}/pay/", expect=(302,))
        if answer is None:
            return False
        location = answer.headers["Location"]
        if not location.startswith(self.gateways):
            return "/dossiers/my/" in location and self._paid_already(pk)
        gateway = Browser(self.gateways, self.ledger)
        page = gateway.request("pay: gateway", "GET", location, expect=(200,))
        action = re.search(r'action="(/paysim/pay/[0-9a-f-]+/)"', page.text) if page is not None else None
        if action is None:
            return False
        paid = gateway.request("pay: gateway", "POST", action.group(1), data={"action": "pay", "bank": "NCB"},
                               expect=(302,))
        if paid is None:
            return False
        back = paid.headers["Location"]
        found = dict(re.findall(r"[?&](v_TxnRef|v_ResponseCode|v_Amount)=([^&]+)", back))
        if found.get("v_ResponseCode") == "00":
            with self.ledger.lock:
                self.ledger.paid[found["v_TxnRef"]] = int(found["v_Amount"])
        browser.request("pay: return", "GET", back[back.index("/payments/"):], expect=(200, 302))
        return True

    def _paid_already(self, pk: int) -> bool:
        from payments.models import Payment

        return Payment.objects.filter(dossier_id=pk, status="paid").exists()

    def look_up(self, browser: Browser, pk: int) -> None:
        from dossiers.models import Dossier

        code = Dossier.objects.filter(pk=pk).values_list("code", flat=True).first()
        if code:
            answer = browser.request("lookup", "GET", f"/dossiers/lookup/?code={code}", expect=(200,))
            if answer is not None and code not in answer.text:
                self.ledger.error("lookup", "code not shown")


# --- officials (the services, as their pages call them) ---------------------------------------------
class Officials(threading.Thread):
    """The desk accepts, the specialist prepares the result and forwards, the leader approves and
    signs the approved results in batches, the clerk issues, the desk returns the result."""

    def __init__(self, *, world: dict, ledger: Ledger, stop: threading.Event):
        super().__init__(daemon=True, name="officials")
        self.world, self.ledger, self.stop = world, ledger, stop
        self.confirmations: dict[str, tuple[float, object]] = {}

    def confirmation(self, user):
        from bench.soak_world import confirmation

        kept = self.confirmations.get(user.username)
        if kept is None or time.monotonic() - kept[0] > 200:  # valid five minutes
            kept = (time.monotonic(), confirmation(user))
            self.confirmations[user.username] = kept
        return kept[1]

    def run(self) -> None:
        from django.db import close_old_connections, connections

        while not self.stop.wait(1):
            try:
                self.round()
            except Exception as error:  # a restarted database or broker: the next round goes on
                self.ledger.error("officials", _describe(error))
                self.confirmations.clear()
                connections.close_all()
                self.stop.wait(3)
            finally:
                close_old_connections()

    def round(self) -> None:
        from django.db import transaction

        from dossiers import batch_signing, results, workflow
        from dossiers.models import Dossier
        from dossiers.result_state import result_stage
        from dossiers.states import Status

        users = self.world["users"]
        desk, specialist, leader, clerk = (users[name] for name in ("desk", "specialist", "leader", "clerk"))
        mine = Dossier.objects.filter(procedure_version__procedure__code=self.world["procedure"]).order_by("pk")
        # The last steps first, as an office clears its desk: the pipeline reaches the end under any load.
        ready = list(mine.filter(status=Status.RESULT_READY)[:20])
        for dossier in ready:
            stage = result_stage(dossier)
            if stage == "issued":
                workflow.return_result(dossier=dossier, acting_user=desk)
                self.ledger.officials["returned"] += 1
            elif stage == "signed":
                results.issue_result(dossier=dossier, acting_user=clerk, confirmation=self.confirmation(clerk))
                self.ledger.officials["issued"] += 1
        unsigned = [d for d in ready if result_stage(d) == "draft" and not self._in_batch(d)]
        if unsigned:
            files = [results.result_for(d) for d in unsigned]
            with transaction.atomic():
                batch_signing.batch_sign(result_files=files, signer=leader, confirmation=self.confirmation(leader))
            self.ledger.officials["signing batches"] += 1
        in_progress = list(mine.filter(status=Status.IN_PROGRESS, current_step__isnull=False)
                           .select_related("current_step__step").order_by("-current_step__order", "pk")[:6])
        for dossier in in_progress:
            if dossier.current_step.step.order == 1:
                results.prepare_result(dossier=dossier, acting_user=specialist)
                workflow.forward(dossier=Dossier.objects.get(pk=dossier.pk), acting_user=specialist)
                self.ledger.officials["forwarded"] += 1
            else:
                workflow.approve(dossier=dossier, acting_user=leader)
                self.ledger.officials["approved"] += 1
        for dossier in mine.filter(status=Status.SUBMITTED)[:6]:
            workflow.accept(dossier=dossier, acting_user=desk)
            self.ledger.officials["accepted"] += 1

    def _in_batch(self, dossier) -> bool:
        from dossiers.results import result_for
        from signing.models import BatchSigning

        result = result_for(dossier)
        return BatchSigning.objects.filter(file_ids__contains=[result.pk], status__in=("pending", "running")).exists()


# --- the document exchange ----------------------------------------------------------------------------
class Exchange(threading.Thread):
    """Sở Tư pháp issues a document (signed, sealed, numbered) and sends it to the ward of Đức Xuân
    through the axis; the ward's side of the same installation receives it."""

    def __init__(self, *, ledger: Ledger, stop: threading.Event, every: float):
        super().__init__(daemon=True, name="exchange")
        self.ledger, self.stop, self.every = ledger, stop, every

    def run(self) -> None:
        from django.db import close_old_connections, connections

        from tests.exchange import scenarios

        while not self.stop.wait(self.every):
            try:
                (document,) = scenarios.issue(count=1, abstract="về kiểm tra độ bền hệ thống")
                scenarios.send([document])
                with self.ledger.lock:
                    self.ledger.documents_sent.append(document)
            except Exception as error:
                self.ledger.error("exchange", _describe(error))
                connections.close_all()
            finally:
                close_old_connections()


# --- API clients ---------------------------------------------------------------------------------------
class ApiClient(threading.Thread):
    """A citizen's application on /api/v1 with its token, and a province system on the LGSP."""

    def __init__(self, *, servers: list[str], world: dict, ledger: Ledger, stop: threading.Event):
        super().__init__(daemon=True, name="api")
        self.servers, self.world, self.ledger, self.stop = servers, world, ledger, stop
        self.random = random.Random(7)  # noqa: S311

    def run(self) -> None:
        lgsp_token = None
        citizen = {"Authorization": f"Bearer {self.world['api_token']}"}
        while not self.stop.wait(0.5):
            browser = Browser(self.random.choice(self.servers), self.ledger)
            browser.request("api: procedures", "GET", "/api/v1/procedures?q=khai%20sinh", expect=(200,))
            browser.request("api: my dossiers", "GET", "/api/v1/dossiers", headers=citizen, expect=(200,))
            if lgsp_token is None:
                answer = browser.request("lgsp: token", "POST", "/lgsp/oauth/token/",
                                         data={"grant_type": "client_credentials"},
                                         auth=(self.world["lgsp_id"], self.world["lgsp_secret"]), expect=(200,))
                lgsp_token = answer.json()["access_token"] if answer is not None else None
            if lgsp_token is not None:
                answer = browser.request("lgsp: category", "GET", "/dmdc/Category/DanToc",
                                         headers={"Authorization": f"Bearer {lgsp_token}"}, expect=(200, 401))
                if answer is not None and answer.status_code == 401:
                    lgsp_token = None


# --- garbage ---------------------------------------------------------------------------------------------
def garbage_requests(rng: random.Random) -> list[tuple[str, str, dict]]:
    junk = bytes(rng.randrange(256) for _ in range(rng.randrange(1, 4096)))
    return [
        ("POST", "/dossiers/lookup/", {"data": junk, "headers": {"Content-Type": "application/x-www-form-urlencoded"}}),
        ("POST", "/accounts/login/", {"data": junk, "headers": {"Content-Type": "multipart/form-data; boundary=xx"}}),
        ("POST", "/api/v1/dossiers", {"data": b'{"procedure": [1, {"', "headers": {
            "Content-Type": "application/json", "Authorization": "Bearer egov_" + "A" * 43}}),
        ("GET", "/dossiers/lookup/?code=" + "%00%ff" * 200, {}),
        ("GET", "/payments/ipn?v_TxnRef=%27%3B--&v_Amount=-1&v_SecureHash=zz", {}),
        ("GET", "/api/v1/lookup/" + "Ư" * 300, {}),
        ("GET", "/" + "../" * 50 + "etc/passwd", {}),
        ("GET", "/dmdc/Category/DanToc", {"headers": {"Authorization": "Bearer " + "x" * 5000}}),
        ("PUT", "/dossiers/my/1/submit/", {"data": junk}),
        ("GET", "/healthz", {"headers": {"Host": "attacker.example"}}),
        ("POST", "/lgsp/oauth/token/", {"data": junk}),
        ("GET", "/verify/" + "A" * 2000, {}),
    ]


class Garbage(threading.Thread):
    """Requests full of garbage, all the time: none may be answered with a server error."""

    def __init__(self, *, servers: list[str], ledger: Ledger, stop: threading.Event):
        super().__init__(daemon=True, name="garbage")
        self.servers, self.ledger, self.stop = servers, ledger, stop
        self.random = random.Random(13)  # noqa: S311
        self.server_errors: list[tuple[float, str, int]] = []

    def run(self) -> None:
        while not self.stop.wait(0.3):
            method, path, extra = self.random.choice(garbage_requests(self.random))
            try:
                response = requests.request(method, f"{self.random.choice(self.servers)}{path}", timeout=30,
                                            allow_redirects=False, **extra)
            except requests.RequestException as error:
                self.ledger.count("garbage", _describe(error))
                continue
            self.ledger.count("garbage", f"HTTP {response.status_code}" if response.status_code >= 500 else None)
            if response.status_code >= 500:
                self.server_errors.append((time.monotonic(), f"{method} {path[:60]}", response.status_code))
