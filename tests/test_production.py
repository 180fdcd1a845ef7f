"""Production mode with real components, no mocks: Celery workers on Redis and RabbitMQ, S3
storage (moto's S3-compatible server), ``egov check`` (``check --deploy``) and ``egov serve``
(gunicorn) on a throw-away PostgreSQL database.

Needs the local PostgreSQL, Redis and RabbitMQ (``scripts/services.sh`` starts them). Every
process started here runs in its own process group and is killed when its test ends, pass or fail.
"""

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
    "EMAIL_", "WEB_CONCURRENCY", "PAYMENT_", "SMS_", "SIGNING_",
    # Set by the browser tests for their own process only; a deployment never has it.
    "DJANGO_ALLOW_ASYNC_UNSAFE",
)


# --- Helpers ------------------------------------------------------------------------------
def _require(port: int, service: str) -> None:
    try:
        socket.create_connection(("127.0.0.1", port), timeout=2).close()
    except OSError:
        pytest.fail(f"{service} does not answer on 127.0.0.1:{port}; run scripts/services.sh")


def _free_port() -> int:
    with socket.socket() as sock:
        sock.bind(("127.0.0.1", 0))
        return sock.getsockname()[1]


def _env(tmp_path: Path, production: bool = True, **values: str) -> dict[str, str]:
    env = {key: value for key, value in os.environ.items() if not key.startswith(_SETTINGS_PREFIXES)}
    env.update(DJANGO_SETTINGS_MODULE="egov.settings", PYTHONUNBUFFERED="1")
    env["EGOV_VAR_DIR"] = str(tmp_path / "var")
    if production:
        env.update(EGOV_PRODUCTION="1", SECRET_KEY=secrets.token_urlsafe(64))
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
    port = _free_port()
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
    env = _env(tmp_path, DATABASE_URL="postgres://postgres@127.0.0.1:5432/postgres", REDIS_URL=f"{REDIS}/7",
               CELERY_BROKER_URL=f"{REDIS}/5", ALLOWED_HOSTS=HOST)
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
    assert client.get("/readyz", HTTP_HOST=HOST).status_code in {200, 503}


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
    port = _free_port()
    base = f"http://127.0.0.1:{port}"
    static_root = tmp_path / "static"
    env = _env(tmp_path, DATABASE_URL=owner_url, REDIS_URL=f"{REDIS}/7", CELERY_BROKER_URL=f"{REDIS}/5",
               ALLOWED_HOSTS=HOST, STATIC_ROOT=str(static_root), SECURE_SSL_REDIRECT="0")
    log = tmp_path / "serve.log"
    with _process([EGOV, "serve", "--addr", f"127.0.0.1:{port}", "--workers", "1"], env, log) as server:
        # egov serve migrates and collects the static files before gunicorn answers.
        _wait_until(lambda: _get(f"{base}/healthz")[0] == 200, server, log, "egov serve", timeout=45)

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
record(action="security", object_type="test", object_id="1", summary={"ghi chú": "vai trò ứng dụng"})
call_command("audit_verify")
"""


@pytest.mark.production
def test_application_role_without_truncate(postgres_database, tmp_path):
    """Migrations by the owner, the platform by a role that can append to the audit trail but
    never truncate, update or delete it (and the trigger refuses UPDATE/DELETE even to the owner)."""
    owner_url, app_url, grant = postgres_database
    env = _env(tmp_path, DATABASE_URL=owner_url)
    done = subprocess.run([EGOV, "manage", "migrate", "--noinput", "-v", "0"], cwd=BASE_DIR, env=env,
                          capture_output=True, text=True, timeout=60)
    assert done.returncode == 0, done.stderr[-3000:]
    grant()

    env["DATABASE_URL"] = app_url
    done = subprocess.run([EGOV, "manage", "shell", "-c", APP_ROLE_SCRIPT], cwd=BASE_DIR, env=env,
                          capture_output=True, text=True, timeout=60)
    assert done.returncode == 0, done.stderr[-3000:]
    assert "1" in done.stdout.splitlines()[-1]  # "Audit trail intact: 1 entries checked." (or translated)

    with _pg(app_url) as conn:
        for statement in ("TRUNCATE audit_auditentry", "DELETE FROM audit_auditentry",
                          "UPDATE audit_auditentry SET object_id = '2'"):
            with pytest.raises(psycopg.errors.InsufficientPrivilege):
                conn.execute(statement)
        assert conn.execute("SELECT count(*) FROM audit_auditentry").fetchone() == (1,)
    with _pg(owner_url) as conn:
        for statement in ("DELETE FROM audit_auditentry", "UPDATE audit_auditentry SET object_id = '2'"):
            with pytest.raises(psycopg.errors.RaiseException, match="append-only"):
                conn.execute(statement)
