"""Personal data at rest (Law 91/2025/QH15; Decree 13/2023/NĐ-CP art. 26): identification numbers, phones
and addresses are stored encrypted, found by a keyed hash, readable only with keys kept outside the
database, and re-encrypted when the key changes (ADR 0050)."""

import base64
import os
import secrets
import subprocess
import sys
import time
from pathlib import Path

import pytest
from cryptography.fernet import Fernet
from django.apps import apps
from django.core.exceptions import FieldError, ValidationError
from django.core.management import call_command
from django.db import connection
from django.test import override_settings

from accounts.models import PortalProfile
from dossiers import selectors
from dossiers.models import Dossier
from egov import crypto
from egov.checks import production_errors
from tests.dossier_scenarios import birth_procedure, submitted

CITIZEN = "congdan@example.vn"
NUMBER, PHONE, ADDRESS = "006190001234", "0912345678", "Tổ 1, phường Đức Xuân"  # the demo citizen's profile
OLD, NEW = Fernet.generate_key().decode(), Fernet.generate_key().decode()


def _raw(model, pk, *fields) -> tuple:
    """The row as the database holds it, read past the ORM."""
    meta = model._meta
    columns = ", ".join(connection.ops.quote_name(meta.get_field(name).column) for name in fields)
    with connection.cursor() as cursor:
        cursor.execute(f"SELECT {columns} FROM {connection.ops.quote_name(meta.db_table)} "  # noqa: S608 - test
                       f"WHERE {connection.ops.quote_name(meta.pk.column)} = %s", [pk])
        return cursor.fetchone()


def _encrypted_columns():
    for model in apps.get_models():
        for field in model._meta.concrete_fields:
            if isinstance(field, crypto.EncryptedTextField):
                yield model, field


@pytest.fixture
def dossier(demo):
    return submitted(demo, birth_procedure(demo))


@pytest.fixture
def installed(settings):
    """The installation's keys (the demo's rows are encrypted under them)."""
    return list(settings.DATA_ENCRYPTION_KEYS)


# --- What the database holds -----------------------------------------------------------------

def test_the_database_holds_no_clear_identification_number_phone_or_address(dossier):
    profile = dossier.applicant.profile
    stored = _raw(PortalProfile, profile.pk, "id_number", "phone", "address")
    stored += _raw(Dossier, dossier.pk, "applicant_id_number", "applicant_phone", "applicant_address")
    assert all(value.startswith("gAAAAA") for value in stored), stored  # Fernet tokens
    assert not any(clear in value for value in stored for clear in (NUMBER, PHONE, ADDRESS, "Đức Xuân"))


def test_every_encrypted_column_of_every_table_holds_only_ciphertext(dossier):
    seen = 0
    for model, field in _encrypted_columns():
        quote = connection.ops.quote_name
        with connection.cursor() as cursor:
            cursor.execute(f"SELECT {quote(field.column)} FROM {quote(model._meta.db_table)} "  # noqa: S608 - test
                           f"WHERE {quote(field.column)} <> ''")
            for (value,) in cursor.fetchall():
                crypto.decrypt(value)  # a clear value is not a token: it would raise
                seen += 1
    assert seen >= 6  # the demo profile and the dossier: number, phone, address each


def test_the_application_reads_them_back(dossier):
    again = Dossier.objects.get(pk=dossier.pk)
    assert (again.applicant_id_number, again.applicant_phone, again.applicant_address) == (NUMBER, PHONE, ADDRESS)
    assert Dossier.objects.filter(pk=dossier.pk).values("applicant_id_number").get() == {
        "applicant_id_number": NUMBER}
    assert PortalProfile.objects.get(pk=dossier.applicant.profile.pk).address == ADDRESS


def test_an_empty_value_stays_empty_and_can_still_be_asked_for(dossier):
    assert _raw(Dossier, dossier.pk, "representative_phone") == ("",)
    assert Dossier.objects.filter(pk=dossier.pk, representative_phone="").exists()


# --- Found by a keyed hash -------------------------------------------------------------------

def test_a_profile_is_found_by_the_keyed_hash_of_its_number_however_it_is_typed(demo):
    profile = demo.users[CITIZEN].profile
    assert PortalProfile.objects.get(id_number_hash=crypto.lookup_hash("id-number", "006 190 001 234")) == profile
    assert _raw(PortalProfile, profile.pk, "id_number_hash") == (crypto.lookup_hash("id-number", NUMBER),)


def test_the_national_portals_dossier_finds_the_citizens_account_by_the_hash(demo):
    from nationalsync.inbound import applicant_account

    assert applicant_account({"soDinhDanh": NUMBER, "hoTen": "Nguyễn Thị Hồng"}) == demo.users[CITIZEN]


def test_the_office_finds_a_dossier_by_the_applicants_whole_number(dossier):
    assert list(Dossier.objects.filter(selectors.search_q(NUMBER))) == [dossier]
    assert not Dossier.objects.filter(selectors.search_q(NUMBER[:-1] + "9")).exists()


def test_a_population_lookup_and_the_profile_share_one_keyed_hash(demo):
    from national.consent import id_hash

    assert id_hash(NUMBER) == demo.users[CITIZEN].profile.id_number_hash != ""


def test_a_phone_typed_in_the_international_form_hashes_as_the_national_one(settings):
    assert crypto.lookup_hash("phone", "+84 912 345 678") == crypto.lookup_hash("phone", PHONE)
    before = crypto.lookup_hash("phone", PHONE)
    settings.DATA_LOOKUP_KEY = secrets.token_urlsafe(48)
    assert crypto.lookup_hash("phone", PHONE) != before  # without the key, no way back or across


def test_one_subscription_per_address_kept_by_its_hash(db):
    from support import campaigns

    first = campaigns.subscribe(channel="sms", address=PHONE, consent_text="Tôi đồng ý", consent=True)
    again = campaigns.subscribe(channel="sms", address="+84912345678", consent_text="Tôi đồng ý", consent=True)
    assert again.pk == first.pk and _raw(type(first), first.pk, "address")[0].startswith("gAAAAA")


def test_asking_for_an_encrypted_value_by_equality_is_refused_not_silently_empty(db):
    with pytest.raises(FieldError, match="keyed hash"):
        list(PortalProfile.objects.filter(id_number=NUMBER))
    with pytest.raises(FieldError):
        list(Dossier.objects.filter(applicant_phone__icontains="0912"))


def test_saving_the_number_without_its_hash_is_refused(demo):
    profile = demo.users[CITIZEN].profile
    profile.id_number = "001099012345"
    with pytest.raises(ValueError, match="id_number_hash"):
        profile.save(update_fields=["id_number"])
    profile.save(update_fields=["id_number", "id_number_hash"])
    assert PortalProfile.objects.get(id_number_hash=crypto.lookup_hash("id-number", "001099012345")) == profile


def test_the_clear_value_is_still_limited_to_its_length(demo):
    profile = demo.users[CITIZEN].profile
    profile.id_number = "0" * 13
    with pytest.raises(ValidationError) as raised:
        profile.full_clean()
    assert "id_number" in raised.value.message_dict
    field = PortalProfile._meta.get_field("id_number").formfield()
    assert field.max_length == 12 and field.widget.input_type == "text"


# --- Keys and rotation -----------------------------------------------------------------------

def test_a_wrong_key_fails_loudly_naming_the_field(dossier, settings):
    settings.DATA_ENCRYPTION_KEYS = [NEW]
    with pytest.raises(crypto.DecryptionError, match="dossiers.Dossier.applicant_"):
        Dossier.objects.get(pk=dossier.pk)


def test_an_altered_value_is_refused(dossier):
    token = _raw(Dossier, dossier.pk, "applicant_phone")[0]
    forged = token[:-8] + ("A" if token[-8] != "A" else "B") + token[-7:]
    with connection.cursor() as cursor:
        cursor.execute("UPDATE dossiers_dossier SET applicant_phone = %s WHERE id = %s", [forged, dossier.pk])
    with pytest.raises(crypto.DecryptionError):
        Dossier.objects.get(pk=dossier.pk)


def test_a_row_encrypted_under_an_old_key_reads_after_a_new_key_is_put_first(settings, installed, dossier):
    settings.DATA_ENCRYPTION_KEYS = [OLD, *installed]
    Dossier.objects.filter(pk=dossier.pk).update(applicant_phone=PHONE)  # written under OLD
    settings.DATA_ENCRYPTION_KEYS = [NEW, OLD, *installed]
    assert Dossier.objects.get(pk=dossier.pk).applicant_phone == PHONE
    Dossier.objects.filter(pk=dossier.pk).update(applicant_address=ADDRESS)  # new writes: under NEW
    assert Fernet(NEW.encode()).decrypt(_raw(Dossier, dossier.pk, "applicant_address")[0].encode()).decode() == ADDRESS


def test_reencrypt_moves_everything_to_the_new_key_and_the_old_ones_can_go(settings, installed, dossier, capsys):
    settings.DATA_ENCRYPTION_KEYS = [OLD, *installed]
    profile = dossier.applicant.profile
    profile.save()  # under OLD; the dossier and the rest of the demo under the installation's key
    settings.DATA_ENCRYPTION_KEYS = [NEW, OLD, *installed]
    call_command("reencrypt")
    out = capsys.readouterr().out
    assert "accounts.PortalProfile: rows=" in out and "total: rows=" in out
    token = _raw(PortalProfile, profile.pk, "id_number")[0]
    assert Fernet(NEW.encode()).decrypt(token.encode()).decode() == NUMBER
    settings.DATA_ENCRYPTION_KEYS = [NEW]
    assert PortalProfile.objects.get(pk=profile.pk).id_number == NUMBER
    assert Dossier.objects.get(pk=dossier.pk).applicant_address == ADDRESS
    call_command("reencrypt")  # again: nothing left to do
    assert "re-encrypted=0 re-hashed=0 seconds=" in capsys.readouterr().out.splitlines()[-1]


def test_reencrypt_recomputes_the_hashes_under_a_new_lookup_key(demo, settings):
    profile = demo.users[CITIZEN].profile
    settings.DATA_LOOKUP_KEY = secrets.token_urlsafe(48)
    assert not PortalProfile.objects.filter(id_number_hash=crypto.lookup_hash("id-number", NUMBER)).exists()
    call_command("reencrypt")
    assert PortalProfile.objects.get(id_number_hash=crypto.lookup_hash("id-number", NUMBER)) == profile


def test_the_migration_encrypts_clear_rows_and_reverses(dossier):
    """The data migration of each app, run on a row as it was before encryption."""
    from django.apps import apps as global_apps

    class Editor:
        pass

    editor = Editor()
    editor.connection = connection
    with connection.cursor() as cursor:
        cursor.execute("UPDATE dossiers_dossier SET applicant_id_number = %s, applicant_phone = %s, "
                       "applicant_id_number_hash = '' WHERE id = %s", [NUMBER, PHONE, dossier.pk])
    operation = crypto.migration("dossiers.Dossier")
    operation.code(global_apps, editor)
    stored = _raw(Dossier, dossier.pk, "applicant_id_number", "applicant_phone", "applicant_id_number_hash")
    assert stored[0].startswith("gAAAAA") and stored[1].startswith("gAAAAA")
    assert stored[2] == crypto.lookup_hash("id-number", NUMBER)
    assert Dossier.objects.get(pk=dossier.pk).applicant_phone == PHONE
    operation.reverse_code(global_apps, editor)
    assert _raw(Dossier, dossier.pk, "applicant_id_number", "applicant_phone") == (NUMBER, PHONE)


# --- Production -------------------------------------------------------------------------------

@pytest.mark.parametrize(("name", "value"), [
    ("DATA_ENCRYPTION_KEYS", ["not-a-fernet-key"]), ("DATA_ENCRYPTION_KEYS", []),
    ("DATA_LOOKUP_KEY", "short"), ("DATA_LOOKUP_KEY", ""),
])
def test_production_reports_a_missing_or_malformed_key(name, value):
    from tests.test_production_secrets import REAL

    with override_settings(**{**REAL, name: value}):
        errors = production_errors()
    assert [error.id for error in errors] == ["egov.E010"] and name in errors[0].msg


def test_production_refuses_to_start_without_the_keys(tmp_path):
    base = {key: value for key, value in os.environ.items()
            if not key.startswith(("EGOV_", "DATA_", "SECRET_KEY", "DATABASE_URL", "REDIS_URL"))}
    base.update(EGOV_PRODUCTION="1", SECRET_KEY=secrets.token_urlsafe(64), EGOV_VAR_DIR=str(tmp_path),
                DATABASE_URL=f"sqlite:///{tmp_path / 'db.sqlite3'}", REDIS_URL="redis://127.0.0.1:6379/7")
    egov = Path(sys.executable).parent / "egov"
    root = Path(__file__).resolve().parent.parent
    for missing in ("DATA_ENCRYPTION_KEYS", "DATA_LOOKUP_KEY"):
        env = {**base, "DATA_ENCRYPTION_KEYS": base64.urlsafe_b64encode(os.urandom(32)).decode(),
               "DATA_LOOKUP_KEY": secrets.token_urlsafe(48)}
        del env[missing]
        done = subprocess.run([str(egov), "check"], cwd=root, env=env, capture_output=True, text=True, timeout=120)
        assert done.returncode != 0 and f"{missing} must be set in production mode" in done.stderr, done.stderr
    assert not list(tmp_path.glob("data_*"))  # no key generated as a fallback


# --- Cost ------------------------------------------------------------------------------------

def test_encrypting_and_decrypting_a_field_costs_microseconds(capsys):
    rounds = 2000
    started = time.perf_counter()
    tokens = [crypto.encrypt(ADDRESS) for _ in range(rounds)]
    encrypted = time.perf_counter()
    for token in tokens:
        crypto.decrypt(token)
    decrypted = time.perf_counter()
    for _ in range(rounds):
        crypto.lookup_hash("id-number", NUMBER)
    hashed = time.perf_counter()
    per = {name: (end - start) / rounds * 1e6 for name, start, end in (
        ("encrypt", started, encrypted), ("decrypt", encrypted, decrypted), ("lookup_hash", decrypted, hashed))}
    with capsys.disabled():
        print("\n" + " ".join(f"{name}={value:.1f}µs" for name, value in per.items()) + " per field")
    assert all(value < 1000 for value in per.values())
