"""The QCVN 102:2016 dialect: ``edXML`` > ``edXMLEnvelope`` (``edXMLHeader``, ``edXMLBody`` with
one ``Attachment`` per file: ``ContentId``, base64 ``Content``) + ``edXMLManifest`` (one
``Reference`` per attachment: ``ContentId``, ``AttachmentName``, ``ContentType``, ``Description``,
``Size``, ``Sha256``) + the optional ``Signature``. Schema: ``schemas/qcvn102.xsd``."""

from __future__ import annotations

from lxml import etree

from . import attachments, header
from .dialects import DIALECTS, QCVN102
from .model import DocumentPackage, Package

DIALECT = DIALECTS[QCVN102]


def build(package: Package) -> etree._Element:
    w = header.Writer(DIALECT)
    root = etree.Element(DIALECT.tag("edXML"), nsmap={"edXML": DIALECT.namespace})
    envelope = w.add(root, "edXMLEnvelope")
    header.write(envelope, package, DIALECT)
    files = package.attachments if isinstance(package, DocumentPackage) else []
    if files:
        body = w.add(envelope, "edXMLBody")
        manifest = w.add(root, "edXMLManifest")
        for index, attachment in enumerate(files):
            encoded, sha256, size = attachments.encode(attachment)
            carried = w.add(body, "Attachment")
            w.add(carried, "ContentId", attachments.content_id(index))
            w.add(carried, "Content", encoded)
            reference = w.add(manifest, "Reference")
            w.add(reference, "ContentId", attachments.content_id(index))
            w.add(reference, "AttachmentName", attachment.name)
            w.add(reference, "ContentType", attachment.mime)
            w.optional(reference, "Description", attachment.description)
            w.add(reference, "Size", str(size))
            w.add(reference, "Sha256", sha256)
    return root


def header_of(root: etree._Element) -> etree._Element:
    found = root.find(f"{DIALECT.tag('edXMLEnvelope')}/{DIALECT.tag('edXMLHeader')}")
    assert found is not None  # the schema requires it
    return found


def carried(root: etree._Element) -> tuple[list[attachments.Carried], list[str]]:
    """The attachments with what the manifest says of each, and the manifest's references that
    have no attachment (the schema's keyref checks the other way)."""
    r = header.Reader(DIALECT)
    references = {r.text(ref, "ContentId"): ref for ref in r.children(r.child(root, "edXMLManifest"), "Reference")}
    found, seen = [], set()
    for element in r.children(r.child(root, "edXMLEnvelope", "edXMLBody"), "Attachment"):
        cid = r.text(element, "ContentId")
        seen.add(cid)
        ref = references.get(cid)
        content = r.child(element, "Content")
        found.append(attachments.Carried(
            content_id=cid, name=r.text(ref, "AttachmentName"), mime=r.text(ref, "ContentType"),
            description=r.text(ref, "Description"), base64=(content.text or "") if content is not None else "",
            sha256=r.text(ref, "Sha256"), size=r.number(ref, "Size") if ref is not None else None))
    return found, [cid for cid in references if cid not in seen]
