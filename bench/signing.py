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
import contextlib
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
    parser.add_argument("--batch", type=int, default=100, help="signatures in the B-LT batch")
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
    from signing import hsm, pades, signers
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
            return pades.sign(doc, signer=signers.software_signer(key, generated.cert(label), chain),
                              field_name="Sig", box=box, appearance=appearance)

        private = serialization.load_pem_private_key(Path(key).read_bytes(), password=None)

        def raw():
            private.sign(doc[:4096], padding.PKCS1v15(), hashes.SHA256())

        base_rate = rate("bare pyHanko loop (SimpleSigner.load + sign_pdf)", max(20, n // 5), naive)
        fair_rate = rate("stock pyHanko, SimpleSigner loaded once, sign_pdf loop", n, fair)
        rate("pades.sign, stock SimpleSigner loaded once", max(20, n // 5), stock_loaded_once)
        ours_rate = rate("our service path, software key, B-B invisible", n, ours)
        with previous_appearance():
            previous_visible = rate("previous path, B-B visible (font subset + image encoded per signature)",
                                    max(20, n // 10), ours_visible)
        visible = rate("our service path, software key, B-B visible (image+text)", n, ours_visible)
        print(f"visible B-B: {visible / previous_visible:.1f}x the previous path; "
              f"{visible / ours_rate:.2f} of an invisible signature's rate")
        with previous_appearance():
            cpu_before = cpu_ms(ours_visible, max(20, n // 10))
        cpu_visible, cpu_invisible = cpu_ms(ours_visible, n), cpu_ms(ours, n)
        print(f"  CPU per signature (this process, not waiting for a CPU): visible {cpu_visible:.1f} ms "
              f"(previous path {cpu_before:.1f} ms), invisible {cpu_invisible:.1f} ms -> at most "
              f"{1000 / cpu_visible:.0f} visible/s on one free core")
        visible_pdf = ours_visible()
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

        responder_speed(generated)
        software = signers.software_signer(key, generated.cert(label), chain)
        with responder(generated) as server:
            samples = long_term(doc, software, box, appearance, batch=args.batch, server=server)
            check_samples([("B-B visible", visible_pdf), *samples], generated, base)


def cpu_ms(fn, n: int) -> float:
    """CPU milliseconds of this process per call of ``fn`` (unlike wall time, not raised by other
    processes competing for the CPU)."""
    import time

    fn()
    start = time.process_time()
    for _ in range(n):
        fn()
    return (time.process_time() - start) / n * 1000


@contextlib.contextmanager
def previous_appearance():
    """The appearance as it was made before (pyHanko's font engine subsetting the font, and the
    image fitted and encoded, for every signature), for the baseline measured in the same run."""
    from pyhanko.pdf_utils.font.opentype import GlyphAccumulatorFactory
    from pyhanko.pdf_utils.images import PdfImage

    from signing import appearance

    kept_font, kept_image = appearance.font, appearance.kept_image

    def stock_image(image, fit_to=None):
        return PdfImage(appearance.fit_image(image, fit_to) if fit_to is not None else image)

    appearance.font = lambda path, size: GlyphAccumulatorFactory(appearance.thousand_units(path), font_size=size)
    appearance.kept_image = stock_image
    try:
        yield
    finally:
        appearance.font, appearance.kept_image = kept_font, kept_image


def responder_speed(generated) -> None:
    """Timestamps/s of the test PKI's responder (certomancer) as shipped and as ``signing.pki`` runs
    it (parsed keys and certificates kept), in this process, without HTTP."""
    import hashlib

    from asn1crypto import tsp
    from certomancer.integrations.animator import Animator, AnimatorArchStore
    from werkzeug.test import Client

    from signing import pki

    path = "/" + generated.tsa_url.split("/", 3)[3]

    def client(app):
        counter = iter(range(10**9))

        def request():
            query = tsp.TimeStampReq({"version": 1, "cert_req": True, "message_imprint": {
                "hash_algorithm": {"algorithm": "sha256"},
                "hashed_message": hashlib.sha256(str(next(counter)).encode()).digest()}})
            response = Client(app).post(path, data=query.dump(),
                                        headers={"Content-Type": "application/timestamp-query"})
            assert response.status_code == 200, response.status_code
        return request

    stock = Animator(AnimatorArchStore(pki.certomancer_config(generated).pki_archs), with_web_ui=False)
    rate("test TSA (certomancer as shipped), timestamps", 20, client(stock))
    rate("test TSA (signing.pki: parsed key + certificates kept)", 50, client(pki.animator(generated)))


@contextlib.contextmanager
def responder(generated):
    """The test PKI's OCSP/CRL/TSA responder in its own process, as a real one would be."""
    import multiprocessing
    import time

    from signing import pki

    process = multiprocessing.get_context("fork").Process(
        target=pki.serve, args=(generated,), kwargs={"background": False}, daemon=True)
    process.start()
    try:
        deadline = time.monotonic() + 30
        while not pki.responder_running(generated):
            if time.monotonic() > deadline:
                raise RuntimeError("the test PKI's responder did not start")
            time.sleep(0.1)
        yield process
    finally:
        process.terminate()
        process.join(10)


def cpu_seconds(pid: int) -> float:
    """User + system CPU time of process ``pid`` so far (Linux ``/proc``)."""
    fields = Path(f"/proc/{pid}/stat").read_text().rsplit(")", 1)[1].split()
    return (int(fields[11]) + int(fields[12])) / os.sysconf("SC_CLK_TCK")


def long_term(doc: bytes, software, box, appearance, *, batch: int, server) -> list[tuple[str, bytes]]:
    """B-LT (timestamp + embedded OCSP/CRL): one at a time fetching the revocation data every time
    (as before), one at a time with the revocation cache, and a visible batch (``pades.sign_many``)."""
    import time

    from signing import batch as batches
    from signing import pades, revocation, signers

    def one(**visible):
        return pades.sign(doc, signer=software, field_name="Sig", timestamper=signers.timestamper(),
                          validation_context=signers.signing_validation_context(), **visible)

    def uncached():
        revocation.cache.clear()
        one()

    before = rate("B-LT one at a time, revocation fetched every time", 20, uncached)
    revocation.cache.clear()
    cached = rate("B-LT one at a time, revocation cache", 20, one)
    jobs = [(doc, {"signer": software, "field_name": "Sig", "box": box, "appearance": appearance,
                   "timestamper": signers.timestamper(), "validation_context": signers.signing_validation_context()})
            for _ in range(batch)]
    fetches = revocation.cache.fetches
    start, cpu, server_cpu = time.perf_counter(), time.process_time(), cpu_seconds(server.pid)
    outputs = pades.sign_many(jobs, concurrency=batches.concurrency())
    elapsed = time.perf_counter() - start
    cpu, server_cpu = time.process_time() - cpu, cpu_seconds(server.pid) - server_cpu
    failed = [out for out in outputs if isinstance(out, Exception)]
    if failed:
        raise RuntimeError(f"{len(failed)} of the batch failed: {failed[0]!r}")
    per_s = batch / elapsed
    label = f"B-LT visible batch of {batch} (sign_many, {batches.concurrency()} at a time)"
    print(f"{label:<58} {per_s:10.1f} /s  ({elapsed / batch * 1000:7.2f} ms each)")
    print(f"  CPU per signature: {cpu / batch * 1000:.1f} ms signing + {server_cpu / batch * 1000:.1f} ms in the "
          f"responder (TSA); wall time above includes waiting for a CPU on a shared machine")
    print(f"B-LT: cache {cached / before:.1f}x one at a time; batch {per_s / before:.1f}x the previous path; "
          f"revocation requests during the batch: {revocation.cache.fetches - fetches}")
    picks = sorted({0, batch // 4, batch // 2, 3 * batch // 4, batch - 1})
    return [(f"B-LT batch #{index + 1}", outputs[index]) for index in picks]


def check_samples(samples: list[tuple[str, bytes]], generated, base: Path) -> None:
    """pdfsig (poppler + NSS, trusting the test root, asking the responder) and pyHanko's
    validation (``verify_pdf``) on each sample."""
    import subprocess

    from signing.verification import verify_pdf

    if not shutil.which("pdfsig") or not shutil.which("certutil"):
        print("pdfsig/certutil not installed: outputs not checked with pdfsig (apt-get install poppler-utils "
              "libnss3-tools)")
        nss = None
    else:
        nss = base / "nss"
        nss.mkdir(exist_ok=True)
        subprocess.run(["certutil", "-N", "-d", f"sql:{nss}", "--empty-password"], check=True, capture_output=True)
        for nickname, trust in (("root", "CT,C,C"), ("interm", ",,")):
            subprocess.run(["certutil", "-A", "-d", f"sql:{nss}", "-n", nickname, "-t", trust, "-i",
                            str(generated.cert_path(nickname))], check=True, capture_output=True)
    for name, pdf in samples:
        path = base / "sample.pdf"
        path.write_bytes(pdf)
        verdict = "pdfsig not run"
        if nss is not None:
            out = subprocess.run(["pdfsig", "-nssdir", f"sql:{nss}", str(path)], capture_output=True, text=True).stdout
            verdict = "; ".join(line.split(":", 1)[1].strip() for line in out.splitlines()
                                if "Signature Validation" in line or "Certificate Validation" in line)
        print(f"{name:<22} pdfsig: {verdict} | pyHanko: {'valid' if verify_pdf(pdf).ok else 'NOT VALID'}")


if __name__ == "__main__":
    main()
