"""Verification (xác thực chữ ký số) of every signature in an uploaded PDF, for anyone.

For each signature pyHanko reports: whether the signed bytes are intact, the signer and the
certificate chain and whether it reaches a trusted root, the signing time and the RFC 3161
timestamp, what changed in the document after signing (pyHanko's difference analysis:
:class:`~pyhanko.sign.diff_analysis.ModificationLevel`), and the revocation status at the time of
signing, judged with the validation data embedded in the file (B-LT) or, failing that, fetched
from an allow-listed responder for a chain to our roots only (:mod:`signing.verify_fetch`).

A document is "modified after signing" when any revision after the last signature changes more
than validation data (a field filled in, a field or annotation added, the page content), when a
change after an earlier signature goes beyond form filling and further signatures, or when a
signature's own lock (DocMDP certification, the seal's field lock) is broken.
The verdict is a sentence in plain Vietnamese (English msgids, ``signing/locale/vi``).
"""

from __future__ import annotations

import datetime as dt
import io
from dataclasses import asdict, dataclass, field

from django.utils.translation import gettext as _
from pyhanko.pdf_utils.reader import PdfFileReader
from pyhanko.sign.diff_analysis import ModificationLevel, SuspiciousModification
from pyhanko.sign.validation import async_validate_pdf_signature
from pyhanko.sign.validation.dss import DocumentSecurityStore
from pyhanko.sign.validation.status import SignatureCoverageLevel
from pyhanko_certvalidator import ValidationContext

from . import aio, verify_fetch
from .signers import trust_roots


@dataclass
class SignatureReport:
    field_name: str
    signer: str
    signer_subject: str
    chain: list[str]
    trusted: bool
    intact: bool
    valid: bool
    signing_time: str | None
    timestamp: str | None
    timestamp_valid: bool | None
    covers_whole_document: bool
    modification: str
    modification_ok: bool
    revocation: str
    revoked: bool
    verdict: str
    ok: bool


@dataclass
class Report:
    signatures: list[SignatureReport] = field(default_factory=list)
    verdict: str = ""
    ok: bool = False
    modified_after_signing: bool = False
    error: str = ""

    def as_dict(self) -> dict:
        return asdict(self)


def _iso(moment: dt.datetime | None) -> str | None:
    return moment.isoformat() if moment else None


def _tst_time(embedded) -> dt.datetime | None:
    attrs = embedded.signer_info["unsigned_attrs"]
    if not attrs or attrs.native is None:
        return None
    for attr in attrs:
        if attr["type"].native == "signature_time_stamp_token":
            token = attr["values"][0]
            return token["content"]["encap_content_info"]["content"].parsed["gen_time"].native
    return None


def _context(dss, moment, fetcher) -> ValidationContext:
    kwargs = {"trust_roots": list(trust_roots()), "revocation_mode": "soft-fail", "retroactive_revinfo": True}
    if fetcher is not None:
        kwargs.update(allow_fetching=True, fetcher_backend=fetcher)
    if moment is not None:
        kwargs["moment"] = moment
    if dss is not None:
        return dss.as_validation_context(kwargs)
    return ValidationContext(**kwargs)


def _dss(reader) -> DocumentSecurityStore | None:
    try:
        return DocumentSecurityStore.read_dss(reader)
    except Exception:  # noqa: BLE001 - no (readable) DSS: validate with the certificates in the signature
        return None


MODIFICATION_TEXT = {
    ModificationLevel.NONE: lambda: _("No change after signing."),
    ModificationLevel.LTA_UPDATES: lambda: _("Only validation data or timestamps were added after signing."),
    ModificationLevel.FORM_FILLING: lambda: _(
        "Form fields were filled in or further signatures added after signing (allowed)."),
    ModificationLevel.ANNOTATIONS: lambda: _("Annotations were added after signing."),
    ModificationLevel.OTHER: lambda: _("The document was changed after signing in a way that is not allowed."),
}


def _final_change_text() -> str:
    """After the last signature nothing a reader sees may change: a field filled in, a field (even
    an empty signature field with an appearance) or an annotation added there is covered by no
    signature."""
    return _("Fields were filled in or added, or annotations added, after the last signature: no signature "
             "covers them.")


# Most a later revision may change: after an earlier signature, form filling and further signatures
# (the clerk's number and date, the agency's seal); after the last one, validation data only.
ALLOWED_AFTER_EARLIER = ModificationLevel.FORM_FILLING
ALLOWED_AFTER_LAST = ModificationLevel.LTA_UPDATES


def verify_pdf(pdf_bytes: bytes) -> Report:
    """The one verification used by the page and the API: every signature, and whether the
    document was changed after it was signed."""
    report = Report()
    try:
        reader = PdfFileReader(io.BytesIO(pdf_bytes), strict=False)
        embedded = sorted(reader.embedded_regular_signatures, key=lambda sig: sig.signed_revision)
    except Exception:  # noqa: BLE001 - any parse failure is "not a readable PDF"
        report.error = _("The file is not a readable PDF document.")
        report.verdict = report.error
        return report
    if not embedded:
        report.verdict = _("The document carries no digital signature.")
        return report
    dss = _dss(reader)
    for index, sig in enumerate(embedded):
        report.signatures.append(_one(sig, dss, last=index == len(embedded) - 1))
    report.modified_after_signing = any(not s.modification_ok for s in report.signatures)
    report.ok = all(s.ok for s in report.signatures)
    if report.modified_after_signing:
        report.verdict = _("The document was changed after it was signed: what it shows now may differ from "
                           "what was signed. Do not rely on it.")
    elif report.ok:
        report.verdict = _("All %(count)d signatures are valid and the document has not been altered.") % {
            "count": len(report.signatures)}
    else:
        report.verdict = _("At least one signature is NOT valid: do not rely on this document.")
    return report


def _modification_level(status) -> ModificationLevel:
    diff = status.diff_result
    if isinstance(diff, SuspiciousModification):
        return ModificationLevel.OTHER
    if diff is None:  # no difference analysis: only a signature over the whole file is unchanged
        return ModificationLevel.NONE if status.coverage == SignatureCoverageLevel.ENTIRE_FILE else ModificationLevel.OTHER
    return status.modification_level or ModificationLevel.NONE


async def _validate(sig, dss):
    """pyHanko's validation; revocation data fetched only for a chain to our roots, and only from
    allow-listed responders (:mod:`signing.verify_fetch`). Returns the status and whether the
    revocation status could not be established."""
    certs = list(sig.other_embedded_certs) + (list(dss.load_certs()) if dss is not None else [])
    trusted_chain = await verify_fetch.chains_to_trust_root(sig.signer_cert, certs)
    fetcher = verify_fetch.backend() if trusted_chain else None
    signer_context = _context(dss, _tst_time(sig), fetcher)
    status = await async_validate_pdf_signature(sig, signer_validation_context=signer_context,
                                                ts_validation_context=_context(dss, None, fetcher))
    return status, bool(signer_context.soft_fail_exceptions)


def _one(sig, dss, *, last: bool) -> SignatureReport:
    status, revocation_unknown = aio.run(_validate(sig, dss))
    cert = status.signing_cert
    path = status.validation_path
    chain = [c.subject.human_friendly for c in path.iter_certs(include_root=True)] if path else [
        cert.subject.human_friendly]
    level = _modification_level(status)
    allowed = ALLOWED_AFTER_LAST if last else ALLOWED_AFTER_EARLIER
    modification_ok = level <= allowed and status.docmdp_ok is not False
    revoked = bool(status.revocation_details)
    indic = status.trust_problem_indic.name if status.trust_problem_indic else ""
    trusted = status.trusted
    revocation_unknown = trusted and not revoked and (revocation_unknown or indic in (
        "TRY_LATER", "REVOCATION_OUT_OF_BOUNDS_NO_POE"))
    if revoked:
        revocation = _("The certificate was revoked on %(date)s, before the signature was made.") % {
            "date": status.revocation_details.revocation_date.astimezone(dt.UTC).strftime("%d/%m/%Y")}
    elif revocation_unknown or indic in ("TRY_LATER", "REVOCATION_OUT_OF_BOUNDS_NO_POE"):
        revocation = _("The revocation status could not be established.")
    elif trusted:
        revocation = _("The certificate was not revoked at the time of signing.")
    else:
        revocation = _("Not checked: the certificate does not chain to a trusted root.")
    ts = status.timestamp_validity
    intact = status.intact and status.valid
    ok = (intact and trusted and not revoked and not revocation_unknown and modification_ok
          and (ts is None or ts.valid and ts.intact))
    if not intact:
        verdict = _("INVALID: the signed content has been altered or the signature is damaged.")
    elif revoked:
        verdict = _("INVALID: the signer's certificate had been revoked when the document was signed.")
    elif not modification_ok:
        verdict = _("MODIFIED: the document was changed after this signature; what it shows now may not be "
                    "what was signed.")
    elif not trusted and indic in ("NO_CERTIFICATE_CHAIN_FOUND", "CHAIN_CONSTRAINTS_FAILURE"):
        verdict = _("NOT TRUSTED: the certificate was not issued by a certification authority we trust.")
    elif not trusted:
        verdict = _("NOT CONFIRMED: the signer's certificate could not be fully checked (%(reason)s).") % {
            "reason": _reason(indic)}
    elif revocation_unknown:
        verdict = _("NOT CONFIRMED: whether the signer's certificate had been revoked could not be checked.")
    else:
        verdict = _("VALID: signed by %(name)s; the content is unchanged since signing.") % {
            "name": _common_name(cert)}
    modification = (_final_change_text() if last and level == ModificationLevel.FORM_FILLING
                    else MODIFICATION_TEXT[level]())
    return SignatureReport(
        field_name=sig.field_name or "", signer=_common_name(cert), signer_subject=cert.subject.human_friendly,
        chain=chain, trusted=trusted, intact=intact, valid=status.valid, signing_time=_iso(status.signer_reported_dt),
        timestamp=_iso(ts.timestamp) if ts else None, timestamp_valid=(ts.valid and ts.intact and ts.trusted) if ts else None,
        covers_whole_document=status.coverage == SignatureCoverageLevel.ENTIRE_FILE,
        modification=str(modification), modification_ok=modification_ok,
        revocation=revocation, revoked=revoked, verdict=verdict, ok=ok)


# Why a certificate could not be fully checked (pyHanko's AdES sub-indications), in words.
REASONS = {
    "EXPIRED": lambda: _("the certificate had expired"),
    "NOT_YET_VALID": lambda: _("the certificate was not valid yet"),
    "OUT_OF_BOUNDS_NO_POE": lambda: _("the signing time is outside the certificate's validity"),
    "OUT_OF_BOUNDS_NOT_REVOKED": lambda: _("the signing time is outside the certificate's validity"),
    "REVOKED_NO_POE": lambda: _("the certificate has been revoked"),
    "REVOKED_CA_NO_POE": lambda: _("a certificate of the issuing authority has been revoked"),
    "CRYPTO_CONSTRAINTS_FAILURE": lambda: _("the algorithm or key is too weak"),
    "CRYPTO_CONSTRAINTS_FAILURE_NO_POE": lambda: _("the algorithm or key is too weak"),
    "CERTIFICATE_CHAIN_GENERAL_FAILURE": lambda: _("the certificate chain could not be checked"),
    "NO_SIGNING_CERTIFICATE_FOUND": lambda: _("the signer's certificate is missing"),
    "TRY_LATER": lambda: _("the revocation status is not available now; try again later"),
}


def _reason(indic: str) -> str:
    return str(REASONS[indic]()) if indic in REASONS else _("unknown reason")


def _common_name(cert) -> str:
    return cert.subject.native.get("common_name", cert.subject.human_friendly)
