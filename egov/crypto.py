"""Personal data encrypted at rest, and keyed hashes to find it (docs/decisions/0050).

The Law on Personal Data Protection (91/2025/QH15; Decree 13/2023/NĐ-CP art. 26 before it) asks the
controller to protect personal data with technical measures. Identification numbers, phone numbers
and addresses are therefore stored encrypted (:class:`EncryptedTextField`: Fernet, AES-128-CBC with an
HMAC-SHA256 tag, so a changed or foreign value is refused, never read as something else), and where
rows are looked up by such a value, a keyed hash of it sits beside it (:class:`LookupHashField`,
:func:`lookup_hash`, the one door for keyed hashes of personal data).

Keys live outside the database (``DATA_ENCRYPTION_KEYS``, ``DATA_LOOKUP_KEY``; egov/settings.py). The
first encryption key encrypts, every listed key decrypts: a new key is put first, ``egov reencrypt``
rewrites every value under it, then the old key is removed.

Empty values stay empty (nothing to protect, and "no phone given" stays queryable). Encryption
happens per field when a row is written and decryption when it is read: no query is added.
"""

from __future__ import annotations

import functools
import hashlib
import hmac
import re
import unicodedata
from collections.abc import Iterator, Sequence
from typing import Any

from cryptography.fernet import Fernet, InvalidToken, MultiFernet
from django.conf import settings
from django.core.exceptions import FieldError, ImproperlyConfigured
from django.core.validators import MaxLengthValidator
from django.db import models, transaction
from django.db.models.lookups import Exact
from django.db.models.signals import pre_save


class DecryptionError(RuntimeError):
    """A stored value none of the configured keys opens: a wrong or missing key, or an altered value.
    Never answered with an empty value, which would look like data that was never given."""


# --- Keys ------------------------------------------------------------------------------------

def _configured_keys() -> tuple[str, ...]:
    keys = tuple(key.strip() for key in getattr(settings, "DATA_ENCRYPTION_KEYS", ()) or () if key.strip())
    if not keys:
        raise ImproperlyConfigured("DATA_ENCRYPTION_KEYS is not set: personal data cannot be encrypted or read.")
    return keys


@functools.lru_cache(maxsize=8)
def _fernets(keys: tuple[str, ...]) -> tuple[MultiFernet, Fernet]:
    try:
        each = [Fernet(key.encode()) for key in keys]
    except ValueError as error:  # not 32 url-safe base64-encoded bytes
        raise ImproperlyConfigured(f"DATA_ENCRYPTION_KEYS holds a key that is not a Fernet key: {error}") from None
    return MultiFernet(each), each[0]


def _lookup_key() -> bytes:
    key = str(getattr(settings, "DATA_LOOKUP_KEY", "") or "")
    if not key:
        raise ImproperlyConfigured("DATA_LOOKUP_KEY is not set: personal data cannot be looked up.")
    return key.encode()


def check_keys() -> list[str]:
    """What is wrong with the configured keys (for the system checks), empty when they are usable."""
    problems = []
    try:
        _fernets(_configured_keys())
    except ImproperlyConfigured as error:
        problems.append(str(error))
    lookup = str(getattr(settings, "DATA_LOOKUP_KEY", "") or "")
    if len(lookup) < 32:
        problems.append("DATA_LOOKUP_KEY is missing or shorter than 32 characters.")
    elif lookup == settings.SECRET_KEY:
        problems.append("DATA_LOOKUP_KEY is the SECRET_KEY: rotating SECRET_KEY would break every look-up.")
    return problems


# --- Values ----------------------------------------------------------------------------------

def encrypt(text: str) -> str:
    return _fernets(_configured_keys())[0].encrypt(text.encode()).decode("ascii")


def decrypt(token: str, *, where: str = "") -> str:
    try:
        return _fernets(_configured_keys())[0].decrypt(token.encode("ascii")).decode()
    except (InvalidToken, UnicodeError):
        raise DecryptionError(
            f"{where or 'a value'} cannot be decrypted with DATA_ENCRYPTION_KEYS "
            "(wrong or missing key, or the stored value was altered).") from None


def is_current(token: str) -> bool:
    """Whether ``token`` is encrypted under the first (current) key."""
    try:
        _fernets(_configured_keys())[1].decrypt(token.encode("ascii"))
    except InvalidToken:
        return False
    return True


def rotate(token: str, *, where: str = "") -> str:
    """``token`` re-encrypted under the current key (a token already under it is returned as is)."""
    if is_current(token):
        return token
    try:
        return _fernets(_configured_keys())[0].rotate(token.encode("ascii")).decode("ascii")
    except InvalidToken:
        raise DecryptionError(f"{where or 'a value'} cannot be decrypted with DATA_ENCRYPTION_KEYS.") from None


_NOT_DIGIT = re.compile(r"\D")
_SPACES = re.compile(r"\s+")


def normalise(kind: str, value: str) -> str:
    """The form a value is hashed in, so that the same number typed differently finds the same row:
    digits only for identification numbers, digits in the national form (0…, not +84…) for phones,
    Unicode NFC, single spaces and case-folded for anything else (addresses, e-mail)."""
    value = unicodedata.normalize("NFC", str(value or "")).strip()
    if kind == "id-number":
        return _NOT_DIGIT.sub("", value)
    if kind == "phone":
        digits = _NOT_DIGIT.sub("", value)
        return "0" + digits[2:] if digits.startswith("84") and len(digits) > 9 else digits
    return _SPACES.sub(" ", value).casefold()


def lookup_hash(kind: str, value: str) -> str:
    """A keyed hash (HMAC-SHA256 with ``DATA_LOOKUP_KEY``) of ``value`` normalised as ``kind``: equal
    values give equal hashes, and without the key nobody goes back from a hash to the value, not even by
    trying every possible number (there are only 10¹² identification numbers). Empty for an empty value."""
    clear = normalise(kind, value)
    if not clear:
        return ""
    return hmac.new(_lookup_key(), f"{kind}\x00{clear}".encode(), hashlib.sha256).hexdigest()


# --- Model fields ----------------------------------------------------------------------------

class _EmptyOnlyExact(Exact):
    """``field=""`` still works (who gave no phone); any other equality on a ciphertext would silently
    find nothing, so it is refused."""

    def get_prep_lookup(self) -> Any:
        if self.rhs not in ("", None):
            name = getattr(getattr(self.lhs, "target", None), "name", "the field")
            raise FieldError(f"{name} is encrypted at rest: look rows up by its keyed hash "
                             "(egov.crypto.lookup_hash), not by its value.")
        return super().get_prep_lookup()


class EncryptedTextField(models.TextField):
    """Text encrypted at rest; the model and its forms see the clear value, limited to ``max_length``
    characters (the stored ciphertext is longer, in a text column)."""

    description = "Text encrypted at rest"

    @functools.cached_property
    def validators(self) -> list:
        extra = [MaxLengthValidator(self.max_length)] if self.max_length else []
        return [*super().validators, *extra]

    def formfield(self, **kwargs: Any) -> Any:
        from django import forms

        return super().formfield(**{"form_class": forms.CharField, "widget": forms.TextInput, **kwargs})

    def from_db_value(self, value: str | None, expression: Any, connection: Any) -> str | None:
        if not value:
            return value
        return decrypt(value, where=f"{self.model._meta.label}.{self.name}")

    def get_prep_value(self, value: Any) -> Any:
        value = super().get_prep_value(value)
        return encrypt(value) if value else value

    def get_lookup(self, lookup_name: str) -> Any:
        if lookup_name == "exact":
            return _EmptyOnlyExact
        if lookup_name == "isnull":
            return super().get_lookup(lookup_name)
        return None  # Django reports an unsupported lookup (icontains, in, …) as a FieldError


class LookupHashField(models.CharField):
    """The keyed hash of another field of the same row (``source``, normalised as ``kind``), computed
    whenever the row is saved; rows are looked up by ``lookup_hash(kind, value)``."""

    def __init__(self, *args: Any, source: str, kind: str, **kwargs: Any) -> None:
        self.source, self.kind = source, kind
        for name, default in (("max_length", 64), ("editable", False), ("blank", True), ("default", ""),
                              ("db_default", ""), ("db_index", True)):
            kwargs.setdefault(name, default)
        super().__init__(*args, **kwargs)

    def deconstruct(self) -> Any:
        name, path, args, kwargs = super().deconstruct()
        return name, path, args, {**kwargs, "source": self.source, "kind": self.kind}

    def pre_save(self, model_instance: models.Model, add: bool) -> str:
        value = lookup_hash(self.kind, getattr(model_instance, self.source) or "")
        setattr(model_instance, self.attname, value)
        return value

    def contribute_to_class(self, cls: Any, name: str, private_only: bool = False) -> None:
        super().contribute_to_class(cls, name, private_only)
        if not cls._meta.abstract:
            pre_save.connect(self._refuse_stale, sender=cls)

    def _refuse_stale(self, sender: Any, instance: Any, update_fields: Any = None, **kwargs: Any) -> None:
        if update_fields and self.source in update_fields and self.name not in update_fields:
            raise ValueError(f"{sender._meta.label}: saving {self.source} without {self.name} would leave "
                             "its look-up hash stale; add it to update_fields.")


# --- Rewriting stored rows (the migrations that encrypt existing data, egov reencrypt) ----------

def _fields(model: Any) -> tuple[list[Any], list[Any]]:
    concrete = model._meta.concrete_fields
    return ([f for f in concrete if isinstance(f, EncryptedTextField)],
            [f for f in concrete if isinstance(f, LookupHashField)])


def _batches(cursor: Any, quote: Any, table: str, pk: str, columns: Sequence[str], size: int) -> Iterator[list]:
    listed = ", ".join(quote(column) for column in columns)
    last = None
    while True:
        where = f"WHERE {quote(pk)} > %s " if last is not None else ""
        sql = f"SELECT {quote(pk)}, {listed} FROM {quote(table)} {where}ORDER BY {quote(pk)} LIMIT {int(size)}"  # noqa: S608 - model metadata
        cursor.execute(sql, [last] if last is not None else [])
        rows = cursor.fetchall()
        if not rows:
            return
        yield rows
        last = rows[-1][0]


def _row_changes(model: Any, row: Sequence[Any], columns: Sequence[str], mode: str,
                 counts: dict[str, int]) -> dict[str, str]:
    encrypted, hashed = _fields(model)
    stored = dict(zip(columns, row[1:], strict=True))
    changes: dict[str, str] = {}
    clear: dict[str, str] = {}
    for field in encrypted:
        value = stored[field.column] or ""
        where = f"{model._meta.label}.{field.name} #{row[0]}"
        if not value:
            clear[field.name] = ""
        elif mode == "encrypt":
            clear[field.name], changes[field.column] = value, encrypt(value)
        elif mode == "decrypt":
            clear[field.name] = changes[field.column] = decrypt(value, where=where)
        else:
            clear[field.name] = decrypt(value, where=where)
            if (rotated := rotate(value, where=where)) != value:
                changes[field.column] = rotated
    counts["rewritten"] += bool(changes)
    for field in hashed if mode != "decrypt" else ():
        if (digest := lookup_hash(field.kind, clear[field.source])) != (stored[field.column] or ""):
            changes[field.column] = digest
            counts["rehashed"] += 1
    return changes


def rewrite_rows(connection: Any, model: Any, *, mode: str, batch: int = 500) -> dict[str, int]:
    """Rewrite every encrypted column of ``model``'s table in place, by raw SQL (no signal, no
    ``updated_at``), and recompute its look-up hashes from the clear values:

    - ``encrypt``: the columns hold clear text (the migration that introduces encryption);
    - ``decrypt``: back to clear text (that migration reversed);
    - ``rotate``: values not under the current key are re-encrypted under it (``egov reencrypt``).

    A batch of rows is written in one short transaction, each row only if its stored values are still
    those read (a row the application changed meanwhile is already under the current key). Returns the
    rows seen, rewritten and re-hashed."""
    encrypted, hashed = _fields(model)
    counts = {"rows": 0, "rewritten": 0, "rehashed": 0}
    if not encrypted:
        return counts
    quote = connection.ops.quote_name
    table, pk = model._meta.db_table, model._meta.pk.column
    columns = [f.column for f in encrypted] + [f.column for f in hashed]
    with connection.cursor() as cursor:
        for rows in _batches(cursor, quote, table, pk, columns, batch):
            counts["rows"] += len(rows)
            updates = [(row, changes) for row in rows if (changes := _row_changes(model, row, columns, mode, counts))]
            with transaction.atomic(using=connection.alias):
                for row, changes in updates:
                    stored = dict(zip(columns, row[1:], strict=True))
                    assign = ", ".join(f"{quote(column)} = %s" for column in changes)
                    same = " AND ".join(f"{quote(column)} = %s" for column in changes)
                    sql = f"UPDATE {quote(table)} SET {assign} WHERE {quote(pk)} = %s AND {same}"  # noqa: S608 - model metadata
                    cursor.execute(sql, [*changes.values(), row[0], *(stored[column] or "" for column in changes)])
    return counts


def migration(model_label: str) -> Any:
    """The reversible data migration that encrypts ``model_label``'s existing rows: to be placed after the
    operations that turn its columns into encrypted text and add its hash columns."""
    from django.db import migrations

    def forward(apps: Any, schema_editor: Any) -> None:
        rewrite_rows(schema_editor.connection, apps.get_model(model_label), mode="encrypt")

    def backward(apps: Any, schema_editor: Any) -> None:
        rewrite_rows(schema_editor.connection, apps.get_model(model_label), mode="decrypt")

    return migrations.RunPython(forward, backward, elidable=False)
