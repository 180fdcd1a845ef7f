import mimetypes
from pathlib import PurePosixPath

from django.core.paginator import Paginator
from django.http import FileResponse, Http404
from django.shortcuts import get_object_or_404, render

from audit.middleware import client_ip
from directory.models import Agency
from egov import limits

from . import eform, fees, selectors
from .models import Kind, Level, PaperRequirement, ProcedureField

# The public search (tra cứu thủ tục): as many pages per address as the API's public calls (ADR 0052).
SEARCHES = limits.Limit("procedure-search", 120, 60)


def catalog(request):
    if not limits.spend(SEARCHES, client_ip(request)):
        return limits.refused(request, SEARCHES)
    q = request.GET.get("q", "").strip()[:200]
    field = request.GET.get("field", "")
    kind = request.GET.get("kind", "") if request.GET.get("kind") in Kind.values else ""
    level = request.GET.get("level", "") if request.GET.get("level") in Level.values else ""
    agency = request.GET.get("agency", "")
    agency_id = int(agency) if agency.isdigit() else None
    results = selectors.search(q=q, field=field, agency=agency_id, kind=kind, level=level)
    page = Paginator(results, 20).get_page(request.GET.get("page"))
    context = {
        "page_obj": page, "q": q, "field": field, "kind": kind, "level": level, "agency": agency_id,
        "fields": ProcedureField.objects.all(), "kinds": Kind.choices, "levels": Level.choices,
        "agencies": Agency.objects.valid_on().filter(procedures__isnull=False).distinct(),
        "querystring_base": request.GET.urlencode().replace(f"page={request.GET.get('page', '')}", "") + "&",
    }
    return render(request, "procedures/catalog.html", context)


def detail(request, code: str):
    procedure = selectors.by_code(code)
    version = procedure.current if procedure is not None else None
    if version is None:  # unknown, or not published yet
        raise Http404
    labels = {name: eform._label(spec) for name, spec in version.form_schema.get("properties", {}).items()}
    fee_lines = [{"name": item["name"], "rule": item["rule"], "per": labels.get(item["rule"].get("field", ""), "")}
                 for item in version.fees]
    context = {"procedure": procedure, "version": version, "fee_lines": fee_lines,
               "agencies": list(version.agencies.valid_on()),  # an agency that has ended takes no dossier
               "fixed_total": fees.total([f for f in version.fees if f["rule"]["type"] in ("fixed", "free")], {})}
    return render(request, "procedures/detail.html", context)


def paper_template(request, code: str, pk: int):
    """The blank form of a paper (mẫu tờ khai), a public document: anyone may download it. Any
    version's, so a link given with an older dossier keeps working."""
    paper = get_object_or_404(PaperRequirement, pk=pk, version__procedure__code=code)
    if not paper.template:
        raise Http404
    name = PurePosixPath(paper.template.name or "").name
    response = FileResponse(paper.template.open("rb"), as_attachment=True, filename=name,
                            content_type=mimetypes.guess_type(name)[0] or "application/octet-stream")
    response["Cache-Control"] = "public, max-age=3600"
    return response
