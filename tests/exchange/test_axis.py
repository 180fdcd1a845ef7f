"""The exchange axis (decision 0033): the local simulator run as its own process on loopback, spoken to
by the adapter the platform uses (``exchange.axis.HttpAxis``). Every request is signed; a package goes
to the systems serving its recipients and to no one else, once, until they acknowledge it; nothing
handed over is lost when the axis is killed and started again."""

from __future__ import annotations

import json
import subprocess
import sys
import time
from dataclasses import dataclass, field
from pathlib import Path

import pytest
import requests

from exchange import axis
from exchange.axis import AxisRejected, AxisUnavailable, HttpAxis
from tests.ports import free_port

ROOT = Path(__file__).resolve().parents[2]
QCVN = "http://www.mic.gov.vn/TBT/QCVN_102_2016"
EDOC = "http://www.go.vn/eDoc"
PROVINCE, MINISTRY, ARCHIVE = "000.00.00.H55", "000.00.00.G14", "000.00.04.G14"
SYSTEMS = [
    {"id": "province", "secret": "province-secret-1", "organs": ["*.H55"]},
    {"id": "ministry", "secret": "ministry-secret-2", "organs": [MINISTRY, ARCHIVE]},
    {"id": "mirror", "secret": "mirror-secret-3", "organs": [MINISTRY]},  # a second system serving one code
]
MAX_BYTES = 8192
CITIZEN = "Nguyễn Thị Hồng Nhung"  # personal data inside a package: never in the axis's log


def package(*to: str, ns: str = QCVN, subject: str = CITIZEN, padding: int = 0) -> bytes:
    """The least of an edXML package the axis reads: the recipients (To/OrganId), beside a sender
    (From/OrganId, which is not a recipient) and content it must not care about."""
    recipients = "".join(f"<To><OrganId>{code}</OrganId><OrganName>Bộ</OrganName></To>" for code in to)
    return (f'<?xml version="1.0" encoding="UTF-8"?><edXML xmlns="{ns}"><edXMLEnvelope><edXMLHeader>'
            f"<MessageHeader><From><OrganId>{PROVINCE}</OrganId></From>{recipients}"
            f"<Subject>{subject}</Subject><Content>{'x' * padding}</Content></MessageHeader>"
            f"</edXMLHeader></edXMLEnvelope><edXMLManifest/></edXML>").encode()


@dataclass
class Simulator:
    folder: Path
    port: int = field(default_factory=free_port)
    process: subprocess.Popen | None = None

    @property
    def url(self) -> str:
        return f"http://127.0.0.1:{self.port}"

    @property
    def log(self) -> Path:
        return self.folder / "axis.log"

    def start(self) -> None:
        config = self.folder / "config.json"
        config.write_text(json.dumps({"systems": SYSTEMS, "max_bytes": MAX_BYTES}))
        with self.log.open("ab") as output:
            self.process = subprocess.Popen(
                [sys.executable, "-m", "simulators.axis", "--port", str(self.port), "--db",
                 str(self.folder / "axis.sqlite3"), "--config", str(config)],
                cwd=ROOT, stdout=output, stderr=subprocess.STDOUT)
        deadline = time.monotonic() + 30
        while True:
            try:
                if requests.get(f"{self.url}/health", timeout=1).status_code == 200:
                    return
            except requests.ConnectionError:
                pass
            if self.process.poll() is not None or time.monotonic() > deadline:
                pytest.fail(f"the axis simulator did not start: {self.log.read_text()[-2000:]}")
            time.sleep(0.1)

    def kill(self) -> None:
        """SIGKILL: no chance to flush or close anything."""
        if self.process is not None and self.process.poll() is None:
            self.process.kill()
            self.process.wait()

    def system(self, system_id: str, secret: str | None = None) -> HttpAxis:
        known = next(s for s in SYSTEMS if s["id"] == system_id)
        return HttpAxis(self.url, system_id, secret or known["secret"], timeout=10)


@pytest.fixture
def simulator(tmp_path):
    running = Simulator(tmp_path)
    running.start()
    yield running
    running.kill()


def signed_request(simulator: Simulator, method: str, path: str, body: bytes = b"", *, system: str = "province",
                   timestamp: int | None = None, **headers: str) -> requests.Response:
    """A request signed as the protocol says, built by hand (to send what the adapter never would)."""
    secret = next(s for s in SYSTEMS if s["id"] == system)["secret"].encode()
    stamp = str(int(time.time()) if timestamp is None else timestamp)
    return requests.request(method, simulator.url + path, data=body, timeout=10, headers={
        "X-System-Id": system, "X-Timestamp": stamp,
        "X-Signature": axis.signature(secret, method, path, stamp, body), **headers})


# --- delivery -------------------------------------------------------------------------------------

def test_a_package_waits_for_its_recipient_system_only_until_acknowledged(simulator):
    province, ministry = simulator.system("province"), simulator.system("ministry")
    data = package(ARCHIVE)
    axis_id = province.send("pkg-1", data)

    waiting = ministry.pending()
    assert [(p.axis_id, p.package_id, p.size, p.from_system) for p in waiting] == [
        (axis_id, "pkg-1", len(data), "province")]
    assert province.pending() == [] and simulator.system("mirror").pending() == []  # From is not a recipient
    assert ministry.fetch(axis_id) == data
    ministry.ack(axis_id)
    assert ministry.pending() == []
    ministry.ack(axis_id)  # again: still fine, still gone
    assert ministry.pending() == []
    assert ministry.fetch(axis_id) == data  # acknowledged packages can still be read by their recipient


def test_pending_packages_come_oldest_first(simulator):
    province, ministry = simulator.system("province"), simulator.system("ministry")
    sent = [province.send(f"pkg-{n}", package(ARCHIVE)) for n in range(3)]
    assert [p.axis_id for p in ministry.pending()] == sent
    assert [p.axis_id for p in ministry.pending(limit=2)] == sent[:2]


def test_a_code_served_by_two_systems_reaches_each_of_them_once(simulator):
    province = simulator.system("province")
    ministry, mirror = simulator.system("ministry"), simulator.system("mirror")
    axis_id = province.send("pkg-fan-out", package(MINISTRY))
    assert [p.axis_id for p in ministry.pending()] == [axis_id]
    assert [p.axis_id for p in mirror.pending()] == [axis_id]
    ministry.ack(axis_id)
    assert ministry.pending() == [] and [p.axis_id for p in mirror.pending()] == [axis_id]


def test_a_package_to_several_codes_of_one_system_is_delivered_to_it_once(simulator):
    axis_id = simulator.system("province").send("pkg-two-codes", package(MINISTRY, ARCHIVE))
    assert [p.axis_id for p in simulator.system("ministry").pending()] == [axis_id]


def test_a_system_may_send_to_an_agency_it_serves_itself(simulator):
    """Everything sent to another agency goes through the axis, even to one of the same installation."""
    province = simulator.system("province")
    axis_id = province.send("pkg-local", package("000.00.12.H55"))
    assert [p.axis_id for p in province.pending()] == [axis_id]


def test_recipients_are_read_whatever_the_namespace_or_prefix(simulator):
    province, ministry = simulator.system("province"), simulator.system("ministry")
    edoc = package(ARCHIVE, ns=EDOC).replace(b"<edXML ", b"<root ").replace(b"</edXML>", b"</root>")
    prefixed = (f'<q:edXML xmlns:q="{QCVN}"><q:edXMLEnvelope><q:To><q:OrganId> {ARCHIVE} </q:OrganId></q:To>'
                f"</q:edXMLEnvelope></q:edXML>").encode()
    bare = f"<edXMLEnvelope><To><OrganId>{ARCHIVE}</OrganId></To></edXMLEnvelope>".encode()
    sent = [province.send(name, data) for name, data in (("edoc", edoc), ("prefixed", prefixed), ("bare", bare))]
    assert [p.axis_id for p in ministry.pending()] == sent


def test_the_same_package_id_twice_gives_the_same_id_and_one_delivery(simulator):
    province, ministry = simulator.system("province"), simulator.system("ministry")
    first = province.send("pkg-again", package(ARCHIVE))
    again = signed_request(simulator, "POST", "/api/v1/packages", package(ARCHIVE), **{"X-Package-Id": "pkg-again"})
    assert again.status_code == 200 and again.json() == {"id": first, "recipients": [ARCHIVE]}
    assert province.send("pkg-again", package(ARCHIVE)) == first
    assert [p.axis_id for p in ministry.pending()] == [first]
    # The id is the sender's: another system may use the same one for its own package.
    assert simulator.system("ministry").send("pkg-again", package(PROVINCE)) != first


def test_a_package_can_be_read_only_by_a_system_it_is_addressed_to(simulator):
    axis_id = simulator.system("province").send("pkg-private", package(ARCHIVE))
    for other in ("province", "mirror"):
        with pytest.raises(AxisRejected):
            simulator.system(other).fetch(axis_id)
        with pytest.raises(AxisRejected):
            simulator.system(other).ack(axis_id)
    assert [p.axis_id for p in simulator.system("ministry").pending()] == [axis_id]


# --- refusals -------------------------------------------------------------------------------------

def test_a_wrong_secret_is_refused_and_never_shown(simulator, caplog):
    forged = simulator.system("ministry", secret="guessed-secret")
    with pytest.raises(AxisRejected, match="credentials"):
        forged.pending()
    with pytest.raises(AxisRejected, match="credentials"):
        forged.send("pkg-forged", package(PROVINCE))
    assert simulator.system("province").pending() == []  # nothing was taken in
    assert "guessed-secret" not in repr(forged) and "guessed-secret" not in caplog.text
    raw = requests.get(f"{simulator.url}/api/v1/packages/pending", timeout=10)  # no signature at all
    assert raw.status_code == 401


def test_a_stale_or_tampered_request_is_refused(simulator):
    stale = signed_request(simulator, "GET", "/api/v1/packages/pending", timestamp=int(time.time()) - 301)
    assert stale.status_code == 401
    future = signed_request(simulator, "GET", "/api/v1/packages/pending", timestamp=int(time.time()) + 301)
    assert future.status_code == 401
    signed = signed_request(simulator, "GET", "/api/v1/packages/pending?limit=1")
    assert signed.status_code == 200
    # The signature covers the body: the same headers over other bytes are refused.
    stamp = str(int(time.time()))
    secret = SYSTEMS[0]["secret"].encode()
    tampered = requests.post(simulator.url + "/api/v1/packages", data=package(ARCHIVE), timeout=10, headers={
        "X-System-Id": "province", "X-Timestamp": stamp, "X-Package-Id": "pkg-tampered",
        "X-Signature": axis.signature(secret, "POST", "/api/v1/packages", stamp, package(MINISTRY))})
    assert tampered.status_code == 401
    assert simulator.system("ministry").pending() == []


def test_an_unknown_recipient_is_refused_naming_the_code(simulator):
    response = signed_request(simulator, "POST", "/api/v1/packages", package(ARCHIVE, "000.00.00.G99"),
                              **{"X-Package-Id": "pkg-unknown"})
    assert response.status_code == 404
    assert response.json() == {"error": "unknown_recipient", "codes": ["000.00.00.G99"]}
    with pytest.raises(AxisRejected, match=r"unknown recipient: 000\.00\.00\.G99"):
        simulator.system("province").send("pkg-unknown", package("000.00.00.G99"))
    assert simulator.system("ministry").pending() == []  # the known recipient got nothing either


def test_an_oversized_package_is_refused(simulator):
    big = package(ARCHIVE, padding=MAX_BYTES)
    with pytest.raises(AxisRejected, match=f"at most {MAX_BYTES} bytes"):
        simulator.system("province").send("pkg-big", big)
    assert simulator.system("ministry").pending() == []
    assert simulator.system("province").send("pkg-small", package(ARCHIVE))  # the connection still works


@pytest.mark.parametrize("body", [
    b"this is not XML",
    b"<edXML><To><OrganId>000.00.04.G14</OrganId></To>",  # cut short
    b'<?xml version="1.0"?><!DOCTYPE edXML [<!ENTITY a "aaaaaaaaaa"><!ENTITY b "&a;&a;&a;&a;&a;&a;">]>'
    b"<edXML><To><OrganId>000.00.04.G14</OrganId></To><Subject>&b;</Subject></edXML>",  # entities
    b'<?xml version="1.0"?><!DOCTYPE edXML [<!ENTITY code SYSTEM "file:///etc/hostname">]>'
    b"<edXML><To><OrganId>&code;</OrganId></To></edXML>",  # an external entity
    b'<!DOCTYPE edXML SYSTEM "http://127.0.0.1:9/edxml.dtd"><edXML><To><OrganId>000.00.04.G14</OrganId></To></edXML>',
], ids=["text", "truncated", "entities", "external-entity", "external-dtd"])
def test_a_body_that_is_not_plain_xml_is_refused(simulator, body):
    response = signed_request(simulator, "POST", "/api/v1/packages", body, **{"X-Package-Id": "pkg-bad"})
    assert response.status_code == 400 and response.json()["error"] == "not_xml"
    with pytest.raises(AxisRejected, match="could not read"):
        simulator.system("province").send("pkg-bad", body)
    assert simulator.system("ministry").pending() == []


def test_a_package_without_recipient_is_refused(simulator):
    response = signed_request(simulator, "POST", "/api/v1/packages", package(), **{"X-Package-Id": "pkg-nobody"})
    assert response.status_code == 400 and response.json() == {"error": "no_recipient"}
    with pytest.raises(AxisRejected, match="no recipient"):
        simulator.system("province").send("pkg-nobody", package())


def test_the_log_names_systems_and_sizes_not_content_or_secrets(simulator):
    simulator.system("province").send("pkg-log", package(ARCHIVE))
    with pytest.raises(AxisRejected):
        simulator.system("province", secret="wrong-secret").pending()
    text = simulator.log.read_text(encoding="utf-8")
    assert "province" in text and "ministry" in text
    assert CITIZEN not in text and not any(s["secret"] in text for s in SYSTEMS) and "wrong-secret" not in text


# --- nothing lost ---------------------------------------------------------------------------------

def test_nothing_is_lost_when_the_axis_is_killed_and_started_again(simulator):
    province, ministry = simulator.system("province"), simulator.system("ministry")
    data = package(ARCHIVE)
    axis_id = province.send("pkg-durable", data)
    simulator.kill()
    with pytest.raises(AxisUnavailable):
        ministry.pending()
    simulator.start()  # the same port and the same database file
    assert [p.axis_id for p in ministry.pending()] == [axis_id]
    assert ministry.fetch(axis_id) == data
    assert province.send("pkg-durable", data) == axis_id  # still known: not delivered twice
    assert len(ministry.pending()) == 1


def test_an_axis_that_does_not_answer_is_unavailable(tmp_path):
    closed = HttpAxis(f"http://127.0.0.1:{free_port()}", "province", "province-secret-1", timeout=5)
    with pytest.raises(AxisUnavailable, match="did not answer"):
        closed.send("pkg-1", package(ARCHIVE))
    with pytest.raises(AxisUnavailable):
        closed.pending()


# --- configuration --------------------------------------------------------------------------------

def test_an_installation_without_an_axis_configured_is_told_what_to_set(settings):
    settings.EXCHANGE_AXIS_URL = ""
    settings.EXCHANGE_SYSTEM_ID = "province"
    settings.EXCHANGE_SECRET = ""
    with pytest.raises(AxisUnavailable, match="EXCHANGE_AXIS_URL, EXCHANGE_SECRET"):
        axis.current()


def test_the_configured_axis_is_the_one_the_settings_name(simulator, settings):
    settings.EXCHANGE_AXIS_URL = simulator.url + "/"
    settings.EXCHANGE_SYSTEM_ID = "ministry"
    settings.EXCHANGE_SECRET = "ministry-secret-2"
    axis_id = simulator.system("province").send("pkg-settings", package(ARCHIVE))
    configured = axis.current()
    assert [p.axis_id for p in configured.pending()] == [axis_id]
    assert "ministry-secret-2" not in repr(configured)
