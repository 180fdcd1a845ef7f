"""What the benchmarks share: a throw-away PostgreSQL database with the platform migrated into it
(:func:`database`), a throw-away test PKI (:func:`test_pki`), the bulk-load helpers for generated
dossiers (:func:`drop_indexes`, :func:`check_columns`) and the timers (:func:`median_ms`, :func:`rate`).

Nothing here imports Django at module level: :func:`database` sets the environment of the throw-away
database before ``django.setup()``, and the PKI benchmarks set Django up themselves."""

from __future__ import annotations

import contextlib
import os
import re
import secrets
import shutil
import signal
import statistics
import sys
import tempfile
import time
from collections.abc import Callable, Iterator
from pathlib import Path
from typing import Any

BASE_DIR = Path(__file__).resolve().parent.parent
PG_ADMIN = os.environ.get("BENCH_PG_ADMIN_URL", "postgresql://postgres@127.0.0.1:5432/postgres")
# Settings of a developer's shell that must not reach a benchmark's throw-away platform.
FOREIGN = ("EGOV_PRODUCTION", "EGOV_DEBUG", "REDIS_URL", "CELERY_BROKER_URL", "AWS_STORAGE_BUCKET_NAME",
           "EMAIL_HOST", "SMS_GATEWAY_URL", "TEST_DB_NAME")


class BenchFailed(RuntimeError):
    pass


def log(message: str) -> None:
    print(f"[bench {time.strftime('%H:%M:%S', time.gmtime())}Z] {message}", file=sys.stderr, flush=True)


def admin_sql(*statements: str) -> None:
    import psycopg

    with psycopg.connect(PG_ADMIN, autocommit=True) as conn:
        for statement in statements:
            conn.execute(statement)


def _environment(db_name: str, tmp: Path) -> None:
    for name in FOREIGN:
        os.environ.pop(name, None)
    os.environ.update({
        "DJANGO_SETTINGS_MODULE": "egov.settings",
        "DATABASE_URL": f"{PG_ADMIN.rsplit('/', 1)[0]}/{db_name}",
        "LOG_LEVEL": "WARNING",
        "SECRET_KEY": secrets.token_urlsafe(50),
        "EGOV_VAR_DIR": str(tmp / "var"),
        "MEDIA_ROOT": str(tmp / "media"),
    })


def add_database_arguments(parser, *, default: str, variable: str) -> None:
    """``--database NAME`` (default from ``variable``) and ``--keep-database``."""
    parser.add_argument("--database", default=os.environ.get(variable, default))
    parser.add_argument("--keep-database", action="store_true", help="do not drop the database at the end")


@contextlib.contextmanager
def database(name: str, *, keep: bool = False, reuse: bool = False) -> Iterator[Path]:
    """Create the database ``name`` (dropping any left-over of that name), point Django at it, set
    Django up and migrate; yield a temporary folder for files. On leaving (also on failure, Ctrl-C or
    SIGTERM) close the connections and drop the database unless ``keep``, and remove the folder.
    ``reuse``: the database is one kept by an earlier run; it is migrated, never created nor dropped."""
    if not re.fullmatch(r"[a-z_][a-z0-9_]*", name):
        raise BenchFailed("--database: lower-case letters, digits and _ only")

    def interrupted(signum, _frame):
        raise KeyboardInterrupt(f"signal {signum}")

    signal.signal(signal.SIGTERM, interrupted)
    tmp = Path(tempfile.mkdtemp(prefix=f"egov-bench-{name}-"))
    created = False
    try:
        _environment(name, tmp)
        if reuse:
            log(f"reusing database {name}")
        else:
            log(f"creating database {name}")
            admin_sql(f'DROP DATABASE IF EXISTS "{name}" WITH (FORCE)', f'CREATE DATABASE "{name}"')
            created = True
        sys.path.insert(0, str(BASE_DIR))
        import django

        django.setup()
        from django.core.management import call_command

        step = time.perf_counter()
        call_command("migrate", "--noinput", verbosity=0)
        log(f"migrated in {time.perf_counter() - step:.1f} s")
        yield tmp
    finally:
        try:
            from django.db import connections

            connections.close_all()
        except Exception:  # noqa: S110 - Django may not be set up yet
            pass
        if created and not keep:
            try:
                admin_sql(f'DROP DATABASE IF EXISTS "{name}" WITH (FORCE)')
                log(f"database {name} dropped")
            except Exception as error:
                log(f"could not drop database {name}: {error}")
        shutil.rmtree(tmp, ignore_errors=True)


# --- Bulk loads -------------------------------------------------------------------------------------

def check_columns(cursor, insert: str, table: str = "dossiers_dossier") -> None:
    """Fail clearly if ``table`` has a NOT NULL column without a database default that the generator's
    ``INSERT INTO table (…)`` does not fill (a column added to the model since)."""
    found = re.search(rf"INSERT INTO {table} \((.*?)\)", insert, re.S)
    provided = set(re.sub(r'[\s"]', "", found.group(1)).split(",")) if found else set()
    cursor.execute("""SELECT column_name FROM information_schema.columns WHERE table_name = %s
                      AND is_nullable = 'NO' AND column_default IS NULL AND column_name <> 'id'""", [table])
    missing = {name for (name,) in cursor.fetchall()} - provided
    if missing:
        raise BenchFailed(f"{table} has new NOT NULL columns the generator does not fill: {sorted(missing)}")


def drop_indexes(cursor, table: str) -> list[str]:
    """Drop the secondary indexes and unique constraints of ``table``; return the statements that
    rebuild them. One bulk build per index after the load is much faster than millions of random
    inserts into each."""
    cursor.execute("""SELECT conname, pg_get_constraintdef(oid) FROM pg_constraint
                      WHERE conrelid = %s::regclass AND contype = 'u'""", [table])
    constraints = cursor.fetchall()
    cursor.execute("""SELECT indexname, indexdef FROM pg_indexes i WHERE tablename = %s
                      AND NOT EXISTS (SELECT 1 FROM pg_constraint c WHERE c.conname = i.indexname)""", [table])
    indexes = cursor.fetchall()
    for name, _definition in constraints:
        cursor.execute(f'ALTER TABLE {table} DROP CONSTRAINT "{name}"')
    for name, _definition in indexes:
        cursor.execute(f'DROP INDEX "{name}"')
    return ([definition for _name, definition in indexes]
            + [f'ALTER TABLE {table} ADD CONSTRAINT "{name}" {definition}' for name, definition in constraints])


# --- Timers -----------------------------------------------------------------------------------------

def median_ms(function: Callable[[], Any], runs: int) -> tuple[float, Any]:
    """The median time of ``runs`` calls after a warm-up (caches, plans, the buffer pool), in ms, and
    the last result."""
    result = function()
    times = []
    for _ in range(runs):
        started = time.perf_counter()
        result = function()
        times.append((time.perf_counter() - started) * 1000)
    return statistics.median(times), result


def rate(label: str, n: int, fn: Callable[[], Any]) -> float:
    """Calls per second of ``fn`` over ``n`` calls after a warm-up; printed with ``label``."""
    fn()
    start = time.perf_counter()
    for _ in range(n):
        fn()
    elapsed = time.perf_counter() - start
    per_s = n / elapsed
    print(f"{label:<58} {per_s:10.1f} /s  ({elapsed / n * 1000:7.2f} ms each)")
    return per_s


# --- A test PKI -------------------------------------------------------------------------------------

@contextlib.contextmanager
def test_pki(prefix: str) -> Iterator[tuple[Path, Any]]:
    """A throw-away test PKI (``signing.pki``) that the platform's signers and verifiers use, revocation
    not fetched; yield its folder (a SoftHSM2 token may be made in it) and the generated PKI. On
    leaving, the cached signers and token sessions are closed and the folder removed. Django must be
    set up."""
    from django.conf import settings

    from signing import hsm, pki, signers

    base = Path(tempfile.mkdtemp(prefix=prefix))
    try:
        generated = pki.generate(base / "pki")
        settings.SIGNING_PKI_DIR = str(base / "pki")
        settings.SIGNING_VERIFY_FETCH = False
        signers.clear()
        yield base, generated
    finally:
        signers.clear()
        hsm.close_all()
        shutil.rmtree(base, ignore_errors=True)
