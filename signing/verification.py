"""Verification (xác thực chữ ký số) of every signature in an uploaded PDF, for anyone.

For each signature pyHanko reports: whether the signed bytes are intact, the signer and the
certificate chain and whether it reaches a trusted root, the signing time and the RFC 3161
timestamp, what changed in the document after signing (pyHanko's difference analysis:
:class:`~pyhanko.sign.diff_analysis.ModificationLevel`), and the revocation status at the time of
signing, judged with the validation data embedded in the file (B-LT) or, failing that, fetched.
The verdict is a sentence in plain Vietnamese (English msgids, ``signing/locale/vi``).
"""

from __future__ import annotations

import datetime as dt
import io
from dataclasses import asdict, dataclass, field

from django.conf import settings
from django.utils.translation import gettext as _
from pyhanko.pdf_utils.reader import PdfFileReader
from pyhanko.sign.diff_analysis import ModificationLevel, SuspiciousModification
from pyhanko.sign.validation import async_validate_pdf_signature
from pyhanko.sign.validation.dss import DocumentSecurityStore
from pyhanko_certvalidator import ValidationContext

from . import aio
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


def _context(reader, moment, fetch: bool) -> ValidationContext:
    kwargs = {"trust_roots": list(trust_roots()), "allow_fetching": fetch, "revocation_mode": "soft-fail",
              "retroactive_revinfo": True}
    if moment is not None:
        kwargs["moment"] = moment
    try:
        dss = DocumentSecurityStore.read_dss(reader)
    except Exception:  # noqa: BLE001 - no DSS: validate with what can be fetched
        dss = None
    if dss is not None:
        return dss.as_validation_context(kwargs)
    return ValidationContext(**kwargs)


MODIFICATION_TEXT = {
    ModificationLevel.NONE: lambda: _("No change after signing."),
    ModificationLevel.LTA_UPDATES: lambda: _("Only validation data or timestamps were added after signing."),
    ModificationLevel.FORM_FILLING: lambda: _(
        "Form fields were filled in or further signatures added after signing (allowed)."),
    ModificationLevel.ANNOTATIONS: lambda: _("Annotations were added after signing."),
    ModificationLevel.OTHER: lambda: _("The document was changed after signing in a way that is not allowed."),
}


def verify_pdf(pdf_bytes: bytes) -> Report:
    report = Report()
    try:
        reader = PdfFileReader(io.BytesIO(pdf_bytes), strict=False)
        embedded = list(reader.embedded_regular_signatures)
    except Exception:  # noqa: BLE001 - any parse failure is "not a readable PDF"
        report.error = _("The file is not a readable PDF document.")
        report.verdict = report.error
        return report
    if not embedded:
        report.verdict = _("The document carries no digital signature.")
        return report
    fetch = getattr(settings, "SIGNING_VERIFY_FETCH", True)
    for sig in embedded:
        report.signatures.append(_one(reader, sig, fetch))
    report.ok = all(s.ok for s in report.signatures)
    report.verdict = (_("All %(count)d signatures are valid and the document has not been altered.")
                      % {"count": len(report.signatures)} if report.ok
                      else _("At least one signature is NOT valid: do not rely on this document."))
    return report


def _one(reader, sig, fetch: bool) -> SignatureReport:
    tst_time = _tst_time(sig)
    status = aio.run(async_validate_pdf_signature(sig, signer_validation_context=_context(reader, tst_time, fetch),
                                                  ts_validation_context=_context(reader, None, fetch)))
    cert = status.signing_cert
    path = status.validation_path
    chain = [c.subject.human_friendly for c in path.iter_certs(include_root=True)] if path else [
        cert.subject.human_friendly]
    diff = status.diff_result
    if isinstance(diff, SuspiciousModification):
        level = ModificationLevel.OTHER
    else:
        level = status.modification_level or ModificationLevel.NONE
    modification_ok = level <= ModificationLevel.FORM_FILLING and status.docmdp_ok is not False
    revoked = bool(status.revocation_details)
    indic = status.trust_problem_indic.name if status.trust_problem_indic else ""
    if revoked:
        revocation = _("The certificate was revoked on %(date)s, before the signature was made.") % {
            "date": status.revocation_details.revocation_date.astimezone(dt.UTC).strftime("%d/%m/%Y")}
    elif status.trusted:
        revocation = _("The certificate was not revoked at the time of signing.")
    elif indic in ("TRY_LATER", "REVOCATION_OUT_OF_BOUNDS_NO_POE"):
        revocation = _("The revocation status could not be established.")
    else:
        revocation = _("Not checked: the certificate does not chain to a trusted root.")
    ts = status.timestamp_validity
    trusted = status.trusted
    intact = status.intact and status.valid
    ok = intact and trusted and not revoked and modification_ok and (ts is None or ts.valid and ts.intact)
    if not intact:
        verdict = _("INVALID: the signed content has been altered or the signature is damaged.")
    elif revoked:
        verdict = _("INVALID: the signer's certificate had been revoked when the document was signed.")
    elif not modification_ok:
        verdict = _("INVALID: the document was modified after this signature in a way that is not allowed.")
    elif not trusted and indic in ("NO_CERTIFICATE_CHAIN_FOUND", "CHAIN_CONSTRAINTS_FAILURE"):
        verdict = _("NOT TRUSTED: the certificate was not issued by a certification authority we trust.")
    elif not trusted:
        verdict = _("NOT CONFIRMED: the signer's certificate could not be fully checked (%(reason)s).") % {
            "reason": indic or "?"}
    else:
        verdict = _("VALID: signed by %(name)s; the content is unchanged since signing.") % {
            "name": _common_name(cert)}
    return SignatureReport(
        field_name=sig.field_name or "", signer=_common_name(cert), signer_subject=cert.subject.human_friendly,
        chain=chain, trusted=trusted, intact=intact, valid=status.valid, signing_time=_iso(status.signer_reported_dt),
        timestamp=_iso(ts.timestamp) if ts else None, timestamp_valid=(ts.valid and ts.intact and ts.trusted) if ts else None,
        covers_whole_document=status.coverage is not None and status.coverage.name == "ENTIRE_FILE",
        modification=str(MODIFICATION_TEXT[level]()), modification_ok=modification_ok,
        revocation=revocation, revoked=revoked, verdict=verdict, ok=ok)


def _common_name(cert) -> str:
    return cert.subject.native.get("common_name", cert.subject.human_friendly)
