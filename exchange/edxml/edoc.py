"""The eDoc dialect (``http://www.go.vn/eDoc``): the root is ``edXMLEnvelope`` itself, in the
default namespace, with ``edXMLHeader`` and ``edXMLBody``, whose ``Attachment`` elements carry
``ContentId``, ``FileName``, ``FileType`` (we write the MIME type), ``Description``, ``Size``,
``Sha256`` and the base64 ``Content``; the optional ``Signature`` last. No manifest: the size and
hash travel in each attachment (optional for other systems' packages, always written by us).
Schema: ``schemas/edoc.xsd``."""

from __future__ import annotations

from lxml import etree

from . import attachments, header
from .dialects import DIALECTS, EDOC
from .model import DocumentPackage, Package

DIALECT = DIALECTS[EDOC]


def build(package: Package) -> etree._Element:
    w = header.Writer(DIALECT)
    root = etree.Element(DIALECT.tag("edXMLEnvelope"), nsmap={None: DIALECT.namespace})
    header.write(root, package, DIALECT)
    files = package.attachments if isinstance(package, DocumentPackage) else []
    if files:
        body = w.add(root, "edXMLBody")
        for index, attachment in enumerate(files):
            encoded, sha256, size = attachments.encode(attachment)
            element = w.add(body, "Attachment")
            w.add(element, "ContentId", attachments.content_id(index))
            w.add(element, "FileName", attachment.name)
            w.add(element, "FileType", attachment.mime)
            w.optional(element, "Description", attachment.description)
            w.add(element, "Size", str(size))
            w.add(element, "Sha256", sha256)
            w.add(element, "Content", encoded)
    return root


def header_of(root: etree._Element) -> etree._Element:
    found = root.find(DIALECT.tag("edXMLHeader"))
    assert found is not None  # the schema requires it
    return found


def carried(root: etree._Element) -> tuple[list[attachments.Carried], list[str]]:
    r = header.Reader(DIALECT)
    found = []
    for element in r.children(r.child(root, "edXMLBody"), "Attachment"):
        content = r.child(element, "Content")
        size = r.text(element, "Size")
        found.append(attachments.Carried(
            content_id=r.text(element, "ContentId"), name=r.text(element, "FileName"),
            mime=attachments.mime_of(r.text(element, "FileType")), description=r.text(element, "Description"),
            base64=(content.text or "") if content is not None else "", sha256=r.text(element, "Sha256"),
            size=int(size) if size else None))
    return found, []
