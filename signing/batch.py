"""Many signatures of one official at once (ký số hàng loạt): the results of a batch.

Each signature is the one :func:`signing.services.result_signature` makes (the same preparation,
certificate, appearance, timestamp and revocation data, the same refusals), but they are made
together: ``SIGNING_BATCH_CONCURRENCY`` (8) at a time in one event loop and one HTTP session
(``pades.sign_many``), so that the timestamp requests of a batch overlap instead of queueing, and
the revocation data is fetched once for all of them (``signing.revocation``). Writes nothing: the
caller (``dossiers.results.sign_current_results``) keeps and records each one.
"""

from __future__ import annotations

import hashlib
from dataclasses import dataclass

from django.conf import settings

from . import pades, signers
from .models import CertificateKind
from .services import (
    RESULT_BOX,
    RESULT_FIELD,
    Signed,
    SigningRefused,
    check_confirmation,
    current_certificate,
    prepare_result,
    refusal,
    signature_options,
)


@dataclass(frozen=True)
class ResultToSign:
    """One result of the batch: its bytes and the authority printed above the signature."""

    pdf_bytes: bytes
    authority: tuple[str, ...] = ()
    delegation_id: int | None = None


def concurrency() -> int:
    return max(1, int(getattr(settings, "SIGNING_BATCH_CONCURRENCY", 8)))


def result_signatures(results: list[ResultToSign], *, signer, confirmation) -> list[Signed | Exception]:
    """The official's signature on each of ``results`` (see the module's docstring), in order:
    a :class:`~signing.services.Signed`, or the exception that stopped that one (SigningRefused,
    SigningUnavailable…). A confirmation or certificate that cannot sign refuses them all."""
    check_confirmation(signer, confirmation)
    certificate = current_certificate(holder=signer, kind=CertificateKind.PERSONAL)
    # The signer, its appearance and the timestamper are the same for all; the box and the
    # validation context (what it fetched goes into that signature) are each one's own.
    problem = certificate.problem()
    if problem:
        raise SigningRefused(problem)
    try:
        shared = signature_options(certificate=certificate, field_name=RESULT_FIELD, box=RESULT_BOX)
    except Exception as error:  # the token cannot be reached: none of them can be signed
        meaning = refusal(error, certificate=certificate, field_name=RESULT_FIELD)
        if meaning is error:
            raise
        raise meaning from error
    outcomes: list = [None] * len(results)
    jobs: list[tuple[int, bytes, dict]] = []
    for index, result in enumerate(results):
        try:
            prepared, box = prepare_result(result.pdf_bytes, signer=signer, authority=result.authority)
            options = {**shared, "box": box, "validation_context": signers.signing_validation_context()}
            jobs.append((index, prepared, options))
        except Exception as error:  # this result only (an unreadable PDF…)
            outcomes[index] = error
    made = pades.sign_many([(prepared, options) for _, prepared, options in jobs], concurrency=concurrency())
    for (index, prepared, _options), pdf in zip(jobs, made, strict=True):
        if isinstance(pdf, Exception):
            meaning = refusal(pdf, certificate=certificate, field_name=RESULT_FIELD)
            if meaning is not pdf:
                meaning.__cause__ = pdf
            outcomes[index] = meaning
            continue
        result = results[index]
        outcomes[index] = Signed(pdf=pdf, certificate=certificate, field_name=RESULT_FIELD,
                                 input_sha256=hashlib.sha256(prepared).hexdigest(),
                                 authority=tuple(result.authority), delegation_id=result.delegation_id)
    return outcomes
