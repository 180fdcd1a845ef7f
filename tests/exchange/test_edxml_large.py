"""A scanned document of more than 10 MB travels in one attachment (libxml2's huge text nodes,
bounded by the package size limit checked before parsing)."""

import os

from exchange import edxml
from exchange.edxml import Attachment
from tests.exchange.test_edxml import a_document_package


def test_an_attachment_over_ten_megabytes_reads_back_whole():
    scan = b"%PDF-1.7\n" + os.urandom(12 * 1024 * 1024)
    package = a_document_package(attachments=[Attachment("ban-quet.pdf", scan)])
    for dialect in ("qcvn102", "edoc"):
        parsed = edxml.parse(edxml.build(package, dialect=dialect), max_bytes=64 * 1024 * 1024)
        assert parsed.attachments[0].content == scan
