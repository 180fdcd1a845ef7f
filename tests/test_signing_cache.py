"""What signing keeps between signatures, and what it must not hide: the font subset of a visible
signature made once, revocation data reused only while it is valid (its nextUpdate, at most
SIGNING_REVOCATION_CACHE_SECONDS), a revocation found once the "good" answer expires, and a batch
of B-LT signatures made together, each valid for pdfsig and for pyHanko."""

import datetime as dt
import functools
import io
import subprocess

import pytest
import time_machine
from pyhanko.pdf_utils.reader import PdfFileReader
from pyhanko.sign.general import SigningError
from pyhanko_certvalidator import ValidationContext
from pyhanko_certvalidator.errors import RevokedError

from signing import fonts, pades, revocation, signers
from signing.appearance import Appearance, default_signature_image
from signing.verification import verify_pdf
from tests.signing_fixtures import validate_pdf_signature
from tests.test_signing import a_document as make_document
from tests.test_signing import assert_pdfsig_valid, pdfsig

pytestmark = pytest.mark.requires_tools("pdfsig", "certutil", "pdftotext")

BOX = pades.Box(0, 340, 120, 520, 205)
CHAIN = ("interm", "root")


@functools.lru_cache(maxsize=1)
def a_document() -> bytes:
    return make_document()


def signer(generated, label="giamdoc-stp"):
    return signers.software_signer(generated.key_path(label), generated.cert(label),
                                   [generated.cert(c) for c in CHAIN])


def long_term(document, generated, label="giamdoc-stp", **visible):
    return pades.sign(document, signer=signer(generated, label), field_name="Sig", timestamper=signers.timestamper(),
                      validation_context=signers.signing_validation_context(), **visible)


def valid_for_pyhanko(pdf, generated) -> bool:
    embedded = PdfFileReader(io.BytesIO(pdf)).embedded_regular_signatures[0]
    status = validate_pdf_signature(embedded, ValidationContext(trust_roots=[generated.cert("root")]))
    return status.intact and status.valid and status.trusted


def embedded_revocation_data(pdf) -> int:
    dss = PdfFileReader(io.BytesIO(pdf)).root["/DSS"]
    return len(dss.get("/OCSPs", [])) + len(dss.get("/CRLs", []))


@pytest.fixture
def fresh_cache(test_pki):
    revocation.cache.clear()
    yield revocation.cache
    revocation.cache.clear()


def test_a_visible_signature_reuses_its_font_subset_and_shows_its_text(test_pki, nss_db, tmp_path):
    generated, _ = test_pki
    fonts.clear()
    appearance = Appearance(name="Hà Văn Thắng", image=default_signature_image(""))
    first = pades.sign(a_document(), signer=signer(generated), field_name="Sig", box=BOX, appearance=appearance)
    made = fonts.subsets_made
    with time_machine.travel(dt.timedelta(seconds=7)):  # another time in "Thời gian ký": the same subset
        second = pades.sign(a_document(), signer=signer(generated), field_name="Sig", box=BOX, appearance=appearance)
    assert made >= 1 and fonts.subsets_made == made
    for pdf in (first, second):
        assert_pdfsig_valid(pdf, nss_db, tmp_path, 1)
        (tmp_path / "shown.pdf").write_bytes(pdf)
        text = subprocess.run(["pdftotext", str(tmp_path / "shown.pdf"), "-"], capture_output=True, text=True,
                              check=True).stdout
        assert "Ký bởi: Hà Văn Thắng" in text and "Thời gian ký:" in text


def test_revocation_data_is_reused_while_it_is_valid(test_pki, nss_db, tmp_path, fresh_cache):
    generated, _ = test_pki
    first = long_term(a_document(), generated)
    fetched = fresh_cache.fetches
    assert fetched >= 1
    with time_machine.travel(dt.timedelta(minutes=2)):
        second = long_term(a_document(), generated)
    assert fresh_cache.fetches == fetched and fresh_cache.hits >= fetched
    for pdf in (first, second):
        assert embedded_revocation_data(pdf) >= 1  # B-LT: the cached data is embedded all the same
        assert_pdfsig_valid(pdf, nss_db, tmp_path, 1)
        assert valid_for_pyhanko(pdf, generated)


def test_revocation_data_is_fetched_again_after_its_next_update(test_pki, fresh_cache, settings):
    # The test responder's OCSP answers are valid 10 minutes; the cap is lifted to see nextUpdate decide.
    settings.SIGNING_REVOCATION_CACHE_SECONDS = 24 * 3600
    generated, _ = test_pki
    long_term(a_document(), generated)
    fetched = fresh_cache.fetches
    with time_machine.travel(dt.timedelta(minutes=9)):
        long_term(a_document(), generated)
        assert fresh_cache.fetches == fetched
    with time_machine.travel(dt.timedelta(minutes=11)):
        long_term(a_document(), generated)
        assert fresh_cache.fetches > fetched


def test_revocation_data_is_kept_no_longer_than_the_configured_age(test_pki, fresh_cache, settings):
    settings.SIGNING_REVOCATION_CACHE_SECONDS = 60
    generated, _ = test_pki
    long_term(a_document(), generated)
    fetched = fresh_cache.fetches
    with time_machine.travel(dt.timedelta(seconds=90)):
        long_term(a_document(), generated)
    assert fresh_cache.fetches > fetched


def test_a_revocation_is_found_once_the_good_answer_expires(test_pki, fresh_cache, settings):
    """revoked-official is revoked on 2025-01-01 00:00 UTC (signing/pki/egov-pki.yml). A "good"
    answer fetched just before is used while valid; past its nextUpdate the revocation is found."""
    settings.SIGNING_REVOCATION_CACHE_SECONDS = 24 * 3600
    generated, _ = test_pki
    revoked_at = dt.datetime(2025, 1, 1, tzinfo=dt.UTC)
    with time_machine.travel(revoked_at - dt.timedelta(minutes=3)):
        long_term(a_document(), generated, "revoked-official")  # still good
    with time_machine.travel(revoked_at + dt.timedelta(minutes=1)):
        long_term(a_document(), generated, "revoked-official")  # the good answer is valid until 00:07
    with time_machine.travel(revoked_at + dt.timedelta(minutes=8)), pytest.raises(SigningError) as refused:
        long_term(a_document(), generated, "revoked-official")
    assert any(isinstance(cause, RevokedError) for cause in _causes(refused.value)), refused.value
    # And the "revoked" answer is kept too: the next attempt is refused without a new request.
    fetched = fresh_cache.fetches
    with time_machine.travel(revoked_at + dt.timedelta(minutes=9)), pytest.raises(SigningError):
        long_term(a_document(), generated, "revoked-official")
    assert fresh_cache.fetches == fetched


def _causes(error):
    from signing.services import _causes as causes

    return causes(error)


def test_a_batch_of_long_term_signatures_all_validate(test_pki, nss_db, tmp_path, fresh_cache):
    generated, _ = test_pki
    appearance = Appearance(name="Hà Văn Thắng", image=default_signature_image(""))
    documents = [a_document()] * 12
    jobs = [(doc, {"signer": signer(generated), "field_name": "Sig", "box": BOX, "appearance": appearance,
                   "timestamper": signers.timestamper(), "validation_context": signers.signing_validation_context()})
            for doc in documents]
    outputs = pades.sign_many(jobs, concurrency=4)
    assert not [out for out in outputs if isinstance(out, Exception)], outputs
    # Concurrent signatures waiting for the same data share its request: a handful for the batch.
    assert fresh_cache.fetches <= 6
    for pdf in outputs:
        assert embedded_revocation_data(pdf) >= 1
        assert valid_for_pyhanko(pdf, generated)
        assert verify_pdf(pdf).ok
        assert_pdfsig_valid(pdf, nss_db, tmp_path, 1)
        signer_info = PdfFileReader(io.BytesIO(pdf)).embedded_regular_signatures[0].signer_info
        assert "signature_time_stamp_token" in {a["type"].native for a in signer_info["unsigned_attrs"]}


def test_a_failing_document_in_a_batch_does_not_stop_the_others(test_pki, fresh_cache, nss_db, tmp_path):
    generated, _ = test_pki
    good = {"signer": signer(generated), "field_name": "Sig", "timestamper": signers.timestamper(),
            "validation_context": signers.signing_validation_context()}
    outputs = pades.sign_many([(a_document(), good), (b"not a PDF", {**good}),
                               (a_document(), {**good, "validation_context": signers.signing_validation_context()})])
    assert isinstance(outputs[1], Exception) and not isinstance(outputs[0], Exception)
    assert "Signature is Valid." in pdfsig(outputs[2], nss_db, tmp_path)


def test_the_kept_font_engine_shapes_as_pyhankos_own(test_pki):
    from pyhanko.pdf_utils.font.opentype import GlyphAccumulatorFactory
    from pyhanko.pdf_utils.incremental_writer import IncrementalPdfFileWriter

    from signing.appearance import FONT, font, thousand_units

    text = "Thời gian ký: 09:04:47 ngày 07/12/2026 (GMT+7) — Phùng Văn Minh"
    writer = IncrementalPdfFileWriter(io.BytesIO(a_document()))
    stock = GlyphAccumulatorFactory(thousand_units(str(FONT)), font_size=8).create_font_engine(writer)
    kept = font(str(FONT), 8).create_font_engine(writer)
    assert isinstance(kept, fonts.CachedSubsetAccumulator)
    ours, theirs = kept.shape(text), stock.shape(text)
    assert (ours.graphics_ops, ours.x_advance) == (theirs.graphics_ops, theirs.x_advance)
    assert kept._glyphs == stock._glyphs and kept._cid_to_unicode == stock._cid_to_unicode
