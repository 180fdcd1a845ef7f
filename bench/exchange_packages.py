"""edXML packages per second, with a 1 MB PDF attachment (a page holding a 1 MB noise image, as
incompressible as a scan): built + validated + parsed by ``exchange.edxml`` (``build`` then
``parse``, which checks size and DTD, validates against the dialect's XML Schema, checks the
attachment's SHA-256 and reads the package back), beside a bare ``lxml.etree.fromstring`` of the
same bytes; then sealed + verified (``exchange.edxml.signature.sign_with`` / ``verify``: exclusive
C14N, detached CMS with a software RSA-2048 key of a throw-away test PKI, pyHanko's generic CMS
validation to the test root; revocation not fetched, as no responder runs). Both dialects.

Run: ``.venv/bin/python bench/exchange_packages.py [--n 50]``.
"""

import argparse
import datetime as dt
import logging
import os
import sys
from pathlib import Path

sys.path.insert(0, str(Path(__file__).resolve().parent.parent))
os.environ.setdefault("DJANGO_SETTINGS_MODULE", "egov.settings")

from bench.throwaway import rate, test_pki  # noqa: E402 - after the checkout is on the path


def a_pdf(size: int = 1024 * 1024) -> bytes:
    """A one-page PDF showing a ``size``-byte RGB noise image (uncompressed)."""
    side = int((size / 3) ** 0.5)
    pixels = os.urandom(side * side * 3)
    content = b"q 595 0 0 842 0 0 cm /Im0 Do Q"
    objects = [
        b"<< /Type /Catalog /Pages 2 0 R >>",
        b"<< /Type /Pages /Kids [3 0 R] /Count 1 >>",
        b"<< /Type /Page /Parent 2 0 R /MediaBox [0 0 595 842] /Resources << /XObject << /Im0 4 0 R >> >> "
        b"/Contents 5 0 R >>",
        b"<< /Type /XObject /Subtype /Image /Width %d /Height %d /ColorSpace /DeviceRGB /BitsPerComponent 8 "
        b"/Length %d >>\nstream\n" % (side, side, len(pixels)) + pixels + b"\nendstream",
        b"<< /Length %d >>\nstream\n" % len(content) + content + b"\nendstream",
    ]
    out, offsets = bytearray(b"%PDF-1.7\n%\xe2\xe3\xcf\xd3\n"), []
    for number, body in enumerate(objects, start=1):
        offsets.append(len(out))
        out += b"%d 0 obj\n" % number + body + b"\nendobj\n"
    xref = len(out)
    out += b"xref\n0 %d\n0000000000 65535 f \n" % (len(objects) + 1)
    out += b"".join(b"%010d 00000 n \n" % offset for offset in offsets)
    out += b"trailer\n<< /Size %d /Root 1 0 R >>\nstartxref\n%d\n%%%%EOF\n" % (len(objects) + 1, xref)
    return bytes(out)


def a_package(pdf: bytes):
    from exchange.edxml import Attachment, DocumentPackage, Organ, Signer, Trace

    return DocumentPackage(
        package_id="bench-1", document_id="000.00.03.H55,2026-03-15,15/STP-VP",
        sender=Organ("000.00.03.H55", "Sở Tư pháp tỉnh Thái Nguyên"),
        recipients=[Organ("000.00.00.H55", "Ủy ban nhân dân tỉnh Thái Nguyên"),
                    Organ("000.00.60.H55", "Ủy ban nhân dân phường Đức Xuân")],
        code_number="15", code_notation="STP-VP", place="Thái Nguyên", promulgation_date=dt.date(2026, 3, 15),
        document_type=2, type_name="Công văn", subject="Về việc rà soát thủ tục hành chính lĩnh vực hộ tịch",
        content="Sở Tư pháp đề nghị các đơn vị rà soát, báo cáo trước ngày 30/4/2026.",
        signer=Signer("KT. GIÁM ĐỐC", "Phó Giám đốc", "Nguyễn Thị Hồng Nhung"),
        traces=[Trace("000.00.03.H55", dt.datetime(2026, 3, 15, 9, 30, tzinfo=dt.UTC))],
        attachments=[Attachment("15-STP-VP.pdf", pdf)])


def a_seal_certificate(generated):
    """The test PKI's seal of the Department of Justice as the platform holds it (a software key),
    unsaved: nothing is written to the database."""
    from signing import signers
    from signing.models import Certificate, CertificateStatus, SigningKey

    cert = generated.cert("seal-stp")
    validity = cert["tbs_certificate"]["validity"]
    certificate = Certificate(kind="seal", der=cert.dump(), status=CertificateStatus.VALID,
                              not_before=validity["not_before"].native, not_after=validity["not_after"].native,
                              chain_pem=b"".join(generated.cert_path(x).read_bytes() for x in ("interm", "root")).decode())
    SigningKey(certificate=certificate, token_label=signers.SOFTWARE_TOKEN, key_label="seal-stp")
    return certificate


def main():
    parser = argparse.ArgumentParser()
    parser.add_argument("--n", type=int, default=50)
    args = parser.parse_args()
    import django

    django.setup()
    logging.disable(logging.INFO)
    from lxml import etree

    from exchange import edxml
    from exchange.edxml import signature

    pdf = a_pdf()
    package = a_package(pdf)
    n = args.n
    print(f"one package, one PDF attachment of {len(pdf)} bytes, two recipients, n={n}")
    for dialect in ("qcvn102", "edoc"):
        data = edxml.build(package, dialect=dialect)
        assert edxml.parse(data) == package
        print(f"\n{dialect}: {len(data)} bytes")
        bare = rate("bare lxml.etree.fromstring", n, lambda data=data: etree.fromstring(data))
        parsed = rate("parse (size, DTD, schema, SHA-256, read)", n, lambda data=data: edxml.parse(data))
        full = rate("build + validate + parse", n,
                    lambda dialect=dialect: edxml.parse(edxml.build(package, dialect=dialect)))
        print(f"bare lxml parse / parse: {bare / parsed:.1f}x; bare lxml parse / build+validate+parse: "
              f"{bare / full:.1f}x")

    with test_pki("bench-exchange-") as (_base, generated):
        certificate = a_seal_certificate(generated)
        print("\nseal: RSA-2048 software key of a test PKI, detached CMS over exclusive C14N")
        for dialect in ("qcvn102", "edoc"):
            data = edxml.build(package, dialect=dialect)
            signed = signature.sign_with(data, certificate=certificate)
            assert "Sở Tư pháp" in edxml.verify(signed)
            print(f"\n{dialect}: {len(signed)} bytes signed")
            sign_rate = rate("sign (C14N + CMS + envelope)", n,
                             lambda data=data: signature.sign_with(data, certificate=certificate))
            verify_rate = rate("verify (C14N + CMS validation to the root)", n,
                               lambda signed=signed: edxml.verify(signed))

            def whole(dialect=dialect):
                sealed = signature.sign_with(edxml.build(package, dialect=dialect), certificate=certificate)
                edxml.verify(sealed)
                edxml.parse(sealed)

            both = rate("build + sign + verify + parse", n, whole)
            print(f"sign {sign_rate:.1f}/s, verify {verify_rate:.1f}/s, the whole round {both:.1f}/s")


if __name__ == "__main__":
    main()
