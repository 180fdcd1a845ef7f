"""Reading a package safely and refusing what is not a valid edXML package, with a reason a
clerk can read (translated) and, when it could be read, who sent it and what it said it was.

The parser resolves no entity, loads no DTD and touches no network; a package declaring a DTD at
all is refused. Size is checked before parsing, so libxml2's ``huge_tree`` (a scan's base64 is one
text node of tens of megabytes) is bounded by ``EXCHANGE_MAX_PACKAGE_BYTES``."""

from __future__ import annotations

import functools
import re
import threading
from pathlib import Path

from django.utils.translation import gettext as _
from lxml import etree

from . import attachments
from .dialects import BY_NAMESPACE, EDOC, Dialect
from .model import Refused

SCHEMAS = Path(__file__).resolve().parent / "schemas"
HEAD_BYTES = 64 * 1024  # what is read of an oversized package
_per_thread = threading.local()


def schema(dialect: Dialect) -> etree.XMLSchema:
    """The dialect's compiled schema, one per thread (lxml objects are not shared across threads)."""
    cache = _per_thread.__dict__.setdefault("schemas", {})
    if dialect.name not in cache:
        cache[dialect.name] = etree.XMLSchema(etree.parse(str(SCHEMAS / dialect.schema), _parser()))
    return cache[dialect.name]


def _parser(*, recover: bool = False) -> etree.XMLParser:
    return etree.XMLParser(resolve_entities=False, no_network=True, huge_tree=True, load_dtd=False,
                           dtd_validation=False, remove_pis=True, recover=recover)


def parse_xml(data: bytes, *, max_bytes: int) -> etree._Element:
    """The root of ``data`` after the size, well-formedness and DTD checks."""
    if len(data) > max_bytes:
        # Not parsed: only its head (the header comes before the attachments) is read, in recovery
        # mode, to say who sent it, so that the refusal can go back to them.
        raise refused(_salvage(data[:HEAD_BYTES]), _(
            "The package is %(size)d bytes, more than the %(limit)d bytes accepted.") % {
            "size": len(data), "limit": max_bytes})
    try:
        root = etree.fromstring(data, _parser())
    except etree.XMLSyntaxError as error:
        raise refused(_salvage(data), _("The package is not well-formed XML (line %(line)d).") % {
            "line": error.lineno or 0}) from None
    if root is None:
        raise Refused(_("The package is empty."))
    info = root.getroottree().docinfo
    if info.internalDTD is not None or info.externalDTD is not None or info.doctype:
        raise refused(root, _("The package declares a document type (DTD) or entities, which are not accepted."))
    return root


def _salvage(data: bytes) -> etree._Element | None:
    """What a damaged package still says (its sender, ids), read by libxml2's recovery mode."""
    try:
        return etree.fromstring(data, _parser(recover=True))
    except Exception:  # noqa: BLE001 - nothing readable: refused without identifiers
        return None


def detect(root: etree._Element) -> Dialect:
    """The dialect of a parsed root, refusing a root without namespace, in another namespace, of
    another name (case included), or a prefixed eDoc root."""
    qname = etree.QName(root)
    if not qname.namespace:
        raise refused(root, _("The package's root element has no namespace; expected an edXML namespace."))
    dialect = BY_NAMESPACE.get(qname.namespace)
    if dialect is None:
        raise refused(root, _("The namespace %(namespace)s is not an edXML namespace.") % {
            "namespace": qname.namespace})
    if qname.localname != dialect.root:
        raise refused(root, _("The root element is %(found)s; a package of namespace %(namespace)s has the root "
                              "element %(expected)s.") % {
            "found": qname.localname, "namespace": dialect.namespace, "expected": dialect.root})
    if dialect.name == EDOC and root.prefix is not None:
        raise refused(root, _("The root element of an eDoc package must be in the default namespace, without a "
                              "prefix."))
    return dialect


_EXPECTED = re.compile(r"Expected is (?:one of )?\( ([^)]*) \)")
_ELEMENT = re.compile(r"^Element '([^']*)'")


def _local_name(name: str) -> str:
    return name.rsplit("}", 1)[-1].split(":")[-1].strip()


def check_schema(root: etree._Element, dialect: Dialect) -> None:
    validator = schema(dialect)
    if validator.validate(root):
        return
    error = validator.error_log[0]
    message = error.message
    element_match = _ELEMENT.match(message)
    element = _local_name(element_match.group(1)) if element_match else ""
    expected_match = _EXPECTED.search(message)
    # libxml2 lists what may come next: the optional elements, then the first required one.
    expected = [_local_name(name) for name in expected_match.group(1).split(",")] if expected_match else []
    found = _element_at(root, error.path)
    if "No match found for key-sequence" in message:
        reason = _("An attachment is not listed in the manifest.")
    elif "Duplicate key-sequence" in message:
        reason = _("Two attachments or manifest entries have the same ContentId.")
    elif expected and ("Missing child element" in message or "This element is not expected" in message):
        parent = found if "Missing child element" in message else (found.getparent() if found is not None else None)
        present = {etree.QName(child).localname for child in parent} if parent is not None else set()
        if expected[-1] not in present:
            parent_name = etree.QName(parent).localname if parent is not None else ""
            reason = _("A required field is missing: %(field)s.") % {
                "field": f"{parent_name}/{expected[-1]}" if parent_name else expected[-1]}
        else:
            reason = _("The field %(field)s is not expected here (line %(line)d).") % {
                "field": element, "line": error.line}
    else:
        reason = _("The field %(field)s has a value that is not allowed (line %(line)d).") % {
            "field": element or "?", "line": error.line}
    raise refused(root, reason)


def _element_at(root: etree._Element, path: str | None) -> etree._Element | None:
    """The element an error is about (libxml2 gives its XPath, with the document's prefixes)."""
    if not path:
        return None
    namespaces = {prefix: uri for prefix, uri in root.nsmap.items() if prefix}
    try:
        found = root.getroottree().xpath(path, namespaces=namespaces)
    except etree.XPathError:
        return None
    return found[0] if found and isinstance(found[0], etree._Element) else None


def decode_attachments(root: etree._Element, carried: list[attachments.Carried], orphans: list[str]):
    if orphans:
        raise refused(root, _("The manifest lists an attachment that is not in the package (%(id)s).") % {
            "id": orphans[0]})
    decoded = []
    for item in carried:
        try:
            decoded.append(attachments.decode(item))
        except attachments.Mismatch as mismatch:
            if mismatch.what == "base64":
                reason = _("The attachment %(name)s is not valid base64.")
            else:
                reason = _("The attachment %(name)s does not match the size and SHA-256 hash declared for it: "
                           "it was altered.")
            raise refused(root, reason % {"name": item.name or item.content_id}) from None
    return decoded


# --- what a refused package said it was ------------------------------------------------------------

def _texts(root: etree._Element, path: str) -> list[str]:
    try:
        return [(e.text or "").strip() for e in root.xpath(path) if isinstance(e, etree._Element)]
    except etree.XPathError:
        return []


def _local(*names: str) -> str:
    return "/".join(f"*[local-name()='{name}']" for name in names)


@functools.lru_cache(maxsize=1)
def _paths() -> dict[str, str]:
    return {
        "package_id": "//" + _local("edXMLHeader", "PackageId"),
        "document_id": "//" + _local("MessageHeader", "DocumentId") + " | //" + _local("Status", "ResponseFor",
                                                                                        "DocumentId"),
        "sender": "//" + _local("MessageHeader", "From", "OrganId") + " | //" + _local("Status", "From", "OrganId"),
        "recipients": "//" + _local("To", "OrganId"),
    }


def refused(root: etree._Element | None, reason: str) -> Refused:
    if root is None:
        return Refused(reason)
    paths = _paths()

    def first(key: str) -> str:
        found = _texts(root, paths[key])
        return found[0] if found else ""

    return Refused(reason, package_id=first("package_id"), document_id=first("document_id"), sender=first("sender"),
                   recipients=tuple(code for code in _texts(root, paths["recipients"]) if code))
