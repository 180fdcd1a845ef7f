from django.contrib.auth.decorators import login_required, user_passes_test
from django.core.paginator import Paginator
from django.http import Http404, HttpRequest, HttpResponse
from django.shortcuts import render

from directory.scope import Action, is_official, visible

from . import exports, policy
from .forms import IndicesForm, defaults
from .rollups import COUNTS, behind
from .selectors import Scope, scores

official_required = user_passes_test(is_official, login_url="accounts:login")
XLSX = "application/vnd.openxmlformats-officedocument.spreadsheetml.sheet"


def _form(request: HttpRequest) -> IndicesForm:
    """The form bound to the query string; a scope the reader may not read is a missing page."""
    choices = policy.readable_scopes(request.user)
    if not choices:
        raise Http404
    asked = request.GET.get("scope")
    if asked:
        try:
            scope = Scope.parse(asked)
        except ValueError:
            raise Http404 from None
        if not policy.may_read(request.user, scope):
            raise Http404
    data = {**defaults(), "scope": choices[0][0].key, **request.GET.dict()}
    return IndicesForm(data, user=request.user)


def _scores(request: HttpRequest):
    form = _form(request)
    if not form.is_valid() or "report_period" not in form.cleaned_data:
        return form, None, None, []
    scope, period = form.cleaned_data["scope_obj"], form.cleaned_data["report_period"]
    return form, scope, period, scores(scope, period)


@login_required
@official_required
def index(request: HttpRequest) -> HttpResponse:
    form, scope, period, groups = _scores(request)
    context = {"form": form, "scope": scope, "scope_name": scope.name() if scope else "", "period": period,
               "groups": groups, "querystring": form.querystring() if scope else "", "title": exports.title(),
               "total": exports.total(groups)}
    return render(request, "indices/index.html", context)


def _download(body: bytes, content_type: str, name: str) -> HttpResponse:
    response = HttpResponse(body, content_type=content_type)
    response["Content-Disposition"] = f'attachment; filename="{name}"'
    return response


@login_required
@official_required
def export_xlsx(request: HttpRequest) -> HttpResponse:
    form, scope, period, groups = _scores(request)
    if scope is None:
        raise Http404
    return _download(exports.excel(groups, scope_name=scope.name(), period=period), XLSX,
                     exports.filename(scope, period, "xlsx"))


@login_required
@official_required
def export_pdf(request: HttpRequest) -> HttpResponse:
    form, scope, period, groups = _scores(request)
    if scope is None:
        raise Http404
    return _download(exports.pdf(groups, scope_name=scope.name(), period=period), "application/pdf",
                     exports.filename(scope, period, "pdf"))


@login_required
@official_required
def dossiers(request: HttpRequest, count: str) -> HttpResponse:
    """The dossiers behind one figure: those of the scope and period the count counts, that the reader sees."""
    if count not in COUNTS:
        raise Http404
    form, scope, period, _groups = _scores(request)
    if scope is None:
        raise Http404
    found = visible(request.user, behind(count, period, scope.where()), Action.VIEW)
    found = found.select_related("agency", "procedure_version").order_by("-received_at", "-pk")
    page = Paginator(found, 50).get_page(request.GET.get("page"))
    context = {"scope_name": scope.name(), "period": period, "count": count, "label": exports.count_label(count),
               "page": page, "querystring": form.querystring()}
    return render(request, "indices/dossiers.html", context)
