"""Signing throughput: signatures/s through our service's path (``signing.pades.sign`` with the
process-level signer cache, the reserved signature size and :class:`signing.signers.ReusingCMSSigner`,
the CMS assembly shared by the software-key and the PKCS#11 signer that ``signing.services`` uses)
vs the fair baseline, stock pyHanko with its ``SimpleSigner`` loaded once and ``signers.sign_pdf`` in a
loop, vs the naive bare pyHanko loop (``SimpleSigner.load`` + ``signers.sign_pdf`` per signature) vs raw
RSA-2048 with ``cryptography``, the same key and the same one-page PDF, PAdES B-B; PKCS#11
(SoftHSM2) too; B-LT (timestamp + embedded revocation data over local HTTP) separately;
verifications/s.

Run: ``.venv/bin/python bench/signing.py [--n 200]``.
"""

import argparse
import io
import logging
import os
import shutil
import sys
from pathlib import Path

sys.path.insert(0, str(Path(__file__).resolve().parent.parent))
os.environ.setdefault("DJANGO_SETTINGS_MODULE", "egov.settings")

from bench.throwaway import rate, test_pki  # noqa: E402 - after the checkout is on the path


def main():
    parser = argparse.ArgumentParser()
    parser.add_argument("--n", type=int, default=200)
    args = parser.parse_args()
    import django

    django.setup()
    logging.disable(logging.INFO)
    from cryptography.hazmat.primitives import hashes, serialization
    from cryptography.hazmat.primitives.asymmetric import padding
    from django.conf import settings
    from pyhanko.pdf_utils.incremental_writer import IncrementalPdfFileWriter
    from pyhanko.sign import signers as ph

    from dossiers.pdf import html_to_pdf
    from signing import hsm, pades, pki, signers
    from signing.appearance import Appearance, default_signature_image
    from signing.verification import verify_pdf

    with test_pki("bench-signing-") as (base, generated):
        label = "giamdoc-stp"
        key, cert = str(generated.key_path(label)), str(generated.cert_path(label))
        chain_files = [str(generated.cert_path(x)) for x in ("interm", "root")]
        doc = html_to_pdf("<html lang='vi'><body><h1>QUYẾT ĐỊNH</h1><p>Một trang thử nghiệm.</p></body></html>")
        n = args.n
        print(f"one-page PDF of {len(doc)} bytes, RSA-2048, SHA-256, n={n}")

        def naive():
            signer = ph.SimpleSigner.load(key, cert, ca_chain_files=chain_files)
            writer = IncrementalPdfFileWriter(io.BytesIO(doc))
            ph.sign_pdf(writer, ph.PdfSignatureMetadata(field_name="Sig"), signer=signer)

        chain = [generated.cert(x) for x in ("interm", "root")]

        def ours():
            pades.sign(doc, signer=signers.software_signer(key, generated.cert(label), chain), field_name="Sig")

        assert isinstance(signers.software_signer(key, generated.cert(label), chain), signers.ReusingCMSSigner)
        stock = ph.SimpleSigner.load(key, cert, ca_chain_files=chain_files)

        def fair():  # what anyone would write with pyHanko alone: load the signer once, sign in a loop
            writer = IncrementalPdfFileWriter(io.BytesIO(doc))
            ph.sign_pdf(writer, ph.PdfSignatureMetadata(field_name="Sig"), signer=stock)

        def stock_loaded_once():
            pades.sign(doc, signer=stock, field_name="Sig")

        box = pades.Box(0, 340, 120, 520, 205)
        appearance = Appearance(name="Hà Văn Thắng", image=default_signature_image(""))

        def ours_visible():
            pades.sign(doc, signer=signers.software_signer(key, generated.cert(label), chain), field_name="Sig",
                       box=box, appearance=appearance)

        private = serialization.load_pem_private_key(Path(key).read_bytes(), password=None)

        def raw():
            private.sign(doc[:4096], padding.PKCS1v15(), hashes.SHA256())

        base_rate = rate("bare pyHanko loop (SimpleSigner.load + sign_pdf)", max(20, n // 5), naive)
        fair_rate = rate("stock pyHanko, SimpleSigner loaded once, sign_pdf loop", n, fair)
        rate("pades.sign, stock SimpleSigner loaded once", max(20, n // 5), stock_loaded_once)
        ours_rate = rate("our service path, software key, B-B invisible", n, ours)
        rate("our service path, software key, B-B visible (image+text)", max(20, n // 5), ours_visible)
        rate("raw RSA-2048 sign (cryptography)", n * 5, raw)
        print(f"speed-up over the bare pyHanko loop (software key): {ours_rate / base_rate:.1f}x")
        print(f"speed-up over stock pyHanko with the signer loaded once (software key): {ours_rate / fair_rate:.1f}x")

        if shutil.which("softhsm2-util"):
            hsm.softhsm_init(base / "softhsm", token_label="bench", pin="1234", so_pin="5678",
                             keys={label: generated.key_path(label)})
            settings.SIGNING_TOKEN_PIN = "1234"

            def ours_pkcs11():  # as signing.services does: signer from the cache, per signature
                pades.sign(doc, signer=signers.pkcs11_signer("bench", label, generated.cert(label), chain),
                           field_name="Sig")

            assert isinstance(signers.pkcs11_signer("bench", label, generated.cert(label), chain),
                              signers.ReusingCMSSigner)
            p11_rate = rate("our service path, PKCS#11 key (SoftHSM2), B-B invisible", n, ours_pkcs11)
            print(f"speed-up over the bare pyHanko loop (PKCS#11 key): {p11_rate / base_rate:.1f}x")
            print(f"speed-up over stock pyHanko with the signer loaded once (PKCS#11 key): "
                  f"{p11_rate / fair_rate:.1f}x")

        signed = pades.sign(doc, signer=signers.software_signer(key, generated.cert(label), chain), field_name="Sig")
        rate("verifications (verify_pdf, one signature, no fetching)", max(20, n // 5), lambda: verify_pdf(signed))

        server = pki.serve(generated)
        try:
            settings.SIGNING_VERIFY_FETCH = True
            software = signers.software_signer(key, generated.cert(label), chain)
            rate("our service path, B-LT (timestamp + OCSP/CRL over local HTTP)", 10, lambda: pades.sign(
                doc, signer=software, field_name="Sig", timestamper=signers.timestamper(),
                validation_context=signers.signing_validation_context()))
        finally:
            server.shutdown()


if __name__ == "__main__":
    main()
