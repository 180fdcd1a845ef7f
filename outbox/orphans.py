"""Files in storage that nothing references (tệp mồ côi).

A file is written to storage before the row that references it is committed; a process killed
in between (kill -9, power cut) leaves the file behind, referenced by nothing, and cleaning up on
exceptions (``dossiers.uploads.StoredFiles``) cannot help with that. This sweep lists the
default storage (a local folder, or an S3 bucket, through Django's storage API), and deletes
every file older than ``ORPHAN_FILE_GRACE_HOURS`` (24 by default: a submission in progress is
never that old) that no ``FileField`` of any installed model references.

Everything in the default storage belongs to a ``FileField``: files written there by other means
would be deleted, so nothing else may write there.
"""

import dataclasses
import datetime as dt
import logging
import posixpath
from collections.abc import Iterator

from django.apps import apps
from django.conf import settings
from django.core.files.storage import default_storage
from django.db import models
from django.utils import timezone

logger = logging.getLogger(__name__)

BATCH = 500


@dataclasses.dataclass
class Report:
    dry_run: bool
    checked: int = 0  # files old enough to be considered
    orphans: list[str] = dataclasses.field(default_factory=list)
    deleted: int = 0


def grace() -> dt.timedelta:
    return dt.timedelta(hours=getattr(settings, "ORPHAN_FILE_GRACE_HOURS", 24))


def file_fields(storage) -> list[tuple[type[models.Model], str]]:
    """Every (model, field name) whose files live in ``storage``."""
    found = []
    for model in apps.get_models():
        for field in model._meta.concrete_fields:
            if isinstance(field, models.FileField) and _same(field.storage, storage):
                found.append((model, field.name))
    return found


def _same(one, other) -> bool:
    # default_storage is a lazy proxy: compare what it wraps too.
    return one is other or getattr(one, "_wrapped", one) is getattr(other, "_wrapped", other)


def stored_names(storage, path: str = "") -> Iterator[str]:
    try:
        directories, files = storage.listdir(path)
    except FileNotFoundError:  # nothing stored yet
        return
    for name in sorted(files):
        yield posixpath.join(path, name) if path else name
    for directory in sorted(directories):
        yield from stored_names(storage, posixpath.join(path, directory) if path else directory)


def _referenced(fields, names: list[str]) -> set[str]:
    referenced: set[str] = set()
    for model, field in fields:
        referenced.update(model._base_manager.filter(**{f"{field}__in": names}).values_list(field, flat=True))
    return referenced


def sweep(*, dry_run: bool = False, storage=None, now: dt.datetime | None = None) -> Report:
    """Find (and unless ``dry_run``, delete) the orphan files older than the grace period."""
    storage = storage or default_storage
    cutoff = (now or timezone.now()) - grace()
    fields = file_fields(storage)
    report = Report(dry_run=dry_run)
    batch: list[str] = []

    def settle() -> None:
        referenced = _referenced(fields, batch)
        for name in batch:
            if name in referenced:
                continue
            report.orphans.append(name)
            if not dry_run:
                storage.delete(name)
                report.deleted += 1
        batch.clear()

    for name in stored_names(storage):
        if storage.get_modified_time(name) >= cutoff:
            continue  # may belong to a transaction still in progress
        report.checked += 1
        batch.append(name)
        if len(batch) >= BATCH:
            settle()
    settle()
    logger.info("orphan files swept", extra={"checked": report.checked, "orphans": len(report.orphans),
                                             "deleted": report.deleted, "dry_run": dry_run})
    return report
