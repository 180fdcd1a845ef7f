"""A birth registration settled by the province goes to the civil-status database (Cơ sở dữ liệu hộ
tịch điện tử, Law on Civil Status 2014 art. 60; Decree 87/2020/NĐ-CP) when its result is issued,
through the outbound queue; the database's answer is written on the dossier's history.

Which procedures are birth registrations is data: ``NATIONAL_BIRTH_PROCEDURES`` (procedure codes of
the national database of administrative procedures; 1.001193 is "Thủ tục đăng ký khai sinh")."""

from __future__ import annotations

from django.conf import settings
from django.utils import timezone
from django.utils.translation import gettext as _

from dossiers.models import Dossier, DossierEvent, DossierFile
from national import civil_status, outbound
from national.models import OutboundItem

KIND = "birth"


def birth_procedures() -> frozenset[str]:
    return frozenset(getattr(settings, "NATIONAL_BIRTH_PROCEDURES", ("1.001193",)))


def result_issued(result: DossierFile) -> None:
    dossier = Dossier.objects.select_related("procedure_version__procedure", "agency").get(pk=result.dossier_id)
    if dossier.procedure_version.procedure.code not in birth_procedures():
        return
    form = dossier.form_data or {}
    data = civil_status.birth_message({
        "SoDangKy": result.issue_number, "NgayDangKy": timezone.localdate().isoformat(),
        "HoTen": form.get("child_name", ""), "NgaySinh": form.get("birth_date", ""), "GioiTinh": form.get("sex", ""),
        "NoiSinh": form.get("birth_place", ""), "NguoiYeuCau": form.get("requester_name", dossier.applicant_name)})
    received = dossier.received_at or dossier.submitted_at or timezone.now()
    outbound.enqueue(system=civil_status.SYSTEM, kind=KIND, reference=dossier.code or str(dossier.pk),
                     idempotency_key=f"civil_status:birth:{dossier.pk}",
                     payload=civil_status.envelope(agency_code=dossier.agency.code, module=civil_status.BIRTH,
                                                   dossier_code=dossier.code or "",
                                                   received_on=timezone.localdate(received).isoformat(), data=data))


def answered(item: OutboundItem) -> None:
    """The database's answer, on the dossier's history (for the officials; the applicant is not told)."""
    if item.system != civil_status.SYSTEM or item.kind != KIND:
        return
    dossier = Dossier.objects.filter(code=item.reference).first()
    if dossier is None:
        return
    if item.state == OutboundItem.State.DELIVERED:
        note = _("Civil status database: birth registration recorded (%(identifier)s).") % {
            "identifier": item.response.get("soDinhDanhHoTich", "")}
    else:
        note = _("Civil status database refused the birth registration: error %(code)s %(detail)s.") % {
            "code": item.response.get("code", ""), "detail": item.response.get("detail", "")}
    DossierEvent.objects.create(dossier=dossier, at=timezone.now(), status=dossier.status,
                                from_status=dossier.status, actor=None, note=note, internal=True)
