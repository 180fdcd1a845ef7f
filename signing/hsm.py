"""PKCS#11 access to the signing keys (mô-đun bảo mật phần cứng, HSM).

Private keys never leave the token and never enter the database; the database keeps only the
token and key labels (:class:`signing.models.SigningKey`). A process keeps one logged-in session
per token open (opening a session and logging in costs more than a signature); access to a
session is serialised by a lock because PKCS#11 sessions are not thread-safe.

In development, the demo and the tests the token is a SoftHSM2 token under ``var/softhsm/``
(``SOFTHSM2_CONF`` names its configuration; :func:`softhsm_init` creates it).
"""

from __future__ import annotations

import json
import os
import subprocess
import threading
from pathlib import Path

from django.conf import settings

DEFAULT_MODULE = "/usr/lib/softhsm/libsofthsm2.so"

_lock = threading.RLock()
_lib = None
_sessions: dict[str, object] = {}
_session_locks: dict[str, threading.RLock] = {}


def module_path() -> str:
    return getattr(settings, "SIGNING_PKCS11_MODULE", DEFAULT_MODULE)


DEMO_PIN = "1234"  # SoftHSM2 token of the demo and the tests only


def token_pin() -> str:
    """The token's user PIN. The demo PIN stands in only outside production mode: in production
    a missing PIN is an error, never a silent "1234" (egov/checks.py refuses it at start too)."""
    pin = str(getattr(settings, "SIGNING_TOKEN_PIN", None) or os.environ.get("SIGNING_TOKEN_PIN", ""))
    if pin:
        return pin
    if getattr(settings, "PRODUCTION", False):
        from django.core.exceptions import ImproperlyConfigured

        raise ImproperlyConfigured("SIGNING_TOKEN_PIN must be set in production mode")
    return DEMO_PIN


def _library():
    global _lib
    with _lock:
        if _lib is None:
            import pkcs11

            conf = Path(getattr(settings, "SIGNING_SOFTHSM_DIR", Path(settings.BASE_DIR) / "var" / "softhsm"))
            if "SOFTHSM2_CONF" not in os.environ and (conf / "softhsm2.conf").exists():
                os.environ["SOFTHSM2_CONF"] = str(conf / "softhsm2.conf")

            _lib = pkcs11.lib(module_path())
        return _lib


def session(token_label: str):
    """The process's open, logged-in session on ``token_label``."""
    with _lock:
        found = _sessions.get(token_label)
        if found is None:
            token = _library().get_token(token_label=token_label)
            found = _sessions[token_label] = token.open(user_pin=token_pin(), rw=False)
            _session_locks[token_label] = threading.RLock()
        return found


def session_lock(token_label: str) -> threading.RLock:
    session(token_label)
    return _session_locks[token_label]


def close_all() -> None:
    """Close the cached sessions (tests, shutdown)."""
    with _lock:
        for opened in _sessions.values():
            try:
                opened.close()
            except Exception:  # noqa: BLE001, S110 - closing is best effort
                pass
        _sessions.clear()
        _session_locks.clear()


# --- SoftHSM2 (development, demo, tests) ------------------------------------------------------------

def softhsm_config(directory: Path | str) -> Path:
    """Write ``directory/softhsm2.conf`` (tokens in ``directory/tokens``), point ``SOFTHSM2_CONF``
    at it for this process and return its path."""
    directory = Path(directory)
    (directory / "tokens").mkdir(parents=True, exist_ok=True)
    conf = directory / "softhsm2.conf"
    conf.write_text(f"directories.tokendir = {directory / 'tokens'}\nobjectstore.backend = file\n"
                    "log.level = ERROR\nslots.removable = false\n", encoding="utf-8")
    os.environ["SOFTHSM2_CONF"] = str(conf)
    return conf


def _softhsm(*args: str) -> str:
    done = subprocess.run(["softhsm2-util", *args], capture_output=True, text=True, env=os.environ.copy())
    if done.returncode != 0:
        raise RuntimeError(f"softhsm2-util {args[0]} failed: {done.stderr.strip() or done.stdout.strip()}")
    return done.stdout


def token_exists(token_label: str) -> bool:
    return f"Label:            {token_label}" in _softhsm("--show-slots")


def softhsm_init(directory: Path | str, *, token_label: str, pin: str, so_pin: str,
                 keys: dict[str, Path]) -> None:
    """Create the SoftHSM2 token ``token_label`` in ``directory`` (if missing) and import each
    PKCS#8 PEM key of ``keys`` (key label -> file) that the token does not hold yet."""
    softhsm_config(directory)
    if not token_exists(token_label):
        _softhsm("--init-token", "--free", "--label", token_label, "--pin", pin, "--so-pin", so_pin)
    marker = Path(directory) / f"{token_label}.imported.json"
    held = set(json.loads(marker.read_text(encoding="utf-8"))) if marker.exists() else set()
    for index, (label, path) in enumerate(sorted(keys.items()), start=1):
        if label in held:
            continue
        _softhsm("--import", str(path), "--token", token_label, "--label", label,
                 "--id", f"{index:04x}", "--pin", pin)
        held.add(label)
    marker.write_text(json.dumps(sorted(held)), encoding="utf-8")


def key_labels(token_label: str, pin: str) -> set[str]:
    from pkcs11 import Attribute, ObjectClass

    token = _library().get_token(token_label=token_label)
    with token.open(user_pin=pin) as opened:
        return {obj[Attribute.LABEL] for obj in opened.get_objects({Attribute.CLASS: ObjectClass.PRIVATE_KEY})}
