"""Production mode refuses every demo secret published with the platform: ``egov check``
(``check --deploy``) reports it as an Error naming the variable, and ``egov serve`` and
``egov worker`` refuse to start. The embedded default keeps working with the demo values."""

import pytest
from django.core.checks import ERROR, Error
from django.core.exceptions import ImproperlyConfigured
from django.core.management import call_command
from django.core.management.base import SystemCheckError
from django.test import override_settings

from egov import cli
from egov.checks import production_errors

REDIS = {"default": {"BACKEND": "django.core.cache.backends.redis.RedisCache", "LOCATION": "redis://127.0.0.1:1/0"}}
REAL = {
    "PRODUCTION": True,
    "SECRET_KEY": "k3Jx9-vQ2pLr8sT0wYz4aB6cD1eF5gH7iJ9kL2mN4oP6qR8sT0uV2wX4yZ6aB8cD",
    "PAYMENT_SECRET": "f1e2d3c4b5a6978812345abcdef",
    "SMS_GATEWAY_URL": "https://sms.example.vn/send",
    "SMS_API_KEY": "live-api-key-7781",
    "SMS_SECRET_KEY": "live-secret-key-9912",
    "SMS_SIMULATOR_API_KEY": "",
    "SMS_SIMULATOR_SECRET_KEY": "",
    "SIGNING_TOKEN_PIN": "804417",
    "EGOV_SIMULATORS": False,
    "CACHES": REDIS,
    "EGOV_PUBLIC_URL": "https://dichvucong.example.gov.vn",
}
DEMO = {
    "PAYMENT_SECRET": "demo-payment-secret",
    "SMS_API_KEY": "demo-key",
    "SMS_SECRET_KEY": "demo-secret",
    "SIGNING_TOKEN_PIN": "1234",
    "SMS_SIMULATOR_API_KEY": "demo-key",
    "SMS_SIMULATOR_SECRET_KEY": "demo-secret",
}


def _errors(**overrides) -> list[Error]:
    with override_settings(**{**REAL, **overrides}):
        return production_errors()


def _named(errors, name: str) -> bool:
    return any(name in error.msg or name in (error.hint or "") for error in errors)


def test_a_production_installation_with_real_secrets_passes():
    assert _errors() == []


@pytest.mark.parametrize("name", sorted(DEMO))
def test_each_demo_secret_is_an_error_naming_its_variable_in_production(name):
    errors = _errors(**{name: DEMO[name]})
    assert len(errors) == 1 and errors[0].level == ERROR
    assert name in errors[0].msg and name in errors[0].hint


@pytest.mark.parametrize("name", ["PAYMENT_SECRET", "SIGNING_TOKEN_PIN"])
def test_secrets_always_in_use_must_be_set_in_production(name):
    assert _named(_errors(**{name: ""}), name)


def test_sms_keys_are_needed_only_when_sms_is_on():
    assert _errors(SMS_GATEWAY_URL="", SMS_API_KEY="", SMS_SECRET_KEY="") == []
    errors = _errors(SMS_API_KEY="", SMS_SECRET_KEY="")
    assert _named(errors, "SMS_API_KEY") and _named(errors, "SMS_SECRET_KEY")


@pytest.mark.parametrize("key", ["short-key", "django-insecure-" + "x" * 60, "a" * 80, "demo-secret-key" + "z" * 40])
def test_a_weak_or_demo_secret_key_is_an_error(key):
    assert _named(_errors(SECRET_KEY=key), "SECRET_KEY")


def test_a_public_url_without_https_is_reported_but_does_not_stop_the_server():
    from django.core.checks import WARNING, run_checks

    with override_settings(**{**REAL, "EGOV_PUBLIC_URL": "http://127.0.0.1:8000"}):
        assert production_errors() == []
        found = [m for m in run_checks(tags=["production"], include_deployment_checks=True) if m.id == "egov.W009"]
    assert len(found) == 1 and found[0].level == WARNING and "EGOV_PUBLIC_URL" in found[0].msg


def test_simulators_are_refused_in_production():
    assert _named(_errors(EGOV_SIMULATORS=True), "EGOV_SIMULATORS")


def test_a_cache_private_to_each_worker_is_refused_in_production():
    errors = _errors(CACHES={"default": {"BACKEND": "django.core.cache.backends.locmem.LocMemCache"}})
    assert _named(errors, "REDIS_URL")


def test_the_embedded_default_keeps_its_demo_values():
    with override_settings(PRODUCTION=False, **DEMO, EGOV_SIMULATORS=True):
        assert production_errors() == []


def test_check_deploy_reports_the_demo_payment_secret_as_an_error():
    with override_settings(**{**REAL, "PAYMENT_SECRET": "demo-payment-secret"}):
        with pytest.raises(SystemCheckError) as raised:
            call_command("check", "--deploy")
    assert "egov.E002" in str(raised.value) and "PAYMENT_SECRET" in str(raised.value)


@pytest.fixture
def no_start(monkeypatch):
    """Record what the CLI would run instead of migrating, serving or starting a worker."""
    started = []
    # Whatever `egov serve` puts in the environment for the processes it would start is undone.
    monkeypatch.setattr(cli.os, "environ", cli.os.environ.copy())
    monkeypatch.setattr(cli, "_manage", lambda *args: started.append(args))
    monkeypatch.setattr(cli.os, "execvp", lambda *args: started.append(args))
    from egov import demo_services
    from egov.celery import app

    # The demo's helper services (the test PKI's responder) are not started either: egov serve would
    # then run gunicorn as its child instead of replacing itself (tests/test_demo_services.py runs it).
    monkeypatch.setattr(demo_services, "start", lambda *args, **kwargs: [])

    monkeypatch.setattr(app, "worker_main", lambda argv: started.append(argv))
    return started


def test_egov_check_fails_and_names_the_variable(capsys):
    with override_settings(**{**REAL, "PAYMENT_SECRET": "demo-payment-secret"}):
        assert cli.main(["check"]) == 1
    assert "PAYMENT_SECRET" in capsys.readouterr().err


@pytest.mark.parametrize("argv", [["serve"], ["worker"]])
def test_serve_and_worker_refuse_to_start_with_a_demo_secret(argv, no_start, capsys):
    with override_settings(**{**REAL, "SIGNING_TOKEN_PIN": "1234"}):
        try:
            status = cli.main(argv)
        except SystemExit as exit_:
            status = exit_.code
    assert status == 1 and no_start == []
    assert "SIGNING_TOKEN_PIN" in capsys.readouterr().err


@pytest.mark.parametrize("argv", [["serve"], ["worker"]])
def test_serve_and_worker_start_with_real_secrets(argv, no_start):
    with override_settings(**REAL):
        cli.main(argv)
    assert no_start


def test_serve_starts_in_the_embedded_default_with_the_demo_values(no_start):
    with override_settings(PRODUCTION=False, **DEMO):
        cli.main(["serve"])
    assert no_start


def test_the_hsm_pin_has_no_silent_default_in_production(settings, monkeypatch):
    from signing import hsm

    monkeypatch.delenv("SIGNING_TOKEN_PIN", raising=False)
    settings.SIGNING_TOKEN_PIN = ""
    settings.PRODUCTION = True
    with pytest.raises(ImproperlyConfigured, match="SIGNING_TOKEN_PIN"):
        hsm.token_pin()
    settings.SIGNING_TOKEN_PIN = "804417"
    assert hsm.token_pin() == "804417"
    settings.PRODUCTION = False
    settings.SIGNING_TOKEN_PIN = ""
    assert hsm.token_pin() == "1234"


def test_egov_check_exits_non_zero_in_production_with_the_demo_payment_secret(tmp_path):
    """The reported case, end to end: EGOV_PRODUCTION=1 and PAYMENT_SECRET left at its demo value."""
    import base64
    import os
    import secrets
    import subprocess
    import sys
    from pathlib import Path

    env = {key: value for key, value in os.environ.items()
           if not key.startswith(("EGOV_", "PAYMENT_", "SMS_", "SIGNING_", "SECRET_KEY", "REDIS_URL", "DATABASE_URL",
                                  "DATA_"))}
    env.update(EGOV_PRODUCTION="1", SECRET_KEY=secrets.token_urlsafe(64), EGOV_VAR_DIR=str(tmp_path),
               DATABASE_URL=f"sqlite:///{tmp_path / 'db.sqlite3'}", REDIS_URL="redis://127.0.0.1:6379/7",
               SIGNING_TOKEN_PIN="804417", PAYMENT_SECRET="demo-payment-secret",
               DATA_ENCRYPTION_KEYS=base64.urlsafe_b64encode(os.urandom(32)).decode(),
               DATA_LOOKUP_KEY=secrets.token_urlsafe(48))
    egov = Path(sys.executable).parent / "egov"
    done = subprocess.run([str(egov), "check"], cwd=Path(__file__).resolve().parent.parent, env=env,
                          capture_output=True, text=True, timeout=120)
    assert done.returncode == 1, done.stdout + done.stderr
    assert "egov.E002" in done.stderr and "PAYMENT_SECRET" in done.stderr
