"""What bench/cluster.py keeps between runs, because making it again takes minutes on a small
machine: the collected static files (while no static file changes), and the migrated database with
the demo (once per state of the migrations; without signing, whose keys live in files), restored
with the keys its personal data was encrypted under."""

from __future__ import annotations

import hashlib
import json
import os
import subprocess
from pathlib import Path

BASE_DIR = Path(__file__).resolve().parent.parent
# The keys the demo's data depends on: kept with a saved template of the database.
TEMPLATE_KEYS = ("SECRET_KEY", "AUDIT_SEAL_KEY", "DATA_ENCRYPTION_KEYS", "DATA_LOOKUP_KEY")


def static_root() -> Path:
    """The folder of the collected static files for the static files as they are now."""
    digest = hashlib.sha256()
    for folder in sorted(BASE_DIR.glob("*/static")):
        for path in sorted(folder.rglob("*")):
            if path.is_file():
                stat = path.stat()
                digest.update(f"{path}:{stat.st_size}:{stat.st_mtime_ns}".encode())
    return BASE_DIR / "var" / "cluster-static" / digest.hexdigest()[:16]


def _paths(signing: bool) -> tuple[Path, Path] | None:
    if signing:
        return None
    digest = hashlib.sha256()
    for path in sorted([*BASE_DIR.glob("*/migrations/*.py"), BASE_DIR / "directory" / "demo.py"]):
        digest.update(path.read_bytes())
    folder = BASE_DIR / "var" / "cluster-templates"
    return folder / f"{digest.hexdigest()[:16]}.dump", folder / f"{digest.hexdigest()[:16]}.json"


def restore(*, signing: bool, pg_bin: Path, url: str, env: dict[str, str]) -> bool:
    """Restore the saved database into ``url`` and its keys into ``env``; False if there is none."""
    paths = _paths(signing)
    if paths is None or not paths[0].exists() or not paths[1].exists():
        return False
    env.update(json.loads(paths[1].read_text()))
    done = subprocess.run([str(pg_bin / "pg_restore"), "--no-owner", "-d", url, str(paths[0])],
                          capture_output=True, text=True, timeout=300)
    if done.returncode:
        raise RuntimeError(f"pg_restore: {done.stderr[-2000:]}")
    return True


def save(*, signing: bool, pg_bin: Path, url: str, env: dict[str, str]) -> None:
    """Dump the database at ``url`` with its keys; forget the dumps of earlier migrations."""
    paths = _paths(signing)
    if paths is None:
        return
    paths[0].parent.mkdir(parents=True, exist_ok=True)
    draft = paths[0].with_suffix(f".{os.getpid()}")
    done = subprocess.run([str(pg_bin / "pg_dump"), "-Fc", "-f", str(draft), url], capture_output=True, text=True,
                          timeout=300)
    if done.returncode:
        draft.unlink(missing_ok=True)
        return
    descriptor = os.open(paths[1], os.O_WRONLY | os.O_CREAT | os.O_TRUNC, 0o600)
    with os.fdopen(descriptor, "w") as output:
        json.dump({name: env[name] for name in TEMPLATE_KEYS}, output)
    draft.rename(paths[0])
    for old in paths[0].parent.iterdir():
        if old not in paths and old.suffix in (".dump", ".json"):
            old.unlink(missing_ok=True)
