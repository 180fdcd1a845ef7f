"""The header both dialects share (``edXMLHeader``): the package id, then a document's
``MessageHeader`` or a status message's ``Status``, then the ``TraceHeaderList`` with its
``Bussiness`` block (new, update or replacement of a document sent before).

Element names and order are the schema's (``schemas/*.xsd``); only the namespace and the date and
time formats differ between the dialects."""

from __future__ import annotations

from lxml import etree

from .dialects import Dialect
from .model import Actor, DocumentPackage, Organ, Package, ResponseFor, Signer, StatusPackage, Trace

# Bussiness/BussinessDocType as public implementations number it: 0 new, 1 revoke, 2 update, 3 replace.
BUSINESS_TYPES = {"": 0, "revoke": 1, "update": 2, "replace": 3}
BUSINESS_NAMES = {number: name for name, number in BUSINESS_TYPES.items()}

# Organ fields in schema order.
ORGAN_FIELDS = (("OrganId", "code"), ("OrganizationInCharge", "unit"), ("OrganName", "name"),
                ("OrganAdd", "address"), ("Email", "email"), ("Telephone", "phone"))
STAFF_FIELDS = (("Department", "department"), ("Staff", "name"), ("Position", "position"),
                ("Email", "email"), ("Mobile", "phone"))


class Writer:
    """Adds elements of one dialect's namespace."""

    def __init__(self, dialect: Dialect):
        self.dialect = dialect

    def add(self, parent: etree._Element, local: str, text: str | None = None) -> etree._Element:
        element = etree.SubElement(parent, self.dialect.tag(local))
        if text is not None:
            element.text = text
        return element

    def optional(self, parent: etree._Element, local: str, text: str) -> None:
        if text:
            self.add(parent, local, text)

    def organ(self, parent: etree._Element, local: str, organ: Organ) -> None:
        element = self.add(parent, local)
        for name, attribute in ORGAN_FIELDS:
            value = getattr(organ, attribute)
            if name == "OrganId" or value:
                self.add(element, name, value)

    def response_for(self, parent: etree._Element, response: ResponseFor) -> None:
        element = self.add(parent, "ResponseFor")
        self.add(element, "OrganId", response.organ_code)
        self.add(element, "Code", response.code)
        self.add(element, "PromulgationDate", self.dialect.write_date(response.promulgation_date))
        self.add(element, "DocumentId", response.document_id)


def write(envelope: etree._Element, package: Package, dialect: Dialect) -> None:
    w = Writer(dialect)
    header = w.add(envelope, "edXMLHeader")
    w.add(header, "PackageId", package.package_id)
    if isinstance(package, StatusPackage):
        _write_status(w, header, package)
    else:
        _write_message(w, header, package)


def _write_message(w: Writer, header: etree._Element, p: DocumentPackage) -> None:
    d = w.dialect
    message = w.add(header, "MessageHeader")
    w.organ(message, "From", p.sender)
    for recipient in p.recipients:
        w.organ(message, "To", recipient)
    code = w.add(message, "Code")
    w.add(code, "CodeNumber", p.code_number)
    w.add(code, "CodeNotation", p.code_notation)
    info = w.add(message, "PromulgationInfo")
    w.optional(info, "Place", p.place)
    w.add(info, "PromulgationDate", d.write_date(p.promulgation_date))
    kind = w.add(message, "DocumentType")
    w.add(kind, "Type", str(p.document_type))
    w.add(kind, "TypeName", p.type_name)
    w.add(message, "Subject", p.subject)
    w.optional(message, "Content", p.content)
    signer = w.add(message, "SignerInfo")
    w.optional(signer, "Competence", p.signer.competence)
    w.optional(signer, "Position", p.signer.position)
    w.optional(signer, "FullName", p.signer.full_name)
    if p.due_date is not None:
        w.add(message, "DueDate", d.write_date(p.due_date))
    w.add(message, "SteeringType", str(p.steering_type))
    if p.to_places:
        places = w.add(message, "ToPlaces")
        for place in p.to_places:
            w.add(places, "Place", place)
    other = w.add(message, "OtherInfo")
    w.add(other, "Priority", str(p.priority))
    w.add(other, "PageAmount", str(p.page_amount))
    if p.appendixes:
        appendixes = w.add(other, "Appendixes")
        for appendix in p.appendixes:
            w.add(appendixes, "Appendix", appendix)
    if p.response_for is not None:
        w.response_for(message, p.response_for)
    w.add(message, "DocumentId", p.document_id)
    traces = w.add(header, "TraceHeaderList")
    for trace in p.traces:
        element = w.add(traces, "TraceHeader")
        w.add(element, "OrganId", trace.organ_code)
        w.add(element, "Timestamp", d.write_time(trace.timestamp))
    if p.business not in BUSINESS_TYPES:
        raise ValueError(f"unknown business {p.business!r} (expected one of {sorted(BUSINESS_TYPES)})")
    business = w.add(traces, "Bussiness")  # sic: the standard's spelling
    w.add(business, "BussinessDocType", str(BUSINESS_TYPES[p.business]))
    if p.replaces:
        w.add(business, "DocumentId", p.replaces)
        if p.business == "replace":
            w.add(w.add(w.add(business, "ReplacementInfoList"), "ReplacementInfo"), "DocumentId", p.replaces)


def _write_status(w: Writer, header: etree._Element, p: StatusPackage) -> None:
    status = w.add(header, "Status")
    w.response_for(status, p.response_for)
    w.organ(status, "From", p.sender)
    w.organ(status, "To", p.recipient)
    w.add(status, "StatusCode", p.code)
    w.optional(status, "Description", p.description)
    w.add(status, "Timestamp", w.dialect.write_time(p.at))
    if any(getattr(p.actor, attribute) for _, attribute in STAFF_FIELDS):
        staff = w.add(status, "StaffInfo")
        for name, attribute in STAFF_FIELDS:
            w.optional(staff, name, getattr(p.actor, attribute))


# --- reading (the document is valid against its schema by now) ------------------------------------

class Reader:
    def __init__(self, dialect: Dialect):
        self.dialect = dialect

    def child(self, parent: etree._Element | None, *path: str) -> etree._Element | None:
        for local in path:
            if parent is None:
                return None
            parent = parent.find(self.dialect.tag(local))
        return parent

    def children(self, parent: etree._Element | None, local: str) -> list[etree._Element]:
        return [] if parent is None else parent.findall(self.dialect.tag(local))

    def text(self, parent: etree._Element | None, *path: str) -> str:
        element = self.child(parent, *path)
        return (element.text or "").strip() if element is not None else ""

    def number(self, parent: etree._Element | None, *path: str) -> int:
        text = self.text(parent, *path)
        return int(text) if text else 0

    def organ(self, element: etree._Element) -> Organ:
        return Organ(**{attribute: self.text(element, name) for name, attribute in ORGAN_FIELDS})

    def response_for(self, element: etree._Element) -> ResponseFor:
        return ResponseFor(organ_code=self.text(element, "OrganId"), code=self.text(element, "Code"),
                           promulgation_date=self.dialect.read_date(self.text(element, "PromulgationDate")),
                           document_id=self.text(element, "DocumentId"))


def read(header: etree._Element, dialect: Dialect) -> Package:
    r = Reader(dialect)
    status = r.child(header, "Status")
    if status is not None:
        return StatusPackage(
            package_id=r.text(header, "PackageId"), sender=r.organ(r.child(status, "From")),
            recipient=r.organ(r.child(status, "To")), response_for=r.response_for(r.child(status, "ResponseFor")),
            code=r.text(status, "StatusCode"), at=dialect.read_time(r.text(status, "Timestamp")),
            actor=Actor(**{attribute: r.text(status, "StaffInfo", name) for name, attribute in STAFF_FIELDS}),
            description=r.text(status, "Description"))
    m = r.child(header, "MessageHeader")
    due = r.text(m, "DueDate")
    responses = r.children(m, "ResponseFor")
    business = r.child(header, "TraceHeaderList", "Bussiness")
    replaces = r.text(business, "DocumentId") or r.text(business, "ReplacementInfoList", "ReplacementInfo",
                                                          "DocumentId")
    return DocumentPackage(
        package_id=r.text(header, "PackageId"), document_id=r.text(m, "DocumentId"),
        sender=r.organ(r.child(m, "From")), recipients=[r.organ(to) for to in r.children(m, "To")],
        code_number=r.text(m, "Code", "CodeNumber"), code_notation=r.text(m, "Code", "CodeNotation"),
        place=r.text(m, "PromulgationInfo", "Place"),
        promulgation_date=dialect.read_date(r.text(m, "PromulgationInfo", "PromulgationDate")),
        document_type=r.number(m, "DocumentType", "Type"), type_name=r.text(m, "DocumentType", "TypeName"),
        subject=r.text(m, "Subject"), content=r.text(m, "Content"),
        signer=Signer(competence=r.text(m, "SignerInfo", "Competence"), position=r.text(m, "SignerInfo", "Position"),
                      full_name=r.text(m, "SignerInfo", "FullName")),
        due_date=dialect.read_date(due) if due else None, steering_type=r.number(m, "SteeringType"),
        to_places=[(e.text or "").strip() for e in r.children(r.child(m, "ToPlaces"), "Place")],
        priority=r.number(m, "OtherInfo", "Priority"), page_amount=r.number(m, "OtherInfo", "PageAmount"),
        appendixes=[(e.text or "").strip() for e in r.children(r.child(m, "OtherInfo", "Appendixes"), "Appendix")],
        response_for=r.response_for(responses[0]) if responses else None,
        business=BUSINESS_NAMES.get(r.number(business, "BussinessDocType"), ""), replaces=replaces,
        traces=[Trace(organ_code=r.text(t, "OrganId"), timestamp=dialect.read_time(r.text(t, "Timestamp")))
                for t in r.children(r.child(header, "TraceHeaderList"), "TraceHeader")])
