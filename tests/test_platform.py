"""The platform shell: health probes, language, logs without personal data, the egov command."""

import json
import logging
import sqlite3
import subprocess
import sys
from pathlib import Path

import polib
import pytest
from django.utils import translation

from egov.logging import RedactPersonalData, redact

ROOT = Path(__file__).resolve().parent.parent


def test_healthz_answers_without_touching_the_database(client):
    response = client.get("/healthz")
    assert response.status_code == 200 and response.json() == {"status": "ok"}


@pytest.mark.django_db
def test_readyz_checks_database_and_cache(client):
    response = client.get("/readyz")
    assert response.status_code == 200
    assert response.json() == {"status": "ok", "checks": {"database": "ok", "cache": "ok", "broker": "ok"}}


@pytest.mark.django_db
def test_pages_are_in_vietnamese_by_default_and_english_on_request(client, demo):
    home = client.get("/").content.decode()
    assert '<html lang="vi">' in home and "Cổng dịch vụ công" in home and "Tỉnh Thái Nguyên" in home
    client.post("/i18n/setlang/", {"language": "en", "next": "/"})
    # The request activates English in this thread; give the next tests their language back.
    with translation.override(None):
        home = client.get("/").content.decode()
    assert '<html lang="en">' in home and "Public services portal" in home


def test_every_vietnamese_message_is_translated_and_compiled():
    catalogues = sorted(ROOT.glob("*/locale/vi/LC_MESSAGES/django.po"))
    assert catalogues, "no Vietnamese catalogues"
    for po_path in catalogues:
        po = polib.pofile(str(po_path))
        missing = [e.msgid for e in po if not e.obsolete and (not e.translated() or "fuzzy" in e.flags)]
        assert not missing, f"{po_path.relative_to(ROOT)}: untranslated {missing[:5]}"
        mo = polib.mofile(str(po_path.with_suffix(".mo")))
        compiled = {e.msgid: e.msgstr for e in mo}
        stale = [e.msgid for e in po if not e.obsolete and e.msgstr and compiled.get(e.msgid) != e.msgstr]
        assert not stale, f"{po_path.relative_to(ROOT)}: .mo is older than .po for {stale[:3]}"


@pytest.mark.parametrize(
    "text, leaked",
    [
        ("citizen 006190001234 applied", "006190001234"),
        ("old id 123456789 seen", "123456789"),
        ("call 0912 345 678 now", "0912 345 678"),
        ("call +84912345678", "+84912345678"),
        ("mail congdan@example.vn", "congdan@example.vn"),
    ],
)
def test_personal_data_never_reaches_the_logs(text, leaked):
    assert leaked not in redact(text)
    record = logging.LogRecord("egov", logging.INFO, __file__, 1, "event %s", (text,), None)
    record.phone = text
    RedactPersonalData().filter(record)
    assert leaked not in record.getMessage() and leaked not in record.phone


def test_dossier_numbers_and_dates_are_not_mistaken_for_personal_data():
    assert redact("dossier 000.00.03.H05-261125-0001 at 2026-11-25") == "dossier 000.00.03.H05-261125-0001 at 2026-11-25"


def _egov(*args, env_extra=None, tmp_path=None):
    import os

    env = {**os.environ, "EGOV_VAR_DIR": str(tmp_path), "DATABASE_URL": f"sqlite:///{tmp_path}/egov.sqlite3"}
    env.update(env_extra or {})
    return subprocess.run([str(Path(sys.executable).parent / "egov"), *args], capture_output=True, text=True,
                          env=env, cwd=ROOT, timeout=300)


@pytest.mark.own_installation
def test_egov_demo_loads_the_province_and_prints_the_logins(tmp_path):
    result = _egov("demo", "--no-serve", tmp_path=tmp_path)
    assert result.returncode == 0, result.stderr[-2000:]
    assert "giamdoc.stp" in result.stdout and "ThaiNguyen@2026" in result.stdout
    assert "Sở Tư pháp" in result.stdout
    again = _egov("demo", "--no-serve", tmp_path=tmp_path)  # loading twice changes nothing
    assert again.returncode == 0
    check = _egov("check", tmp_path=tmp_path)
    assert check.returncode == 0, check.stdout + check.stderr
    assert json.loads(check.stdout.strip().splitlines()[-1])["status"] == "ok"
    verify = _egov("audit-verify", tmp_path=tmp_path)
    assert verify.returncode == 0, verify.stderr
    with sqlite3.connect(tmp_path / "egov.sqlite3") as db:
        [(entries,)] = db.execute("SELECT count(*) FROM audit_auditentry").fetchall()
    assert entries > 0  # the demo's accounts, agencies and procedures are all in the trail
    assert verify.stdout.strip().splitlines()[-1] == (  # nothing sealed yet: no server has run the sealer
        f"Nhật ký hệ thống nguyên vẹn: đã kiểm tra {entries} bản ghi, 0 bản ghi đã niêm phong trong 0 điểm niêm "
        f"phong, {entries} bản ghi ghi sau điểm niêm phong cuối.")
