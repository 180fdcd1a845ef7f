"""Ký số hàng loạt: a leader signs many approved results after one confirmation. Each result goes
through the signing door (``dossiers.results.sign_current_results``) in the background."""

import datetime as dt
import logging

from django.contrib.auth import get_user_model
from django.core.exceptions import PermissionDenied, ValidationError
from django.db.models import F
from django.utils import timezone
from django.utils.translation import gettext as _

from audit.services import record
from egov.tasks import enqueue
from signing.batch import concurrency
from signing.models import BatchSigning, CertificateKind
from signing.services import Confirmation, SigningRefused, check_confirmation, current_certificate

from .errors import StaleDossier
from .models import DossierFile
from .results import sign_current_results

logger = logging.getLogger(__name__)


def batch_sign(*, result_files, signer, confirmation: Confirmation) -> BatchSigning:
    """Sign many results after one confirmation, each its own signature, in the background."""
    check_confirmation(signer, confirmation)
    current_certificate(holder=signer, kind=CertificateKind.PERSONAL)
    ids = [f.pk for f in result_files]
    batch = BatchSigning.objects.create(created_by=signer, file_ids=ids, total=len(ids))
    record(action="create", obj=batch, summary={"event": "batch_signing_started", "total": len(ids)})
    # By the task's name (dossiers.tasks), so that services do not import tasks (decision 0010).
    enqueue("dossiers.run_signing_batch", batch.pk, confirmation.token, confirmation.expires_at.isoformat())
    return batch


def run_batch(batch_id: int, token: str, expires_at: str) -> BatchSigning:
    """Each result goes through the same door as a single signature
    (``dossiers.results.sign_current_results``, the many-result form of ``sign_current_result``):
    the dossier's state, the result shown when the batch was confirmed and the signer's authority
    are checked again when its turn comes. A dossier that changed meanwhile is reported failed with
    the reason; the others go on. Results are taken ``signing.batch.concurrency()`` × 2 at a time,
    their signatures made together (the timestamp requests concurrently)."""
    batch = BatchSigning.objects.get(pk=batch_id)
    confirmation = Confirmation(user_id=batch.created_by_id, token=token,
                                expires_at=dt.datetime.fromisoformat(expires_at))
    BatchSigning.objects.filter(pk=batch.pk).update(status=BatchSigning.Status.RUNNING)
    errors = dict(batch.errors)
    step = 2 * concurrency()
    for start in range(0, len(batch.file_ids), step):
        chunk = batch.file_ids[start:start + step]
        files = {f.pk: f for f in DossierFile.objects.select_related("dossier").filter(pk__in=chunk)}
        # Loaded afresh for each chunk: the signer's memberships (their authority) may change
        # while the batch runs, and directory.scope caches them on the user object.
        signer = get_user_model().objects.get(pk=batch.created_by_id)
        present = [file_id for file_id in chunk if file_id in files]
        outcomes = dict(zip(present, sign_current_results(
            requests=[(files[file_id].dossier, file_id) for file_id in present], acting_user=signer,
            confirmation=confirmation, batch=batch), strict=True))
        for file_id in chunk:
            label = files[file_id].dossier.code if file_id in files else f"#{file_id}"
            outcome = outcomes.get(file_id, SigningRefused(_("This result no longer exists.")))
            if not isinstance(outcome, Exception):
                BatchSigning.objects.filter(pk=batch.pk).update(done=F("done") + 1)
                continue
            if isinstance(outcome, (PermissionDenied, ValidationError, StaleDossier)):
                errors[label] = _reason(outcome)
            else:  # one failure must not stop the batch
                logger.error("batch %s: signing result %s failed", batch.pk, file_id, exc_info=outcome)
                errors[label] = _("Unexpected error; the administrators have been told.")
            BatchSigning.objects.filter(pk=batch.pk).update(failed=F("failed") + 1, errors=errors)
    BatchSigning.objects.filter(pk=batch.pk).update(status=BatchSigning.Status.DONE, finished_at=timezone.now())
    batch.refresh_from_db()
    record(action="update", obj=batch, summary={"event": "batch_signing_finished", "done": batch.done,
                                                "failed": batch.failed})
    return batch


def _reason(error: Exception) -> str:
    if isinstance(error, ValidationError):
        return " ".join(error.messages)[:300]
    return str(error)[:300]
