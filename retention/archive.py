"""Archive packages (gói lưu trữ): one tar per record in the archive storage, never in the platform's
own file storage (whose orphan sweep deletes what no row names).

A package holds ``manifest.json`` (format, kind, record, policy and legal basis, time, and the size
and SHA-256 of every member, as ``egov backup`` does), ``record.json`` (the rows) and
``files/<name>`` (the stored files the rows name). Its name is fixed by the record, so a run that
stopped half-way writes the same package again instead of leaving a second one.
"""

from __future__ import annotations

import hashlib
import io
import json
import tarfile
from dataclasses import dataclass

from django.core.files.base import ContentFile
from django.core.files.storage import default_storage, storages
from django.core.serializers.json import DjangoJSONEncoder
from django.utils import timezone

FORMAT = 1
STORAGE = "retention"  # settings.STORAGES["retention"]


class PackageError(Exception):
    pass


@dataclass(frozen=True)
class Package:
    name: str
    sha256: str
    size: int


def archive_storage():
    return storages[STORAGE]


def _member(bundle: tarfile.TarFile, name: str, body: bytes, manifest: list[dict]) -> None:
    info = tarfile.TarInfo(name)
    info.size = len(body)
    info.mtime = int(timezone.now().timestamp())
    info.mode = 0o600
    bundle.addfile(info, io.BytesIO(body))
    manifest.append({"name": name, "size": len(body), "sha256": hashlib.sha256(body).hexdigest()})


def _json(value) -> bytes:
    return json.dumps(value, cls=DjangoJSONEncoder, ensure_ascii=False, indent=1, sort_keys=True).encode()


def write(*, name: str, header: dict, record: dict, files: dict[str, str]) -> Package:
    """Write the package ``name``: ``record`` as JSON and ``files`` ({member name: stored name in the
    default storage}); read it back and check it before returning. A stored file that is missing
    fails the package: nothing is removed from the live copy then."""
    members: list[dict] = []
    buffer = io.BytesIO()
    with tarfile.open(fileobj=buffer, mode="w") as bundle:
        _member(bundle, "record.json", _json(record), members)
        for member, stored in sorted(files.items()):
            if not stored or not default_storage.exists(stored):
                raise PackageError(f"stored file missing: {member}")
            with default_storage.open(stored, "rb") as handle:
                _member(bundle, f"files/{member}", handle.read(), members)
        _member(bundle, "manifest.json", _json({"format": FORMAT, **header, "members": members}), [])
    body = buffer.getvalue()
    digest = hashlib.sha256(body).hexdigest()
    storage = archive_storage()
    if storage.exists(name):  # left by a run that stopped before recording it
        storage.delete(name)
    saved = storage.save(name, ContentFile(body))
    if saved != name:
        raise PackageError(f"archive storage renamed {name} to {saved}")
    check(name, digest)
    return Package(name=name, sha256=digest, size=len(body))


def check(name: str, sha256: str) -> dict:
    """Read the package back: its checksum, then every member's against the manifest. Its manifest."""
    with archive_storage().open(name, "rb") as handle:
        body = handle.read()
    if hashlib.sha256(body).hexdigest() != sha256:
        raise PackageError(f"package {name} does not match its checksum")
    with tarfile.open(fileobj=io.BytesIO(body), mode="r") as bundle:
        manifest = json.loads(bundle.extractfile("manifest.json").read())  # type: ignore[union-attr]
        for member in manifest["members"]:
            content = bundle.extractfile(member["name"]).read()  # type: ignore[union-attr]
            if hashlib.sha256(content).hexdigest() != member["sha256"]:
                raise PackageError(f"package {name}: member {member['name']} does not match the manifest")
    return manifest


def read_record(name: str) -> dict:
    with archive_storage().open(name, "rb") as handle, tarfile.open(fileobj=io.BytesIO(handle.read())) as bundle:
        return json.loads(bundle.extractfile("record.json").read())  # type: ignore[union-attr]
