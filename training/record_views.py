"""Each official's training record (hồ sơ bồi dưỡng), the certificate as PDF, and the training gap
per agency and role with its Excel export. Scoped by ``training.policy``: someone else's record or
an agency out of reach is a 404."""

from __future__ import annotations

from django.contrib.auth import get_user_model
from django.http import Http404, HttpRequest, HttpResponse
from django.shortcuts import get_object_or_404, render
from django.utils import timezone

from directory.models import Agency, Role
from dossiers.office.common import office

from . import certificate_pdf, exports, policy, selectors, services
from .models import Test


@office
def my_record(request: HttpRequest) -> HttpResponse:
    return _record(request, request.user)


@office
def official_record(request: HttpRequest, user_id: int) -> HttpResponse:
    official = get_object_or_404(get_user_model(), pk=user_id, kind="official")
    if not policy.may_see_record(request.user, official):
        raise Http404
    return _record(request, official)


def _record(request: HttpRequest, official) -> HttpResponse:
    record = selectors.record_of(official)
    own = official.pk == request.user.pk
    tests = {}
    if own:
        for test in Test.objects.filter(active=True, course__in=[item.course for item in record.obligations]):
            if services.may_attempt(test, official):
                tests[test.course_id] = test
    due = [{"item": item, "test": tests.get(item.course.pk)} for item in record.obligations]
    return render(request, "training/record.html", {"record": record, "due": due, "own": own,
                                                    "today": timezone.localdate()})


@office
def certificate(request: HttpRequest, pk: int) -> HttpResponse:
    found = selectors.visible_certificate(request.user, pk)
    if found is None:
        raise Http404
    response = HttpResponse(certificate_pdf.render(found), content_type="application/pdf")
    response["Content-Disposition"] = f'inline; filename="{certificate_pdf.filename(found)}"'
    return response


def _chosen_agency(request: HttpRequest, agencies) -> Agency | None:
    raw = request.GET.get("agency", "")
    if not raw:
        return None
    if not raw.isdigit():
        raise Http404
    agency = get_object_or_404(Agency, pk=int(raw))
    if not policy.may_see_gap(request.user, agency.pk):
        raise Http404
    return agency


@office
def gap(request: HttpRequest) -> HttpResponse:
    """Nhu cầu bồi dưỡng: per agency and role, who has not taken (or let lapse) each mandatory course."""
    agencies = selectors.gap_agencies(request.user)
    if not agencies.exists():
        raise Http404
    today = timezone.localdate()
    chosen = _chosen_agency(request, agencies)
    province = bool(policy.may_see_gap(request.user, None))
    if chosen is None and not province:
        chosen = agencies.first()
    summary = list(selectors.gaps(on=today).values()) if province else []
    detail = selectors.gaps(on=today, agency_ids=[chosen.pk])[chosen.pk] if chosen else None
    labels = dict(Role.choices)
    rows = [{"row": row, "roles": [str(labels.get(role, role)) for role in row.roles]}
            for row in (detail.rows if detail else [])]
    return render(request, "training/gap.html", {
        "agencies": agencies, "chosen": chosen, "province": province, "summary": summary, "detail": detail, "rows": rows,
        "today": today,
    })


@office
def gap_export(request: HttpRequest) -> HttpResponse:
    agencies = selectors.gap_agencies(request.user)
    chosen = _chosen_agency(request, agencies)
    if chosen is None and not policy.may_see_gap(request.user, None):
        raise Http404
    today = timezone.localdate()
    found = selectors.gaps(on=today, agency_ids=[chosen.pk] if chosen else None)
    response = HttpResponse(exports.gap_workbook(list(found.values()), on=today),
                            content_type="application/vnd.openxmlformats-officedocument.spreadsheetml.sheet")
    response["Content-Disposition"] = f'attachment; filename="nhu-cau-boi-duong-{today:%Y%m%d}.xlsx"'
    return response
