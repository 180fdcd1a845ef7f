"""``egov backup`` and ``egov restore``: the database and the stored files together, consistent, in one
archive with a manifest and checksums (docs/decisions/0047-backup-and-restore.md).

The archive is a tar file::

    manifest.json        format, time, engine, last migration of every app, counts, the audit
                         chain's last hash, and every member's size and SHA-256
    database.dump        PostgreSQL: ``pg_dump --format=custom`` of one snapshot
    database.sqlite3     SQLite: the online backup API's copy
    files/<name>         every file the database refers to (every FileField of every model),
                         read from the default storage (local folder or S3)

Consistency: on PostgreSQL the dump and the list of files come from one exported snapshot
(``pg_export_snapshot()`` then ``pg_dump --snapshot``); on SQLite the list is read from the copy. A
file is written before the row that names it commits and is never changed in place, so every file
the backup's rows name exists when it is copied; one that does not is listed as missing and the
backup fails. Files nobody refers to (orphans) are not kept.

Restore goes into an **empty** installation only (no user, no dossier): it checks every checksum
before touching anything, loads the database, writes the files back under the same names, then
verifies the counts, every file's checksum and the audit chain, and prints a JSON report.
"""

from __future__ import annotations

import datetime as dt
import hashlib
import io
import json
import os
import shutil
import sqlite3
import subprocess
import tarfile
import tempfile
import time
from dataclasses import dataclass, field
from pathlib import Path
from typing import Any

from django.utils.translation import gettext as _

FORMAT = 1
MANIFEST = "manifest.json"
COUNTED = {"dossiers": "dossiers.Dossier", "audit_entries": "audit.AuditEntry", "users": "accounts.User",
           "documents": "documents.Document"}


class BackupError(Exception):
    pass


@dataclass
class Report:
    ok: bool = True
    counts: dict[str, int] = field(default_factory=dict)
    files: int = 0
    bytes: int = 0
    seconds: float = 0.0
    problems: list[str] = field(default_factory=list)
    audit: str = ""

    def as_json(self) -> str:
        return json.dumps(self.__dict__, ensure_ascii=False, indent=2)


def _sha256(path: Path) -> str:
    digest = hashlib.sha256()
    with path.open("rb") as handle:
        for block in iter(lambda: handle.read(1 << 20), b""):
            digest.update(block)
    return digest.hexdigest()


def _file_columns() -> list[tuple[str, str]]:
    """(table, column) of every FileField of every installed model."""
    from django.apps import apps
    from django.db import models

    columns = []
    for model in apps.get_models():
        if model._meta.proxy or not model._meta.managed:
            continue
        for model_field in model._meta.concrete_fields:
            if isinstance(model_field, models.FileField):
                columns.append((model._meta.db_table, model_field.column))
    return columns


def _referenced_files(cursor: Any, quote: Any) -> list[str]:
    names: set[str] = set()
    for table, column in _file_columns():
        cursor.execute(f"SELECT {quote(column)} FROM {quote(table)} WHERE {quote(column)} <> ''")  # noqa: S608 - model metadata
        names.update(row[0] for row in cursor.fetchall() if row[0])
    return sorted(names)


def _counts(cursor: Any, quote: Any) -> dict[str, int]:
    from django.apps import apps

    counts = {}
    for key, label in COUNTED.items():
        cursor.execute(f"SELECT COUNT(*) FROM {quote(apps.get_model(label)._meta.db_table)}")  # noqa: S608
        counts[key] = int(cursor.fetchone()[0])
    return counts


def _audit_head(cursor: Any, quote: Any) -> str:
    from audit.models import AuditEntry

    table = quote(AuditEntry._meta.db_table)
    cursor.execute(f"SELECT {quote('hash')} FROM {table} ORDER BY {quote('id')} DESC LIMIT 1")  # noqa: S608
    row = cursor.fetchone()
    return row[0] if row else ""


def _migrations(cursor: Any) -> dict[str, str]:
    cursor.execute("SELECT app, name FROM django_migrations ORDER BY id")
    last: dict[str, str] = {}
    for app, name in cursor.fetchall():
        last[app] = name
    return last


def _pg_env(database: dict) -> tuple[list[str], dict[str, str]]:
    args = ["--host", database.get("HOST") or "127.0.0.1", "--port", str(database.get("PORT") or 5432),
            "--username", database.get("USER") or "postgres"]
    env = {**os.environ}
    if database.get("PASSWORD"):
        env["PGPASSWORD"] = database["PASSWORD"]
    return args, env


def create(destination: Path) -> tuple[Path, dict]:
    """Write a backup archive into the folder ``destination``; its path and manifest."""
    from django.conf import settings
    from django.core.files.storage import default_storage
    from django.db import connection

    started = time.monotonic()
    destination.mkdir(parents=True, exist_ok=True)
    moment = dt.datetime.now(dt.UTC)
    archive = destination / f"egov-backup-{moment:%Y%m%dT%H%M%SZ}.tar"
    work = Path(tempfile.mkdtemp(prefix="egov-backup-", dir=destination))
    try:
        engine = connection.vendor
        if engine == "postgresql":
            database = settings.DATABASES["default"]
            connection.ensure_connection()
            # One snapshot for the dump and for the list of files: a repeatable-read transaction on
            # a connection of its own exports it, pg_dump reads through it.
            import psycopg

            params = {"host": database.get("HOST") or "127.0.0.1", "port": database.get("PORT") or 5432,
                      "user": database.get("USER") or "postgres", "dbname": connection.settings_dict["NAME"]}
            if database.get("PASSWORD"):
                params["password"] = database["PASSWORD"]
            with psycopg.connect(**params) as snapshot:
                snapshot.isolation_level = psycopg.IsolationLevel.REPEATABLE_READ
                with snapshot.cursor() as cursor:
                    cursor.execute("SET TRANSACTION READ ONLY")
                    cursor.execute("SELECT pg_export_snapshot()")
                    snapshot_id = cursor.fetchone()[0]
                    args, env = _pg_env(database)
                    dump = work / "database.dump"
                    result = subprocess.run(
                        ["pg_dump", *args, "--format=custom", "--no-owner", "--no-privileges",
                         f"--snapshot={snapshot_id}", "--file", str(dump), connection.settings_dict["NAME"]],
                        env=env, capture_output=True, text=True, check=False)
                    if result.returncode:
                        raise BackupError(_("pg_dump failed: %(error)s") % {"error": result.stderr.strip()})

                    def quote(name: str) -> str:
                        return '"' + name.replace('"', '""') + '"'

                    names = _referenced_files(cursor, quote)
                    counts = _counts(cursor, quote)
                    audit_head = _audit_head(cursor, quote)
                    migrations = _migrations(cursor)
            members = [dump]
        elif engine == "sqlite":
            connection.ensure_connection()
            copy_path = work / "database.sqlite3"
            target = sqlite3.connect(str(copy_path))
            with target:
                connection.connection.backup(target)
            cursor = target.cursor()

            def quote(name: str) -> str:
                return '"' + name.replace('"', '""') + '"'

            names = _referenced_files(cursor, quote)
            counts = _counts(cursor, quote)
            audit_head = _audit_head(cursor, quote)
            migrations = _migrations(cursor)
            target.close()
            members = [copy_path]
        else:  # pragma: no cover - the platform runs on the two engines only
            raise BackupError(_("no backup for the %(engine)s engine") % {"engine": engine})

        files_dir = work / "files"
        missing = []
        for name in names:
            if not default_storage.exists(name):
                missing.append(name)
                continue
            target_path = files_dir / name
            target_path.parent.mkdir(parents=True, exist_ok=True)
            with default_storage.open(name, "rb") as source, target_path.open("wb") as output:
                shutil.copyfileobj(source, output, 1 << 20)
            members.append(target_path)
        if missing:
            raise BackupError(_("%(count)d file(s) named by the database are missing from the storage") % {"count": len(missing)})

        manifest = {
            "format": FORMAT, "created_at": moment.isoformat(), "engine": engine, "migrations": migrations,
            "counts": counts, "files": len(names), "audit_head": audit_head,
            "members": {str(path.relative_to(work)): {"size": path.stat().st_size, "sha256": _sha256(path)}
                        for path in members},
        }
        with tarfile.open(archive, "w") as tar:
            data = json.dumps(manifest, ensure_ascii=False, indent=2).encode()
            info = tarfile.TarInfo(MANIFEST)
            info.size, info.mtime = len(data), int(moment.timestamp())
            tar.addfile(info, io.BytesIO(data))
            for path in members:
                tar.add(path, arcname=str(path.relative_to(work)), recursive=False)
        os.chmod(archive, 0o600)  # it holds personal data
        manifest["seconds"] = round(time.monotonic() - started, 2)
        return archive, manifest
    finally:
        shutil.rmtree(work, ignore_errors=True)


def _safe_members(tar: tarfile.TarFile) -> None:
    for member in tar.getmembers():
        if not (member.isfile() or member.isdir()) or member.name.startswith("/") or ".." in Path(member.name).parts:
            raise BackupError(_("unexpected member in the archive: %(name)r") % {"name": member.name})


def _installation_is_empty() -> bool:
    from django.db import connection

    tables = set(connection.introspection.table_names())
    if "django_migrations" not in tables:
        return True
    from django.apps import apps

    for label in ("accounts.User", "dossiers.Dossier"):
        table = apps.get_model(label)._meta.db_table
        if table in tables:
            with connection.cursor() as cursor:
                cursor.execute(f"SELECT 1 FROM {connection.ops.quote_name(table)} LIMIT 1")  # noqa: S608
                if cursor.fetchone():
                    return False
    return True


def restore(archive: Path) -> Report:
    """Restore ``archive`` into this (empty) installation and verify it."""
    from django.conf import settings
    from django.core.files.base import File
    from django.core.files.storage import default_storage
    from django.db import connection, connections

    started = time.monotonic()
    report = Report()
    work = Path(tempfile.mkdtemp(prefix="egov-restore-"))
    try:
        with tarfile.open(archive, "r") as tar:
            _safe_members(tar)
            tar.extractall(work, filter="data")
        manifest = json.loads((work / MANIFEST).read_text(encoding="utf-8"))
        if manifest.get("format") != FORMAT:
            raise BackupError(_("unknown backup format %(format)r") % {"format": manifest.get("format")})
        for name, expected in manifest["members"].items():
            path = work / name
            if not path.is_file() or _sha256(path) != expected["sha256"]:
                raise BackupError(_("%(name)s: missing or checksum differs; nothing was restored") % {"name": name})
        if manifest["engine"] != connection.vendor:
            raise BackupError(_("the backup is of a %(backup)s database, this installation uses %(here)s")
                              % {"backup": manifest["engine"], "here": connection.vendor})
        if not _installation_is_empty():
            raise BackupError(_("this installation already holds users or dossiers; restore into an empty one"))

        if connection.vendor == "postgresql":
            database = settings.DATABASES["default"]
            connections.close_all()
            args, env = _pg_env(database)
            result = subprocess.run(
                ["pg_restore", *args, "--no-owner", "--no-privileges", "--clean", "--if-exists",
                 "--exit-on-error", "--single-transaction", "--dbname", connection.settings_dict["NAME"],
                 str(work / "database.dump")], env=env, capture_output=True, text=True, check=False)
            if result.returncode:
                raise BackupError(_("pg_restore failed: %(error)s") % {"error": result.stderr.strip()})
        else:
            connection.ensure_connection()
            source = sqlite3.connect(str(work / "database.sqlite3"))
            with source:
                source.backup(connection.connection)
            source.close()

        files_root = work / "files"
        for path in sorted(p for p in files_root.rglob("*") if p.is_file()) if files_root.exists() else []:
            name = str(path.relative_to(files_root))
            if default_storage.exists(name):
                default_storage.delete(name)
            with path.open("rb") as handle:
                saved = default_storage.save(name, File(handle, name=name))
            if saved != name:
                raise BackupError(_("the storage renamed %(name)r to %(saved)r") % {"name": name, "saved": saved})
            report.files += 1
            report.bytes += path.stat().st_size
        _verify(report, manifest)
    finally:
        shutil.rmtree(work, ignore_errors=True)
    report.seconds = round(time.monotonic() - started, 2)
    return report


def _verify(report: Report, manifest: dict) -> None:
    """What a restored installation must show: the manifest's counts, every file as it was, the audit
    chain intact and ending where it ended."""
    from django.core.files.storage import default_storage
    from django.db import connection

    from audit.services import verify_chain

    with connection.cursor() as cursor:
        report.counts = _counts(cursor, connection.ops.quote_name)
        names = _referenced_files(cursor, connection.ops.quote_name)
        head = _audit_head(cursor, connection.ops.quote_name)
    if report.counts != manifest["counts"]:
        report.problems.append(f"counts differ: {report.counts} != {manifest['counts']}")
    for name in names:
        expected = manifest["members"].get(f"files/{name}")
        if expected is None or not default_storage.exists(name):
            report.problems.append(f"file missing after restore: {name}")
            continue
        digest = hashlib.sha256()
        with default_storage.open(name, "rb") as handle:
            for block in iter(lambda: handle.read(1 << 20), b""):
                digest.update(block)
        if digest.hexdigest() != expected["sha256"]:
            report.problems.append(f"file differs after restore: {name}")
    chain = verify_chain()
    report.audit = f"{chain.checked} entries checked, {'intact' if chain.ok else 'BROKEN at #' + str(chain.broken_at)}"
    if not chain.ok:
        report.problems.append("the audit chain does not verify")
    if head != manifest["audit_head"]:
        report.problems.append("the audit chain does not end where the backup's ended")
    report.ok = not report.problems
