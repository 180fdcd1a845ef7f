"""Production mode with real components, no mocks: Celery workers on Redis and RabbitMQ, S3
storage (moto's S3-compatible server), ``egov check`` (``check --deploy``) and ``egov serve``
(gunicorn) on a throw-away PostgreSQL database.

Needs the local PostgreSQL, Redis and RabbitMQ (``scripts/services.sh`` starts them). Every
process started here runs in its own process group and is killed when its test ends, pass or fail.
"""

import base64
import json
import os
import secrets
import signal
import socket
import subprocess
import sys
import time
import urllib.error
import urllib.request
import uuid
from contextlib import contextmanager, suppress
from pathlib import Path

import boto3
import psycopg
import pytest
from botocore.exceptions import ClientError
from celery import Celery
from django.core.files.base import ContentFile
from django.core.files.storage import default_storage
from psycopg import sql

from tests.ports import free_port

BASE_DIR = Path(__file__).resolve().parent.parent
BIN = Path(sys.executable).parent
EGOV = str(BIN / "egov")

PG_ADMIN = "postgresql://postgres@127.0.0.1:5432/postgres"
REDIS = "redis://127.0.0.1:6379"
RABBITMQ = "amqp://guest:guest@127.0.0.1:5672//"
HOST = "egov.example.vn"
READY = {"status": "ok", "checks": {"database": "ok", "cache": "ok", "broker": "ok"}}

# Variables read by egov/settings.py: the parent's values (e.g. the test DATABASE_URL) must not
# leak into the processes started here, each gets exactly the configuration its test gives it.
_SETTINGS_PREFIXES = (
    "EGOV_", "DATABASE_URL", "DB_CONN_MAX_AGE", "TEST_DB_NAME", "SECRET_KEY", "REDIS_URL", "CELERY_",
    "AWS_", "ALLOWED_HOSTS", "CSRF_TRUSTED_ORIGINS", "SECURE_", "STATIC_ROOT", "MEDIA_ROOT", "OIDC_",
    "EMAIL_", "WEB_CONCURRENCY", "PAYMENT_", "SMS_", "SIGNING_", "DATA_",
    # Set by the browser tests for their own process only; a deployment never has it.
    "DJANGO_ALLOW_ASYNC_UNSAFE",
    # Set in-process by the signing tests; a worker must find the token its own settings name.
    "SOFTHSM2_CONF",
)


# --- Helpers ------------------------------------------------------------------------------
def _require(port: int, service: str) -> None:
    try:
        socket.create_connection(("127.0.0.1", port), timeout=2).close()
    except OSError:
        pytest.fail(f"{service} does not answer on 127.0.0.1:{port}; run scripts/services.sh")


def _env(tmp_path: Path, production: bool = True, **values: str) -> dict[str, str]:
    env = {key: value for key, value in os.environ.items() if not key.startswith(_SETTINGS_PREFIXES)}
    env.update(DJANGO_SETTINGS_MODULE="egov.settings", PYTHONUNBUFFERED="1")
    env["EGOV_VAR_DIR"] = str(tmp_path / "var")
    if production:
        env.update(EGOV_PRODUCTION="1", SECRET_KEY=secrets.token_urlsafe(64),
                   # production mode refuses demo secrets and a cache private to each process
                   PAYMENT_SECRET=secrets.token_urlsafe(32), SIGNING_TOKEN_PIN=secrets.token_hex(4),
                   REDIS_URL=f"{REDIS}/7",
                   # personal data at rest (ADR 0050): the keys live outside the database
                   DATA_ENCRYPTION_KEYS=base64.urlsafe_b64encode(os.urandom(32)).decode(),
                   DATA_LOOKUP_KEY=secrets.token_urlsafe(48))
    env.update(values)
    return env


def _tail(log: Path, lines: int = 40) -> str:
    text = log.read_text(errors="replace") if log.exists() else ""
    return "\n".join(text.splitlines()[-lines:])


def _stop(proc: subprocess.Popen) -> None:
    """SIGTERM to the process group, SIGKILL to whatever is left of it."""
    with suppress(ProcessLookupError):
        os.killpg(proc.pid, signal.SIGTERM)
    try:
        proc.wait(timeout=10)
    except subprocess.TimeoutExpired:
        pass
    with suppress(ProcessLookupError):  # the leader's children (pool processes, gunicorn workers)
        os.killpg(proc.pid, signal.SIGKILL)
    proc.wait(timeout=5)


@contextmanager
def _process(argv: list[str], env: dict[str, str], log: Path):
    with log.open("wb") as out:
        proc = subprocess.Popen(
            argv, cwd=BASE_DIR, env=env, stdout=out, stderr=subprocess.STDOUT, start_new_session=True
        )
    try:
        yield proc
    finally:
        _stop(proc)


def _wait_until(condition, proc: subprocess.Popen, log: Path, what: str, timeout: float):
    deadline = time.monotonic() + timeout
    while time.monotonic() < deadline:
        if proc.poll() is not None:
            pytest.fail(f"{what}: the process exited with {proc.returncode}\n{_tail(log)}")
        with suppress(OSError):
            if result := condition():
                return result
        time.sleep(0.2)
    pytest.fail(f"{what}: not ready within {timeout:.0f} s\n{_tail(log)}")


def _get(url: str, **headers: str) -> tuple[int, dict[str, str], bytes]:
    request = urllib.request.Request(url, headers={"Host": HOST, **headers})  # noqa: S310 (local http only)
    try:
        with urllib.request.urlopen(request, timeout=10) as response:  # noqa: S310
            return response.status, dict(response.headers), response.read()
    except urllib.error.HTTPError as error:
        return error.code, dict(error.headers), error.read()


# --- 1. Background work: the same task in a Celery worker and in-process --------------------
@pytest.mark.production
@pytest.mark.parametrize("broker", ["redis", "rabbitmq"])
def test_celery_worker_runs_task(broker, tmp_path):
    """A real worker process consumes egov.ping from the broker and returns its result."""
    _require(6379, "Redis")
    backend = f"{REDIS}/6"
    database = f"sqlite:///{tmp_path / 'worker.sqlite3'}"
    env = _env(tmp_path, DATABASE_URL=database, CELERY_RESULT_BACKEND=backend)
    if broker == "redis":
        # The documented command, on the default queue of a Redis database of its own.
        broker_url, queue = f"{REDIS}/5", None
        argv = [EGOV, "worker", "--concurrency", "1"]
    else:
        # RabbitMQ's default vhost is shared: a queue of our own, removed afterwards.
        _require(5672, "RabbitMQ")
        broker_url, queue = RABBITMQ, f"egov-test-{uuid.uuid4().hex[:12]}"
        argv = [str(BIN / "celery"), "-A", "egov", "worker", "-Q", queue, "--concurrency", "1",
                "--without-gossip", "--without-mingle", "--loglevel", "INFO"]
    env["CELERY_BROKER_URL"] = broker_url
    client = Celery("egov-test-client", broker=broker_url, backend=backend)
    log = tmp_path / "worker.log"
    try:
        with _process(argv, env, log) as worker:
            result = client.send_task("egov.ping", args=["xin chào"], queue=queue)
            _wait_until(result.ready, worker, log, f"egov.ping on {broker}", timeout=25)
            assert result.get(timeout=5) == "pong:xin chào"
            assert result.successful()
            result.forget()
    finally:
        if queue:
            with client.connection_for_write() as conn:
                conn.default_channel.queue_delete(queue)
                conn.default_channel.exchange_delete(queue)
        client.close()


EAGER_SCRIPT = """
import json, os
from celery.signals import task_postrun
from django.db import transaction
from egov.celery import app
from egov.tasks import enqueue, ping

runs = []
task_postrun.connect(lambda task=None, retval=None, state=None, **kw: runs.append([retval, state, os.getpid()]),
                     weak=False)
with transaction.atomic():
    enqueue(ping, "xin chào")
    inside = list(runs)
try:
    with transaction.atomic():
        enqueue(ping, "không bao giờ")
        raise RuntimeError("rollback")
except RuntimeError:
    pass
print(json.dumps({"eager": app.conf.task_always_eager, "pid": os.getpid(), "inside": inside, "runs": runs}))
"""


@pytest.mark.production
def test_without_broker_enqueue_runs_in_process_after_commit(tmp_path):
    """The embedded default (no broker): the same task runs eagerly, in the process that scheduled
    it, once the transaction has really committed on a real (SQLite) database; never on rollback."""
    env = _env(tmp_path, production=False, DATABASE_URL=f"sqlite:///{tmp_path / 'embedded.sqlite3'}")
    migrated = subprocess.run([EGOV, "manage", "migrate", "--noinput", "-v", "0"], cwd=BASE_DIR, env=env,
                              capture_output=True, text=True, timeout=600)
    assert migrated.returncode == 0, migrated.stderr[-3000:]  # enqueue writes its outbox row first
    done = subprocess.run([EGOV, "manage", "shell", "-c", EAGER_SCRIPT], cwd=BASE_DIR, env=env,
                          capture_output=True, text=True, timeout=30)
    assert done.returncode == 0, done.stderr[-3000:]
    report = json.loads(done.stdout.strip().splitlines()[-1])
    assert report["eager"] is True
    assert report["inside"] == []  # scheduled inside the transaction, not yet run
    assert report["runs"] == [["pong:xin chào", "SUCCESS", report["pid"]]]  # once, after commit, in-process


# --- 2. Files on S3-compatible storage ----------------------------------------------------
@pytest.fixture
def s3_server(tmp_path):
    """moto's S3 server on a free port, with one bucket; yields (endpoint URL, bucket, boto3 client)."""
    port = free_port()
    endpoint = f"http://127.0.0.1:{port}"
    log = tmp_path / "moto.log"
    env = _env(tmp_path, production=False)
    with _process([str(BIN / "moto_server"), "-H", "127.0.0.1", "-p", str(port)], env, log) as server:
        _wait_until(lambda: socket.create_connection(("127.0.0.1", port), timeout=1).close() or True,
                    server, log, "moto_server", timeout=20)
        s3 = boto3.client("s3", endpoint_url=endpoint, region_name="us-east-1",
                          aws_access_key_id="testing", aws_secret_access_key="testing")
        bucket = "egov-ho-so"
        s3.create_bucket(Bucket=bucket)
        yield endpoint, bucket, s3


def _s3_keys(s3, bucket: str) -> list[str]:
    return [item["Key"] for item in s3.list_objects_v2(Bucket=bucket).get("Contents", [])]


@pytest.mark.production
def test_file_round_trips_through_s3(s3_server, settings):
    endpoint, bucket, s3 = s3_server
    settings.STORAGES = {
        **settings.STORAGES,
        "default": {
            "BACKEND": "storages.backends.s3.S3Storage",
            "OPTIONS": {  # as egov/settings.py builds them from AWS_* variables, plus the keys
                "bucket_name": bucket, "endpoint_url": endpoint, "region_name": "us-east-1",
                "access_key": "testing", "secret_key": "testing",
                "default_acl": None, "querystring_auth": True, "file_overwrite": False,
            },
        },
    }
    content = "Đơn đề nghị cấp giấy phép xây dựng\nỦy ban nhân dân tỉnh Bắc Kạn — số 12/ĐN\n".encode()
    content += b"\x00\xff"  # and bytes that are not text at all
    name = default_storage.save("hồ sơ/Giấy phép xây dựng Bắc Kạn.txt", ContentFile(content))
    assert type(default_storage._wrapped).__name__ == "S3Storage"
    try:
        assert name == "hồ sơ/Giấy phép xây dựng Bắc Kạn.txt"  # S3 keys keep the name as given
        assert default_storage.exists(name)
        with default_storage.open(name, "rb") as stored:
            assert stored.read() == content
        # In the bucket itself, under the same (UTF-8) key, byte for byte.
        assert s3.get_object(Bucket=bucket, Key=name)["Body"].read() == content
        # A second file with the same name does not overwrite the first.
        other = default_storage.save("hồ sơ/Giấy phép xây dựng Bắc Kạn.txt", ContentFile(b"khac"))
        assert other != name and sorted(_s3_keys(s3, bucket)) == sorted([name, other])
        # The signed URL handed to users downloads the same bytes.
        with urllib.request.urlopen(default_storage.url(name), timeout=10) as response:  # noqa: S310
            assert response.read() == content
        default_storage.delete(other)
    finally:
        default_storage.delete(name)
    assert not default_storage.exists(name)
    with pytest.raises(ClientError):
        s3.head_object(Bucket=bucket, Key=name)
    assert _s3_keys(s3, bucket) == []


@pytest.mark.production
def test_s3_storage_from_environment(s3_server, tmp_path):
    """The AWS_* variables alone (as an administrator sets them) put uploads in the bucket."""
    endpoint, bucket, s3 = s3_server
    env = _env(tmp_path, DATABASE_URL=f"sqlite:///{tmp_path / 'x.sqlite3'}", AWS_STORAGE_BUCKET_NAME=bucket,
               AWS_S3_ENDPOINT_URL=endpoint, AWS_ACCESS_KEY_ID="testing", AWS_SECRET_ACCESS_KEY="testing")
    script = (
        "from django.core.files.base import ContentFile\n"
        "from django.core.files.storage import default_storage\n"
        "name = default_storage.save('tệp/biên bản.txt', ContentFile('Biên bản họp'.encode()))\n"
        "print(type(default_storage._wrapped).__name__, name)\n"
    )
    done = subprocess.run([EGOV, "manage", "shell", "-c", script], cwd=BASE_DIR, env=env,
                          capture_output=True, text=True, timeout=30)
    assert done.returncode == 0, done.stderr[-3000:]
    assert done.stdout.strip().splitlines()[-1] == "S3Storage tệp/biên bản.txt"
    assert _s3_keys(s3, bucket) == ["tệp/biên bản.txt"]
    assert s3.get_object(Bucket=bucket, Key="tệp/biên bản.txt")["Body"].read() == "Biên bản họp".encode()


# --- 3. check --deploy --------------------------------------------------------------------
@pytest.mark.production
def test_egov_check_is_clean_in_production_mode(tmp_path):
    _require(5432, "PostgreSQL")
    _require(6379, "Redis")
    # A production installation names its https address (egov.W009 warns otherwise).
    env = _env(tmp_path, DATABASE_URL="postgres://postgres@127.0.0.1:5432/postgres", REDIS_URL=f"{REDIS}/7",
               CELERY_BROKER_URL=f"{REDIS}/5", ALLOWED_HOSTS=HOST, EGOV_PUBLIC_URL=f"https://{HOST}")
    done = subprocess.run([EGOV, "check"], cwd=BASE_DIR, env=env, capture_output=True, text=True, timeout=60)
    output = done.stdout + done.stderr
    assert done.returncode == 0, output
    assert "System check identified no issues (0 silenced)." in done.stdout, output
    assert "WARNING" not in output and "?:" not in output, output
    assert json.loads(done.stdout.strip().splitlines()[-1]) == READY

    # Production mode refuses to start without a secret key (no generated fallback).
    del env["SECRET_KEY"]
    done = subprocess.run([EGOV, "check"], cwd=BASE_DIR, env=env, capture_output=True, text=True, timeout=60)
    assert done.returncode != 0 and "SECRET_KEY must be set in production mode" in done.stderr


@pytest.mark.production
def test_probes_answer_over_plain_http_when_https_is_enforced(settings, client):
    """With SECURE_SSL_REDIRECT on (the production default) pages redirect to https, but the probes
    answer themselves: a 301 counts as healthy to most load balancers and would hide a 503."""
    settings.SECURE_SSL_REDIRECT = True
    settings.ALLOWED_HOSTS = [HOST]
    response = client.get("/accounts/login/", HTTP_HOST=HOST)
    assert response.status_code == 301 and response["Location"] == f"https://{HOST}/accounts/login/"
    assert client.get("/healthz", HTTP_HOST=HOST).status_code == 200
    # No database here (pytest-django blocks it), so /readyz reports 503 itself instead of redirecting.
    ready = client.get("/readyz", HTTP_HOST=HOST)
    assert ready.status_code == 503
    assert ready.json() == {"status": "unavailable", "checks": {"database": "error: RuntimeError", "cache": "ok",
                                                               "broker": "ok"}}


# --- 4. The production server and its database role -----------------------------------------
# The application's role as docs/production.md sets it up: data rights on every table, no TRUNCATE
# anywhere, and on the audit trail only SELECT and INSERT (the database owner runs migrations).
APP_ROLE_GRANTS = """
REVOKE ALL ON DATABASE {database} FROM PUBLIC;
GRANT CONNECT, TEMPORARY ON DATABASE {database} TO {role};
GRANT USAGE ON SCHEMA public TO {role};
GRANT SELECT, INSERT, UPDATE, DELETE ON ALL TABLES IN SCHEMA public TO {role};
GRANT USAGE, SELECT ON ALL SEQUENCES IN SCHEMA public TO {role};
REVOKE UPDATE, DELETE ON audit_auditentry FROM {role};
REVOKE UPDATE, DELETE ON audit_checkpoint FROM {role};
"""


@pytest.fixture
def postgres_database():
    """A throw-away PostgreSQL database and a login role for the application (no rights yet);
    both dropped at the end, even with connections left open. Yields (owner URL, app URL, apply
    the application's grants)."""
    _require(5432, "PostgreSQL")
    name, role = f"egov_prod_{secrets.token_hex(4)}", f"egov_app_{secrets.token_hex(4)}"
    with psycopg.connect(PG_ADMIN, autocommit=True) as conn:
        conn.execute(sql.SQL("CREATE DATABASE {}").format(sql.Identifier(name)))
        conn.execute(sql.SQL("CREATE ROLE {} LOGIN").format(sql.Identifier(role)))
    owner_url = f"postgres://postgres@127.0.0.1:5432/{name}"

    def grant():
        with psycopg.connect(owner_url.replace("postgres://", "postgresql://"), autocommit=True) as conn:
            conn.execute(sql.SQL(APP_ROLE_GRANTS).format(database=sql.Identifier(name), role=sql.Identifier(role)))

    try:
        yield owner_url, f"postgres://{role}@127.0.0.1:5432/{name}", grant
    finally:
        with psycopg.connect(PG_ADMIN, autocommit=True) as conn:
            conn.execute(sql.SQL("DROP DATABASE IF EXISTS {} WITH (FORCE)").format(sql.Identifier(name)))
            conn.execute(sql.SQL("DROP ROLE IF EXISTS {}").format(sql.Identifier(role)))


def _pg(url: str):
    return psycopg.connect(url.replace("postgres://", "postgresql://"), autocommit=True)


@pytest.mark.production
def test_egov_serve_in_production_mode(postgres_database, tmp_path):
    """egov serve on a fresh database: migrates, collects static files, gunicorn answers."""
    _require(6379, "Redis")
    owner_url, _app_url, _grant = postgres_database
    port = free_port()
    base = f"http://127.0.0.1:{port}"
    static_root = tmp_path / "static"
    env = _env(tmp_path, DATABASE_URL=owner_url, REDIS_URL=f"{REDIS}/7", CELERY_BROKER_URL=f"{REDIS}/5",
               ALLOWED_HOSTS=HOST, STATIC_ROOT=str(static_root), SECURE_SSL_REDIRECT="0")
    log = tmp_path / "serve.log"
    with _process([EGOV, "serve", "--addr", f"127.0.0.1:{port}", "--workers", "1"], env, log) as server:
        # egov serve migrates and collects the static files before gunicorn answers.
        _wait_until(lambda: _get(f"{base}/healthz")[0] == 200, server, log, "egov serve", timeout=240)

        status, headers, body = _get(f"{base}/readyz")
        assert status == 200, body
        assert json.loads(body) == READY
        assert "no-cache" in headers["Cache-Control"]

        # Static files come from STATIC_ROOT through whitenoise, also under their hashed names.
        source = (BASE_DIR / "egov" / "static" / "egov" / "egov.css").read_bytes()
        status, headers, body = _get(f"{base}/static/egov/egov.css")
        assert status == 200 and body == source
        assert headers["Content-Type"].startswith("text/css")
        hashed = json.loads((static_root / "staticfiles.json").read_text())["paths"]["egov/egov.css"]
        assert hashed != "egov/egov.css"
        status, headers, _body = _get(f"{base}/static/{hashed}")
        assert status == 200 and "immutable" in headers["Cache-Control"]

        # Behind the TLS proxy: X-Forwarded-Proto makes the request secure (HSTS is sent).
        assert "Strict-Transport-Security" not in _get(f"{base}/healthz")[1]
        _status, headers, _body = _get(f"{base}/healthz", **{"X-Forwarded-Proto": "https"})
        assert headers["Strict-Transport-Security"].startswith("max-age=31536000")

        # Hosts outside ALLOWED_HOSTS are refused.
        assert _get(f"{base}/healthz", Host="attacker.example")[0] == 400

    with _pg(owner_url) as conn:
        rows = conn.execute("SELECT tablename FROM pg_tables WHERE schemaname = 'public'").fetchall()
    assert {"audit_auditentry", "audit_chainhead", "django_migrations"} <= {row[0] for row in rows}


APP_ROLE_SCRIPT = """
from django.core.management import call_command
from audit.services import record
call_command("migrate", "--noinput", "-v", "0")  # nothing to apply: runs without DDL rights
from audit.sealing import seal_all
record(action="security", object_type="test", object_id="1", summary={"ghi chú": "vai trò ứng dụng"})
seal_all()  # the sealer runs as the application role too
call_command("audit_verify")
"""


@pytest.mark.production
def test_application_role_without_truncate(postgres_database, tmp_path):
    """Migrations by the owner, the platform by a role that can append to the audit trail but
    never truncate, update or delete it (and the trigger refuses UPDATE/DELETE even to the owner)."""
    owner_url, app_url, grant = postgres_database
    env = _env(tmp_path, DATABASE_URL=owner_url)
    done = subprocess.run([EGOV, "manage", "migrate", "--noinput", "-v", "0"], cwd=BASE_DIR, env=env,
                          capture_output=True, text=True, timeout=600)
    assert done.returncode == 0, done.stderr[-3000:]
    grant()

    env["DATABASE_URL"] = app_url
    done = subprocess.run([EGOV, "manage", "shell", "-c", APP_ROLE_SCRIPT], cwd=BASE_DIR, env=env,
                          capture_output=True, text=True, timeout=60)
    assert done.returncode == 0, done.stderr[-3000:]
    assert done.stdout.splitlines()[-1] == ("Nhật ký hệ thống nguyên vẹn: đã kiểm tra 1 bản ghi, 1 bản ghi đã niêm "
                                            "phong trong 1 điểm niêm phong, 0 bản ghi ghi sau điểm niêm phong cuối.")

    with _pg(app_url) as conn:
        for statement in ("TRUNCATE audit_auditentry", "DELETE FROM audit_auditentry",
                          "UPDATE audit_auditentry SET object_id = '2'"):
            with pytest.raises(psycopg.errors.InsufficientPrivilege):
                conn.execute(statement)
        assert conn.execute("SELECT count(*) FROM audit_auditentry").fetchone() == (1,)
        for statement in ("TRUNCATE audit_checkpoint", "DELETE FROM audit_checkpoint",
                          "UPDATE audit_checkpoint SET root = ''"):
            with pytest.raises(psycopg.errors.InsufficientPrivilege):
                conn.execute(statement)
    with _pg(owner_url) as conn:
        for statement in ("DELETE FROM audit_auditentry", "UPDATE audit_auditentry SET object_id = '2'",
                          "DELETE FROM audit_checkpoint", "UPDATE audit_checkpoint SET root = ''"):
            with pytest.raises(psycopg.errors.RaiseException, match="append-only"):
                conn.execute(statement)


# --- 5. Real application tasks through a real worker -----------------------------------------
# The data a worker acts on, made by the application's own services in a process of its own (the
# production settings, the broker set: each service schedules its task when its transaction commits).
DEMO_SCRIPT = """
from directory.demo import load_demo
from signing import pki, setup, signers
load_demo()
setup.register_demo(pki.load(signers.pki_dir()))
"""

WORK_SCRIPT = """
import json
from decimal import Decimal
from django.db import transaction
from django_otp.oath import totp
from django_otp.plugins.otp_totp.models import TOTPDevice
from directory.demo import DEMO_PASSWORD, load_demo
from dossiers import batch_signing, results, workflow
from processes.models import ProcessDefinition, ProcessStep
from processes.services import publish
from signing import services as signing
from tests.factories import make_procedure, submit_birth

demo = load_demo()
agency = demo.agencies["01840"]
desk, specialist, leader = (demo.users[name] for name in ("motcua.ducxuan", "tuphap.ducxuan", "chutich.ducxuan"))
procedure = make_procedure(agencies=[agency], days=3)
definition = ProcessDefinition.objects.create(procedure=procedure, agency=agency)
ProcessStep.objects.create(definition=definition, order=1, name="Thẩm định", role="specialist",
                           unit=demo.units[("01840", "Tư pháp - Hộ tịch")], hours=Decimal("7.5"),
                           actions=["forward", "supplement"])
ProcessStep.objects.create(definition=definition, order=2, name="Phê duyệt", role="agency_leader",
                           hours=Decimal("7.5"), actions=["approve", "return", "refuse"])
publish(definition=definition)
notified = submit_birth(demo, procedure)  # the applicant is told: in the app and by e-mail
approved = []
for _ in range(3):  # three results the leader approved and now signs at once
    dossier = workflow.accept(dossier=submit_birth(demo, procedure), acting_user=desk)
    results.prepare_result(dossier=dossier, acting_user=specialist)
    dossier = workflow.forward(dossier=dossier, acting_user=specialist)
    approved.append(workflow.approve(dossier=dossier, acting_user=leader))
device = TOTPDevice.objects.get(user=leader, confirmed=True)
code = f"{totp(device.bin_key, step=device.step, digits=device.digits):0{device.digits}d}"
confirmation = signing.confirm(leader, password=DEMO_PASSWORD, totp=code)
files = [results.result_for(dossier) for dossier in approved]
with transaction.atomic():
    batch = batch_signing.batch_sign(result_files=files, signer=leader, confirmation=confirmation)
print(json.dumps({"dossier": notified.code, "batch": batch.pk, "results": [f.pk for f in files]}))
"""


@pytest.fixture
def smtp_server():
    """A real SMTP server (aiosmtpd) on a free port; yields (port, the messages it received)."""
    from email import message_from_bytes, policy

    from aiosmtpd.controller import Controller

    received = []

    class Inbox:
        async def handle_DATA(self, server, session, envelope):
            received.append((envelope.rcpt_tos, message_from_bytes(envelope.content, policy=policy.default)))
            return "250 OK"

    controller = Controller(Inbox(), hostname="127.0.0.1", port=free_port())
    controller.start()
    try:
        yield controller.port, received
    finally:
        controller.stop()


def _manage_shell(script: str, env: dict[str, str], timeout: float = 120) -> str:
    done = subprocess.run([EGOV, "manage", "shell", "-c", script], cwd=BASE_DIR, env=env, capture_output=True,
                          text=True, timeout=timeout)
    assert done.returncode == 0, done.stderr[-3000:]
    return done.stdout


@pytest.mark.production
def test_worker_delivers_the_notification_and_signs_the_batch(postgres_database, smtp_server, tmp_path):
    """Production settings, PostgreSQL, Redis as broker, one worker process: the applicant's e-mail
    reaches a real SMTP server and the in-app notice is recorded; a leader's batch of three results
    is signed by the worker (PAdES B-LT with the key on SoftHSM2), each PDF verified by pdfsig."""
    _require(6379, "Redis")
    owner_url, _app_url, _grant = postgres_database
    smtp_port, inbox = smtp_server
    pki_port = free_port()
    signing_dir = tmp_path / "signing"
    broker = f"{REDIS}/4"
    with suppress(Exception):  # tasks left on this test's broker database by an earlier, killed run
        import redis

        redis.Redis.from_url(broker).flushdb()
    env = _env(tmp_path, DATABASE_URL=owner_url, REDIS_URL=f"{REDIS}/7", CELERY_BROKER_URL=broker,
               ALLOWED_HOSTS=HOST, EMAIL_HOST="127.0.0.1", EMAIL_PORT=str(smtp_port),
               DEFAULT_FROM_EMAIL="Cổng dịch vụ công <no-reply@egov.example.vn>",
               SIGNING_PKI_DIR=str(signing_dir / "pki"), SIGNING_SOFTHSM_DIR=str(signing_dir / "softhsm"),
               SIGNING_TOKEN_LABEL="egov-production-test", SIGNING_TOKEN_PIN=secrets.token_hex(6),
               SIGNING_TOKEN_SO_PIN=secrets.token_hex(6), EGOV_PUBLIC_URL=f"https://{HOST}",
               PAYMENT_SECRET=secrets.token_urlsafe(32))
    done = subprocess.run([EGOV, "manage", "migrate", "--noinput", "-v", "0"], cwd=BASE_DIR, env=env,
                          capture_output=True, text=True, timeout=600)
    assert done.returncode == 0, done.stderr[-3000:]
    done = subprocess.run([EGOV, "manage", "signing_pki", "setup", "--port", str(pki_port)], cwd=BASE_DIR, env=env,
                          capture_output=True, text=True, timeout=120)
    assert done.returncode == 0, done.stderr[-3000:]
    _manage_shell(DEMO_SCRIPT, env)  # the demo's people, and their certificates registered

    responder_log, worker_log = tmp_path / "responder.log", tmp_path / "worker.log"
    with _process([EGOV, "manage", "signing_pki", "serve"], env, responder_log) as responder, \
            _process([EGOV, "worker", "--concurrency", "1"], env, worker_log) as worker:
        _wait_until(lambda: socket.create_connection(("127.0.0.1", pki_port), timeout=1).close() or True,
                    responder, responder_log, "OCSP/TSA responder", timeout=20)
        work = json.loads(_manage_shell(WORK_SCRIPT, env).strip().splitlines()[-1])

        # The notification: one e-mail to the applicant, naming the dossier; both deliveries marked sent.
        def mails_about(code):
            return [(to, message) for to, message in inbox if code in message["Subject"]]

        _wait_until(lambda: mails_about(work["dossier"]), worker, worker_log, "the applicant's e-mail", timeout=60)
        [(recipients, message)] = mails_about(work["dossier"])
        assert recipients == ["congdan@example.vn"]
        assert work["dossier"] in message.get_body().get_content()
        with _pg(owner_url) as conn:
            deliveries = conn.execute(
                "SELECT d.channel, d.status, d.attempts FROM notifications_delivery d "
                "JOIN dossiers_dossierevent e ON e.id = d.event_id JOIN dossiers_dossier s ON s.id = e.dossier_id "
                "WHERE s.code = %s ORDER BY d.channel", [work["dossier"]]).fetchall()
            notices = conn.execute("SELECT n.title FROM notifications_notification n JOIN dossiers_dossier s "
                                   "ON s.id = n.dossier_id WHERE s.code = %s", [work["dossier"]]).fetchall()
        assert deliveries == [("app", "sent", 1), ("email", "sent", 1)]
        assert notices == [(message["Subject"].strip(),)]  # the same words in the app as in the mail's subject

        # The batch: the worker signs all three results, one signature each.
        def batch_finished():
            with _pg(owner_url) as conn:
                row = conn.execute("SELECT status, total, done, failed, errors FROM signing_batchsigning "
                                   "WHERE id = %s", [work["batch"]]).fetchone()
            return row if row[0] == "done" else None

        status, total, signed, failed, errors = _wait_until(batch_finished, worker, worker_log, "the signing batch",
                                                            timeout=120)
        assert (status, total, signed, failed, errors) == ("done", 3, 3, 0, {})
        with _pg(owner_url) as conn:
            files = conn.execute(
                "SELECT f.file, u.username FROM signing_signaturerecord r JOIN accounts_user u ON u.id = r.signer_id "
                "JOIN dossiers_dossierfile f ON f.id = r.dossier_file_id WHERE r.batch_id = %s ORDER BY f.id",
                [work["batch"]]).fetchall()
            replaced = conn.execute("SELECT count(*) FROM dossiers_dossierfile WHERE id = ANY(%s) AND replaced",
                                    [work["results"]]).fetchone()[0]
        assert replaced == 3 and [signer for _name, signer in files] == ["chutich.ducxuan"] * 3
        nss = _nss_database(tmp_path / "nss", signing_dir / "pki")
        for name, _signer in files:
            out = subprocess.run(["pdfsig", "-nssdir", nss, str(tmp_path / "var" / "media" / name)],
                                 capture_output=True, text=True, timeout=60).stdout
            assert out.count("Signature Validation: Signature is Valid.") == 1, out
            assert out.count("Certificate Validation: Certificate is Trusted.") == 1, out


def _nss_database(directory: Path, pki_dir: Path) -> str:
    """An NSS database for pdfsig that trusts the test PKI's root."""
    directory.mkdir(parents=True)
    db = f"sql:{directory}"
    subprocess.run(["certutil", "-N", "-d", db, "--empty-password"], check=True, capture_output=True)
    for nickname, trust in (("root", "CT,C,C"), ("interm", ",,")):
        subprocess.run(["certutil", "-A", "-d", db, "-n", nickname, "-t", trust,
                        "-i", str(pki_dir / "certs" / f"{nickname}.cert.pem")], check=True, capture_output=True)
    return db
