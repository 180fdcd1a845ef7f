"""Shared fixtures of the e-office tests: the registers of the demo agencies and a document type."""

import pytest

from documents.demo import load_document_types, load_registers
from documents.models import Direction, DocumentType, Register


@pytest.fixture
def registers(demo):
    """The demo registers: ``registers("STP")`` the ordinary incoming one, ``confidential=True`` the
    one for classified documents, ``direction=Direction.OUTGOING`` the outgoing ones."""
    load_registers()

    def _register(agency_key: str, *, confidential: bool = False, direction: str = Direction.INCOMING) -> Register:
        return Register.objects.get(agency=demo.agencies[agency_key], direction=direction, confidential=confidential)

    return _register


@pytest.fixture
def letter(db) -> DocumentType:
    """Công văn: the official letter, the commonest incoming document."""
    load_document_types()  # a database flushed by a live-server test lost what the migration loaded
    return DocumentType.objects.get(is_letter=True)


@pytest.fixture
def outgoing(demo):
    """The demo with the agencies' registers, for outgoing documents (tests.documents.outgoing_helpers)."""
    load_registers()
    return demo
