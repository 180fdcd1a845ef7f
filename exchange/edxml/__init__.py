"""The one module that knows the edXML schema (QCVN 102:2016 and the eDoc dialect): build, parse,
validate, sign and verify packages. Everything else speaks :mod:`exchange.edxml.model`."""

from __future__ import annotations

from .model import (  # noqa: F401
    Actor,
    Attachment,
    DocumentPackage,
    Organ,
    Package,
    Refused,
    ResponseFor,
    Signer,
    StatusPackage,
    Trace,
)


def build(package: Package, *, dialect: str = "qcvn102") -> bytes:
    """The package as edXML bytes in ``dialect`` ("qcvn102" or "edoc"), valid against its schema,
    attachments base64 with their SHA-256 in the manifest. Not signed (see :func:`sign`)."""
    raise NotImplementedError


def parse(data: bytes, *, max_bytes: int | None = None) -> Package:
    """Validate ``data`` against the schema of its dialect (either namespace is accepted), check the
    attachments against the manifest's hashes, and read it. Raises :class:`Refused` with the reason."""
    raise NotImplementedError


def sign(data: bytes, *, agency) -> bytes:
    """``data`` with the agency's seal signature enveloped (the agency's certificate from signing/)."""
    raise NotImplementedError


def verify(data: bytes) -> str:
    """Check the enveloped signature (chain to the trusted roots, content unchanged); returns the
    signer's subject. Raises :class:`Refused` when missing, broken or untrusted."""
    raise NotImplementedError


def dialect_of(data: bytes) -> str:
    """"qcvn102" or "edoc", from the root's namespace (Refused if neither)."""
    raise NotImplementedError
