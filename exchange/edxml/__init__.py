"""The one module that knows the edXML schema (QCVN 102:2016 and the eDoc dialect): build, parse,
validate, sign and verify packages. Everything else speaks :mod:`exchange.edxml.model`.

``build`` writes a package in a dialect (:mod:`.qcvn102`, :mod:`.edoc`; the header both share in
:mod:`.header`); ``parse`` refuses what is not a valid package (:mod:`.validate`, schemas in
``schemas/``); ``sign``/``verify`` handle the agency's seal over the package (:mod:`.signature`).
Decision 0032."""

from __future__ import annotations

from django.conf import settings
from lxml import etree

from . import edoc, header, qcvn102, signature, validate
from .dialects import DIALECTS, EDOC, QCVN102
from .dialects import get as _dialect
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

DIALECT_NAMES = tuple(DIALECTS)
_MODULES = {QCVN102: qcvn102, EDOC: edoc}


def build(package: Package, *, dialect: str = QCVN102) -> bytes:
    """The package as edXML bytes in ``dialect`` ("qcvn102" or "edoc"), valid against its schema,
    attachments base64 with their SHA-256 in the manifest. Not signed (see :func:`sign`)."""
    root = _MODULES[_dialect(dialect).name].build(package)
    return etree.tostring(root, xml_declaration=True, encoding="UTF-8")


def parse(data: bytes, *, max_bytes: int | None = None) -> Package:
    """Validate ``data`` against the schema of its dialect (either namespace is accepted), check the
    attachments against the manifest's hashes, and read it. Raises :class:`Refused` with the reason.
    ``max_bytes`` defaults to ``EXCHANGE_MAX_PACKAGE_BYTES``."""
    if max_bytes is None:
        max_bytes = int(getattr(settings, "EXCHANGE_MAX_PACKAGE_BYTES", 50 * 1024 * 1024))
    root = validate.parse_xml(data, max_bytes=max_bytes)
    found = validate.detect(root)
    validate.check_schema(root, found)
    module = _MODULES[found.name]
    carried, orphans = module.carried(root)
    files = validate.decode_attachments(root, carried, orphans)
    result = header.read(module.header_of(root), found)
    if isinstance(result, DocumentPackage):
        result.attachments = files
    return result


def sign(data: bytes, *, agency) -> bytes:
    """``data`` with the agency's seal signature enveloped (the agency's certificate from signing/)."""
    return signature.sign(data, agency=agency)


def verify(data: bytes) -> str:
    """Check the enveloped signature (chain to the trusted roots, content unchanged); returns the
    signer's subject. Raises :class:`Refused` when missing, broken or untrusted."""
    return signature.verify(data)


def verify_pdf_attachments(package: Package) -> None:
    """Refuse (:class:`Refused`) a package whose signed PDF attachment does not verify."""
    signature.verify_pdf_attachments(package)


def dialect_of(data: bytes) -> str:
    """"qcvn102" or "edoc", from the root's namespace (Refused if neither)."""
    return validate.detect(validate.parse_xml(data, max_bytes=len(data))).name
