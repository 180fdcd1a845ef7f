"""The package's seal: the sending agency's seal certificate signs a detached CMS over the
exclusive XML canonical form (C14N 1.0, without comments) of the package without its signature;
the base64 DER travels as ``Signature``, the root's last child (decision 0032). Signed PDF
attachments keep their own signatures, verified on receipt with the PDF verifier of signing/."""

from __future__ import annotations

import base64
import binascii

from django.conf import settings
from django.utils.translation import gettext as _
from lxml import etree

from . import validate
from .dialects import Dialect
from .model import Attachment, DocumentPackage, Package

LOCAL_NAME = "Signature"


def _max_bytes() -> int:
    return int(getattr(settings, "EXCHANGE_MAX_PACKAGE_BYTES", 50 * 1024 * 1024))


def canonical(root: etree._Element) -> bytes:
    return etree.tostring(root, method="c14n", exclusive=True, with_comments=False)


def _signature_of(root: etree._Element, dialect: Dialect) -> etree._Element | None:
    found = root.find(dialect.tag(LOCAL_NAME))
    if found is not None and root[-1] is not found:
        raise validate.refused(root, _("The package's signature is not the last element of its root."))
    return found


def sign(data: bytes, *, agency) -> bytes:
    """``data`` with the seal of ``agency`` enveloped (an earlier signature is replaced). Raises
    signing's SigningRefused (no usable seal certificate) or SigningUnavailable (token down)."""
    from signing.models import CertificateKind
    from signing.services import current_certificate

    return sign_with(data, certificate=current_certificate(agency=agency, kind=CertificateKind.SEAL))


def sign_with(data: bytes, *, certificate) -> bytes:
    """:func:`sign` with a given certificate (a ``signing.models.Certificate`` with its key)."""
    from signing import cms

    root = validate.parse_xml(data, max_bytes=_max_bytes())
    dialect = validate.detect(root)
    existing = _signature_of(root, dialect)
    if existing is not None:
        root.remove(existing)
    der = cms.sign_detached(canonical(root), certificate)
    etree.SubElement(root, dialect.tag(LOCAL_NAME)).text = base64.b64encode(der).decode("ascii")
    return etree.tostring(root, xml_declaration=True, encoding="UTF-8")


def verify(data: bytes) -> str:
    """The subject of the seal's certificate; :class:`Refused` when the package is not signed, was
    changed after signing, or its certificate is not trusted (or revoked)."""
    from signing import cms

    root = validate.parse_xml(data, max_bytes=_max_bytes())
    dialect = validate.detect(root)
    element = _signature_of(root, dialect)
    if element is None:
        raise validate.refused(root, _("The package is not signed."))
    try:
        der = base64.b64decode("".join((element.text or "").split()), validate=True)
    except (binascii.Error, ValueError):
        der = b""
    root.remove(element)
    try:
        return cms.verify_detached(canonical(root), der)
    except cms.InvalidSignature as invalid:
        root.append(element)  # what it said it was, for the status 02
        reasons = {
            "altered": _("The package's signature does not match its content: it was changed after signing."),
            "untrusted": _("The package's signature is not from a certificate issued by a certification authority "
                           "we trust."),
            "revoked": _("The certificate that signed the package has been revoked."),
        }
        raise validate.refused(root, reasons.get(invalid.kind, _("The package's signature cannot be read."))) from None


def _is_pdf(attachment: Attachment) -> bool:
    return attachment.mime == "application/pdf" or attachment.content[:5] == b"%PDF-"


def verify_pdf_attachments(package: Package) -> None:
    """Every signed PDF attachment's signatures must hold (signing.verification.verify_pdf); an
    unsigned PDF passes. Raises :class:`Refused` naming the attachment and the verifier's verdict."""
    from signing.verification import verify_pdf

    if not isinstance(package, DocumentPackage):
        return
    for attachment in package.attachments:
        if not _is_pdf(attachment):
            continue
        report = verify_pdf(attachment.content)
        if report.signatures and not report.ok:
            raise validate.Refused(
                _("The signed attachment %(name)s does not verify: %(verdict)s") % {
                    "name": attachment.name, "verdict": report.verdict},
                package_id=package.package_id, document_id=package.document_id, sender=package.sender.code,
                recipients=tuple(r.code for r in package.recipients))
