"""``egov backup`` then ``egov restore`` into an empty installation (a new database and a new file
folder, in another process): every dossier, file and audit entry is there, the audit chain verifies;
a tampered archive or a non-empty installation is refused and nothing is restored."""

import io
import json
import os
import shutil
import subprocess
import sys
import tarfile
import uuid
from pathlib import Path

import psycopg
import pytest
from django.conf import settings as django_settings
from django.db import connection

from directory.demo import load_demo
from dossiers.models import DossierFile, Slip
from egov import backup
from tests.dossier_scenarios import accepted, birth_procedure

CHECK = """
import hashlib, json, django
django.setup()
from django.core.files.storage import default_storage
from audit.services import verify_chain
from dossiers.models import Dossier, DossierFile
files = {}
for record in DossierFile.objects.all():
    with default_storage.open(record.file.name, "rb") as handle:
        files[record.file.name] = hashlib.sha256(handle.read()).hexdigest() == record.sha256
chain = verify_chain()
print(json.dumps({"codes": sorted(Dossier.objects.values_list("code", flat=True)), "files": files,
                  "chain": chain.ok, "entries": chain.checked}))
"""


def _server() -> dict:
    """Connection settings of the suite's PostgreSQL server, on its maintenance database."""
    params = connection.settings_dict
    admin = {"host": params.get("HOST") or "127.0.0.1", "port": params.get("PORT") or 5432,
             "user": params.get("USER") or "postgres", "dbname": "postgres", "autocommit": True}
    if params.get("PASSWORD"):
        admin["password"] = params["PASSWORD"]
    return admin


def _url(admin: dict, name: str) -> str:
    return f"postgres://{admin['user']}@{admin['host']}:{admin['port']}/{name}"


@pytest.fixture(scope="module")
def migrated(tmp_path_factory):
    """An empty installation's database, migrated once for the module in another process; each test
    restores into a copy of it (PostgreSQL: a database made from it as a template)."""
    base = tmp_path_factory.mktemp("migrated")
    if connection.vendor == "postgresql":
        admin, name = _server(), f"egov_restore_template_{uuid.uuid4().hex[:8]}"
        with psycopg.connect(**admin) as server:
            server.execute(f'CREATE DATABASE "{name}"')
        url = _url(admin, name)
    else:
        name = str(base / "migrated.sqlite3")
        url = f"sqlite:///{name}"
    env = {**os.environ, "DATABASE_URL": url, "MEDIA_ROOT": str(base / "media"), "DJANGO_SETTINGS_MODULE": "egov.settings"}
    env.pop("TEST_DB_NAME", None)
    try:
        subprocess.run([sys.executable, "-m", "egov.cli", "manage", "migrate", "-v", "0"], env=env, check=True,
                       cwd=django_settings.BASE_DIR)
        yield name
    finally:  # a failed migrate leaves no database behind either
        if connection.vendor == "postgresql":
            with psycopg.connect(**admin) as server:
                server.execute(f'DROP DATABASE IF EXISTS "{name}" WITH (FORCE)')


@pytest.fixture
def empty_installation(tmp_path, migrated):
    """The environment of an installation with an empty (migrated) database and an empty file folder."""
    if connection.vendor == "postgresql":
        admin, name = _server(), f"egov_restore_{uuid.uuid4().hex[:8]}"
        with psycopg.connect(**admin) as server:
            server.execute(f'CREATE DATABASE "{name}" TEMPLATE "{migrated}"')
        url = _url(admin, name)
    else:
        shutil.copyfile(migrated, tmp_path / "restored.sqlite3")
        url = f"sqlite:///{tmp_path / 'restored.sqlite3'}"
    env = {**os.environ, "DATABASE_URL": url, "MEDIA_ROOT": str(tmp_path / "restored-media"),
           "DJANGO_SETTINGS_MODULE": "egov.settings"}
    env.pop("TEST_DB_NAME", None)
    yield env
    if connection.vendor == "postgresql":
        with psycopg.connect(**admin) as server:
            server.execute(f'DROP DATABASE IF EXISTS "{name}" WITH (FORCE)')


def _egov(env, *args):
    return subprocess.run([sys.executable, "-m", "egov.cli", *args], env=env, capture_output=True, text=True,
                          cwd=django_settings.BASE_DIR, check=False)


def _check(env) -> dict:
    result = subprocess.run([sys.executable, "-c", CHECK], env=env, capture_output=True, text=True,
                            cwd=django_settings.BASE_DIR, check=True)
    return json.loads(result.stdout.strip().splitlines()[-1])


@pytest.mark.django_db(transaction=True)
def test_a_backup_restores_into_an_empty_installation_whole_and_verified(tmp_path, empty_installation):
    demo = load_demo()
    dossier = accepted(demo, birth_procedure(demo))
    archive, manifest = backup.create(tmp_path / "backups")
    stored = {f.file.name for f in DossierFile.objects.all()} | {s.file.name for s in Slip.objects.exclude(file="")}
    assert manifest["counts"]["dossiers"] == 1 and manifest["files"] == len(stored) >= 3  # two papers, the receipt
    assert oct(archive.stat().st_mode & 0o777) == "0o600"  # personal data: the owner reads it only

    restored = _egov(empty_installation, "restore", str(archive))
    assert restored.returncode == 0, restored.stderr
    report = json.loads(restored.stdout)
    assert report["ok"] and report["files"] == len(stored) and report["counts"] == manifest["counts"]

    found = _check(empty_installation)  # read by another process, not by the restore's own report
    assert found["codes"] == [dossier.code]
    assert len(found["files"]) == DossierFile.objects.count() and all(found["files"].values())
    assert found["chain"] and found["entries"] == manifest["counts"]["audit_entries"]

    again = _egov(empty_installation, "restore", str(archive))
    assert again.returncode == 1 and "đã có người dùng hoặc hồ sơ" in again.stderr


@pytest.mark.django_db(transaction=True)
def test_a_tampered_archive_is_refused_before_anything_is_restored(tmp_path, empty_installation):
    demo = load_demo()
    accepted(demo, birth_procedure(demo))
    archive, _ = backup.create(tmp_path / "backups")
    tampered = tmp_path / "tampered.tar"
    tampered_name = ""
    with tarfile.open(archive) as source, tarfile.open(tampered, "w") as target:
        for member in source.getmembers():
            data = source.extractfile(member).read()
            if member.name.startswith("files/") and not tampered_name:
                data = data[:-1] + bytes([data[-1] ^ 1])  # one bit of one paper changed
                tampered_name = member.name
            target.addfile(member, io.BytesIO(data))
    refused = _egov(empty_installation, "restore", str(tampered))
    assert refused.returncode == 1 and "sai mã kiểm tra" in refused.stderr and tampered_name in refused.stderr
    assert _check(empty_installation)["codes"] == []
    assert not any(Path(empty_installation["MEDIA_ROOT"]).rglob("*.pdf"))
