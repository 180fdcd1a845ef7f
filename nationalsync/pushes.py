"""Every status change and the result of a dossier that came from the national portal go back to
it, through the outbound queue (ADR 0046). Called inside the door's transaction (the dossier's
event or issued result is being saved), so the message exists exactly when the change does."""

from __future__ import annotations

from django.utils import timezone

from dossiers.models import Dossier, DossierEvent, DossierFile
from dossiers.states import Status
from national import outbound
from national.npsp import TrangThai
from signing.services import verification_url

from .models import NationalDossier

S = Status


def national_status(previous: str, status: str) -> int | None:
    """The national portal's TrangThaiHoSo for a move of the one-stop state machine (ADR 0046)."""
    if status == S.IN_PROGRESS:
        return TrangThai.RECEIVED if previous == S.SUBMITTED else TrangThai.PROCESSING
    if status == S.REFUSED:
        return TrangThai.NOT_RECEIVED if previous == S.SUBMITTED else TrangThai.SETTLED
    codes: dict[str, int] = {
        S.SUBMITTED: TrangThai.REGISTERED, S.SUPPLEMENT_REQUESTED: TrangThai.SUPPLEMENT, S.PAUSED: TrangThai.PROCESSING,
        S.RESULT_READY: TrangThai.SETTLED, S.COMPLETED: TrangThai.RETURNED, S.WITHDRAWN: TrangThai.WITHDRAWN,
        S.STOPPED: TrangThai.STOPPED,
    }
    return codes.get(status)


def _link(dossier_id: int) -> NationalDossier | None:
    return NationalDossier.objects.filter(dossier_id=dossier_id, state=NationalDossier.State.RECEIVED).first()


def status_changed(event: DossierEvent) -> None:
    if not event.from_status or event.status == event.from_status:
        return  # a note on the timeline, not a change of state
    link = _link(event.dossier_id)
    code = national_status(event.from_status, event.status)
    if link is None or code is None:
        return
    dossier = Dossier.objects.only("code").get(pk=event.dossier_id)
    outbound.enqueue(system="npsp", kind="status", reference=link.national_code, idempotency_key=f"npsp:status:{event.pk}",
                     payload={"trangThai": code, "ngayCapNhat": timezone.localtime(event.at).isoformat(),
                              "noiDung": event.applicant_note[:2000], "maHoSoTinh": dossier.code})


def result_issued(result: DossierFile) -> None:
    link = _link(result.dossier_id)
    if link is None:
        return
    dossier = Dossier.objects.only("code").get(pk=result.dossier_id)
    outbound.enqueue(system="npsp", kind="result", reference=link.national_code,
                     idempotency_key=f"npsp:result:{result.pk}",
                     payload={"soKetQua": result.issue_number, "ngayBanHanh": timezone.localdate().isoformat(),
                              "tenTep": result.download_name, "maXacThuc": result.sha256,
                              "duongDan": verification_url(result.sha256), "maHoSoTinh": dossier.code})
