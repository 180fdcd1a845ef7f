"""The demo's helper services (decision 0021): the test PKI's OCSP/CRL/timestamp responder starts and
stops with ``egov serve``, on a port that follows the web port; ``signing_pki setup --port`` can be
run again; when the responder is down the official is told so and nothing is half-done."""

import os
import shutil
import signal
import socket
import subprocess
import sys
import time
from contextlib import contextmanager
from pathlib import Path

import pytest
from django.core.management import call_command
from django_otp.plugins.otp_totp.models import TOTPDevice

from directory.demo import DEMO_PASSWORD
from dossiers import results
from signing import pki, signers
from signing.models import Certificate, SignatureRecord
from tests.test_signing_flow import DUCXUAN, approved_at, counter, next_code, signed_at, stored_files, with_totp

pytestmark = pytest.mark.requires_tools("softhsm2-util", "pdfsig", "certutil")
ROOT = Path(__file__).resolve().parent.parent


@contextmanager
def responder_moved_to_a_closed_port(generated, settings):
    """``signing_pki setup --port N`` with nothing listening on N: the certificates and the timestamp
    authority now name an address where no responder answers. Put back afterwards."""
    closed = pki.free_port()
    try:
        call_command("signing_pki", "setup", "--port", str(closed))
        signers.clear()
        yield closed
    finally:
        call_command("signing_pki", "setup", "--port", str(generated.port))
        signers.clear()


def test_setup_on_another_port_updates_the_registered_certificates(registered, demo, settings):
    before = dict(Certificate.objects.values_list("key__key_label", "pk"))
    with responder_moved_to_a_closed_port(registered, settings) as port:
        call_command("signing_pki", "setup", "--port", str(port))  # twice: still no UNIQUE error
        after = dict(Certificate.objects.values_list("key__key_label", "pk"))
        assert after == before  # the same certificates, updated in place
        leader = Certificate.objects.get(key__key_label="chutich-ducxuan")
        assert f"127.0.0.1:{port}/".encode() in leader.der  # its OCSP address names the new port
        assert pki.load(registered.directory).port == port
    assert dict(Certificate.objects.values_list("key__key_label", "pk")) == before
    assert f"127.0.0.1:{registered.port}/".encode() in Certificate.objects.get(key__key_label="chutich-ducxuan").der


def test_another_certificate_with_a_registered_serial_is_refused(registered, demo):
    from django.core.exceptions import ValidationError

    from signing.certificates import import_certificate

    leader = Certificate.objects.get(key__key_label="chutich-ducxuan")
    cert_pem = registered.cert_path("chutich-ducxuan").read_bytes()
    Certificate.objects.filter(pk=leader.pk).update(fingerprint="0" * 64)  # as if another certificate
    with pytest.raises(ValidationError, match="số sê-ri"):
        import_certificate(cert_pem=cert_pem, kind="personal", holder=leader.holder)
    assert Certificate.objects.get(pk=leader.pk).fingerprint == "0" * 64


def _post_action(client, dossier, action: str, device):
    return client.post(f"/workspace/dossiers/{dossier.pk}/{action.replace('_', '-')}/", {
        f"{action}-revision": dossier.revision, f"{action}-password": DEMO_PASSWORD,
        f"{action}-otp_token": next_code(device)}, follow=True, HTTP_ACCEPT_LANGUAGE="vi")


def test_signing_with_the_responder_down_tells_the_leader_and_signs_nothing(registered, demo, sign_in, settings):
    dossier = approved_at(demo, DUCXUAN)
    unsigned, before = results.result_for(dossier), stored_files(settings)
    client = sign_in(DUCXUAN["leader"])
    client.raise_request_exception = True  # a Server Error would fail here
    device = TOTPDevice.objects.get(user=demo.users[DUCXUAN["leader"]], confirmed=True)
    with responder_moved_to_a_closed_port(registered, settings):
        response = _post_action(client, dossier, "sign_result", device)
    page = response.content.decode()
    assert response.status_code == 200 and "Không thể ký số lúc này" in page
    assert results.result_for(dossier) == unsigned and not results.is_signed(unsigned)
    assert stored_files(settings) == before and not SignatureRecord.objects.exists()


def test_issuing_with_the_responder_down_tells_the_clerk_and_takes_no_number(registered, demo, sign_in, settings):
    clerk = demo.users[DUCXUAN["clerk"]]
    with_totp(clerk)
    dossier = signed_at(demo, DUCXUAN)
    signed, before = results.result_for(dossier), stored_files(settings)
    client = sign_in(DUCXUAN["clerk"])
    client.raise_request_exception = True
    device = TOTPDevice.objects.get(user=clerk, confirmed=True)
    with responder_moved_to_a_closed_port(registered, settings):
        response = _post_action(client, dossier, "issue_result", device)
    page = response.content.decode()
    assert response.status_code == 200 and "Không thể ký số lúc này" in page
    assert results.result_for(dossier) == signed and not results.is_issued(signed)
    assert stored_files(settings) == before and counter(demo.agencies[DUCXUAN["agency"]]) == 0


# --- egov serve with its helper services ------------------------------------------------------------

def _listening(port: int) -> bool:
    try:
        socket.create_connection(("127.0.0.1", port), timeout=1).close()
        return True
    except OSError:
        return False


def _wait(condition, process, what: str, timeout: float = 240):
    deadline = time.monotonic() + timeout
    while not condition():
        if process.poll() is not None:
            pytest.fail(f"{what}: egov exited ({process.returncode}): {process.stdout.read()[-3000:]}")
        if time.monotonic() > deadline:
            process.kill()  # its output can be read once it has ended
            pytest.fail(f"{what}: not after {timeout} s; egov printed: {process.stdout.read()[-3000:]}")
        time.sleep(0.2)


def _children(pid: int) -> list[int]:
    found = Path(f"/proc/{pid}/task/{pid}/children")
    return [int(child) for child in found.read_text().split()] if found.exists() else []


def _alive(pid: int) -> bool:
    try:
        state = Path(f"/proc/{pid}/stat").read_text().split(") ", 1)[1][0]
    except OSError:
        return False
    return state != "Z"


def _clean_env(var_dir: Path) -> dict[str, str]:
    env = {key: value for key, value in os.environ.items()
           if not key.startswith(("EGOV_", "PAYMENT_", "SMS_", "SIGNING_", "DATABASE_URL", "ALLOWED_HOSTS"))}
    env.update(EGOV_VAR_DIR=str(var_dir), DATABASE_URL=f"sqlite:///{var_dir}/egov.sqlite3", PYTHONUNBUFFERED="1",
               SIGNING_PKI_DIR=str(var_dir / "pki"))
    return env


@pytest.fixture(scope="module")
def migrated_database(tmp_path_factory) -> Path:
    """A fresh installation's database, migrated once for the module: ``egov serve`` still runs its
    migrate (then nothing to apply), and each test starts from a copy."""
    var_dir = tmp_path_factory.mktemp("migrated")
    subprocess.run([sys.executable, "-m", "django", "migrate", "--noinput", "-v", "0"], check=True, cwd=ROOT,
                   env=_clean_env(var_dir) | {"DJANGO_SETTINGS_MODULE": "egov.settings"}, timeout=600)
    return var_dir / "egov.sqlite3"


@pytest.fixture
def egov_serve(tmp_path, migrated_database):
    """``egov serve --addr 127.0.0.1:PORT`` of a fresh installation whose test PKI exists (made as
    ``egov demo`` makes it, without SoftHSM2: the responder needs only the certificates)."""
    web = pki.free_port()
    responder = web + 787
    if _listening(responder):
        pytest.fail(f"port {responder} is taken on this machine: free it to run this test")
    env = _clean_env(tmp_path)
    shutil.copyfile(migrated_database, tmp_path / "egov.sqlite3")
    pki.generate(tmp_path / "pki", port=responder)
    process = subprocess.Popen([str(Path(sys.executable).parent / "egov"), "serve", "--addr", f"127.0.0.1:{web}",
                                "--workers", "1"], env=env, cwd=ROOT, stdout=subprocess.PIPE,
                               stderr=subprocess.STDOUT, text=True)
    try:
        yield process, web, responder
    finally:
        if process.poll() is None:
            process.kill()
            process.wait()


@pytest.mark.own_installation
def test_egov_serve_runs_the_responder_beside_it_and_stops_it_on_exit(egov_serve):
    process, web, responder = egov_serve
    _wait(lambda: _listening(web) and _listening(responder), process, "web server and responder")
    helpers = [pid for pid in _children(process.pid) if "signing_pki" in Path(f"/proc/{pid}/cmdline").read_text()]
    assert len(helpers) == 1  # a child of egov, not a detached process
    process.send_signal(signal.SIGTERM)
    assert process.wait(timeout=60) == 0
    output = process.stdout.read()
    assert f"Mở / open http://127.0.0.1:{web}/" in output  # the public URL, printed
    assert f"http://127.0.0.1:{responder}" in output
    assert not _alive(helpers[0]) and not _listening(responder) and not _listening(web)


@pytest.mark.own_installation
def test_the_responder_does_not_outlive_a_killed_egov(egov_serve):
    process, web, responder = egov_serve
    _wait(lambda: _listening(web) and _listening(responder), process, "web server and responder")
    children = _children(process.pid)
    helper = next(pid for pid in children if "signing_pki" in Path(f"/proc/{pid}/cmdline").read_text())
    process.kill()  # SIGKILL: egov cannot clean up; the responder notices its parent is gone
    process.wait()
    deadline = time.monotonic() + 30
    while _alive(helper) and time.monotonic() < deadline:
        time.sleep(0.2)
    for pid in children:  # the web server too, so the test leaves nothing behind
        if _alive(pid):
            os.kill(pid, signal.SIGTERM)
    assert not _alive(helper)


@pytest.mark.own_installation
def test_egov_serve_runs_the_exchange_axis_simulator_and_gives_the_web_server_its_address(egov_serve, tmp_path):
    import json

    from exchange.axis import HttpAxis

    process, web, _responder = egov_serve
    axis_port = web + 788
    _wait(lambda: _listening(web) and _listening(axis_port), process, "web server and exchange axis simulator")

    def command_line(pid: int) -> str:
        return Path(f"/proc/{pid}/cmdline").read_text().replace("\0", " ")

    children = _children(process.pid)
    simulator = [pid for pid in children if "simulators.axis" in command_line(pid)]
    web_server = next(pid for pid in children if "gunicorn" in command_line(pid))
    assert len(simulator) == 1  # a child of egov, not a detached process
    environ = dict(entry.split("=", 1) for entry in Path(f"/proc/{web_server}/environ").read_text().split("\0")
                   if "=" in entry)
    system = json.loads((tmp_path / "axis" / "system.json").read_text())  # made once, kept in var/
    assert environ["EXCHANGE_AXIS_URL"] == f"http://127.0.0.1:{axis_port}"
    assert (environ["EXCHANGE_SYSTEM_ID"], environ["EXCHANGE_SECRET"]) == (system["id"], system["secret"])
    # The axis knows this installation by those credentials.
    assert HttpAxis(environ["EXCHANGE_AXIS_URL"], system["id"], system["secret"]).pending() == []

    process.send_signal(signal.SIGTERM)
    assert process.wait(timeout=60) == 0
    output = process.stdout.read()
    assert f"axis http://127.0.0.1:{axis_port}" in output and system["secret"] not in output
    assert not _alive(simulator[0]) and not _listening(axis_port)


@pytest.mark.own_installation
def test_the_exchange_axis_simulator_does_not_outlive_a_killed_egov(egov_serve):
    process, web, _responder = egov_serve
    _wait(lambda: _listening(web) and _listening(web + 788), process, "web server and exchange axis simulator")
    children = _children(process.pid)
    simulator = next(pid for pid in children if "simulators.axis" in Path(f"/proc/{pid}/cmdline").read_text())
    process.kill()  # SIGKILL: egov cannot clean up; the simulator notices its parent is gone
    process.wait()
    deadline = time.monotonic() + 30
    while _alive(simulator) and time.monotonic() < deadline:
        time.sleep(0.2)
    for pid in children:  # the web server and the responder too, so the test leaves nothing behind
        if _alive(pid):
            os.kill(pid, signal.SIGTERM)
    assert not _alive(simulator)


@pytest.mark.own_installation
def test_egov_serve_runs_the_national_systems_simulators_and_gives_the_web_server_their_addresses(egov_serve, tmp_path):
    import json
    import urllib.request

    from egov.demo_services import national_systems

    process, web, _responder = egov_serve
    systems = national_systems()
    assert {"population", "npsp", "civil_status", "business", "payment"} <= set(systems)

    def command_line(pid: int) -> str:
        return Path(f"/proc/{pid}/cmdline").read_text().replace("\0", " ")

    def simulators() -> list[int]:
        return [pid for pid in _children(process.pid) if "simulators.national." in command_line(pid)]

    _wait(lambda: _listening(web) and len(simulators()) == len(systems), process, "web server and simulators")
    web_server = next(pid for pid in _children(process.pid) if "gunicorn" in command_line(pid))
    environ = dict(entry.split("=", 1) for entry in Path(f"/proc/{web_server}/environ").read_text().split("\0")
                   if "=" in entry)
    for system in systems:
        secret = json.loads((tmp_path / "national" / f"{system}.json").read_text())["secret"]  # made once, kept
        url = environ[f"NATIONAL_{system.upper()}_URL"]
        assert environ[f"NATIONAL_{system.upper()}_TOKEN"] == secret
        with urllib.request.urlopen(f"{url}/health", timeout=5) as answer:  # noqa: S310 - loopback
            assert json.loads(answer.read())["system"] == system
    # The national identity's stand-in, for the citizens' single sign-on (OpenID Connect).
    issuer = environ["OIDC_OP_ISSUER"]
    with urllib.request.urlopen(f"{issuer}/.well-known/openid-configuration", timeout=5) as answer:  # noqa: S310
        assert json.loads(answer.read())["issuer"] == issuer
    assert environ["OIDC_RP_CLIENT_SECRET"] == json.loads((tmp_path / "national" / "identity.json").read_text())["secret"]
    running = simulators() + [pid for pid in _children(process.pid) if "server.mjs" in command_line(pid)]
    process.send_signal(signal.SIGTERM)
    assert process.wait(timeout=60) == 0
    output = process.stdout.read()
    assert all(json.loads((tmp_path / "national" / f"{s}.json").read_text())["secret"] not in output for s in systems)
    assert not any(_alive(pid) for pid in running)
