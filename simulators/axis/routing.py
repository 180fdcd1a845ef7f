"""What the axis reads of a package: its recipients, nothing else. Every ``To/OrganId`` element,
whatever its namespace (QCVN 102:2016's, the eDoc dialect's, or none), read with expat in a way that
refuses any document type declaration (so no entity can be defined, expanded or fetched: the
billion-laughs and external-entity attacks have nothing to work with)."""

from __future__ import annotations

from dataclasses import dataclass, field
from xml.parsers import expat


class NotXML(ValueError):
    pass


class _Refused(Exception):
    pass


def _local(name: str) -> str:
    return name.rsplit(" ", 1)[-1]  # "namespace local" with the separator below, or a bare name


def recipients(data: bytes) -> list[str]:
    """The organ codes of every ``To/OrganId`` in ``data``, in order, each once. Raises ``NotXML``
    when ``data`` is not well-formed XML or declares a document type."""
    parser = expat.ParserCreate(namespace_separator=" ")
    stack: list[str] = []
    text: list[str] = []
    found: list[str] = []

    def refuse(*_args):
        raise _Refused

    def start(name, _attrs):
        stack.append(_local(name))
        text.clear()

    def end(_name):
        if len(stack) >= 2 and stack[-1] == "OrganId" and stack[-2] == "To":
            code = "".join(text).strip()
            if code and code not in found:
                found.append(code)
        stack.pop()
        text.clear()

    parser.StartDoctypeDeclHandler = refuse
    parser.EntityDeclHandler = refuse
    parser.UnparsedEntityDeclHandler = refuse
    parser.ExternalEntityRefHandler = refuse
    parser.StartElementHandler = start
    parser.EndElementHandler = end
    parser.CharacterDataHandler = text.append
    try:
        parser.Parse(data, True)
    except _Refused:
        raise NotXML("document type declarations are refused") from None
    except expat.ExpatError as error:
        raise NotXML(f"not well-formed XML: {expat.errors.messages.get(error.code, error.code)}") from None
    return found


@dataclass(frozen=True)
class System:
    id: str
    secret: bytes = field(repr=False)
    organs: tuple[str, ...] = ()  # codes, or patterns "*.H55" (every code ending in ".H55")

    def serves(self, code: str) -> bool:
        return any(code == organ or (organ.startswith("*.") and code.endswith(organ[1:])) for organ in self.organs)


def route(codes: list[str], systems: dict[str, System]) -> tuple[dict[str, list[str]], list[str]]:
    """``({system id: [codes it serves]}, [codes nobody serves])``: a code served by several systems
    goes to each of them."""
    deliveries: dict[str, list[str]] = {}
    unknown: list[str] = []
    for code in codes:
        serving = [system.id for system in systems.values() if system.serves(code)]
        if not serving:
            unknown.append(code)
        for system_id in serving:
            deliveries.setdefault(system_id, []).append(code)
    return deliveries, unknown
