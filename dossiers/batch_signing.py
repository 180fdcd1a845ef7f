"""Ký số hàng loạt: a leader signs many approved results after one confirmation. Each result goes
through the single-signing door (``dossiers.results.sign_current_result``) in the background."""

import datetime as dt
import logging

from django.contrib.auth import get_user_model
from django.core.exceptions import PermissionDenied, ValidationError
from django.db.models import F
from django.utils import timezone
from django.utils.translation import gettext as _

from audit.services import record
from egov.tasks import enqueue
from signing.models import BatchSigning, CertificateKind
from signing.services import Confirmation, SigningRefused, check_confirmation, current_certificate

from .errors import StaleDossier
from .models import DossierFile
from .results import sign_current_result

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
    (``dossiers.results.sign_current_result``): the dossier's state, the result shown when the
    batch was confirmed and the signer's authority are checked again when its turn comes. A
    dossier that changed meanwhile is reported failed with the reason; the others go on."""
    batch = BatchSigning.objects.get(pk=batch_id)
    confirmation = Confirmation(user_id=batch.created_by_id, token=token,
                                expires_at=dt.datetime.fromisoformat(expires_at))
    BatchSigning.objects.filter(pk=batch.pk).update(status=BatchSigning.Status.RUNNING)
    errors = dict(batch.errors)
    for file_id in batch.file_ids:
        result_file = DossierFile.objects.select_related("dossier").filter(pk=file_id).first()
        label = result_file.dossier.code if result_file is not None else f"#{file_id}"
        # Loaded afresh for each result: the signer's memberships (their authority) may change
        # while the batch runs, and directory.scope caches them on the user object.
        signer = get_user_model().objects.get(pk=batch.created_by_id)
        try:
            if result_file is None:
                raise SigningRefused(_("This result no longer exists."))
            sign_current_result(dossier=result_file.dossier, acting_user=signer, confirmation=confirmation,
                                batch=batch, result_id=file_id)
        except (PermissionDenied, ValidationError, StaleDossier) as error:
            errors[label] = _reason(error)
            BatchSigning.objects.filter(pk=batch.pk).update(failed=F("failed") + 1, errors=errors)
        except Exception:  # one failure must not stop the batch
            logger.exception("batch %s: signing result %s failed", batch.pk, file_id)
            errors[label] = _("Unexpected error; the administrators have been told.")
            BatchSigning.objects.filter(pk=batch.pk).update(failed=F("failed") + 1, errors=errors)
        else:
            BatchSigning.objects.filter(pk=batch.pk).update(done=F("done") + 1)
    BatchSigning.objects.filter(pk=batch.pk).update(status=BatchSigning.Status.DONE, finished_at=timezone.now())
    batch.refresh_from_db()
    record(action="update", obj=batch, summary={"event": "batch_signing_finished", "done": batch.done,
                                                "failed": batch.failed})
    return batch


def _reason(error: Exception) -> str:
    if isinstance(error, ValidationError):
        return " ".join(error.messages)[:300]
    return str(error)[:300]
