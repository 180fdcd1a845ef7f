from django.contrib.auth.decorators import login_required
from django.core.paginator import Paginator
from django.db.models import Q
from django.http import Http404
from django.shortcuts import render

from audit.models import Action as AuditAction
from audit.models import AuditEntry
from directory.access import official_required
from directory.models import Agency
from directory.scope import Action, scope_of
from directory.selectors import memberships_for, memberships_of


@login_required
@official_required
def home(request):
    return render(request, "workspace/home.html", {"memberships": memberships_of(request.user)})


@login_required
@official_required
def directory(request):
    """The list of agencies is shared reference data (danh mục dùng chung) open to every official;
    the people working in them are shown only within the reader's scope."""
    q = request.GET.get("q", "").strip()
    agencies = Agency.objects.valid_on().select_related("parent", "administrative_unit")
    if q:
        agencies = agencies.filter(Q(name__icontains=q) | Q(abbreviation__icontains=q) | Q(code__icontains=q))
    people = memberships_for(request.user).order_by("agency__code", "unit__name", "position__rank")
    return render(request, "workspace/directory.html", {"agencies": list(agencies), "q": q, "people": people})


@login_required
@official_required
def audit(request):
    scope = scope_of(request.user, Action.AUDIT)
    if scope.empty:
        raise Http404
    entries = AuditEntry.objects.all()
    if not scope.everything:
        entries = entries.filter(agency_id__in=scope.agency_ids)
    action = request.GET.get("action", "")
    if action in AuditAction.values:
        entries = entries.filter(action=action)
    page = Paginator(entries.order_by("-id"), 50).get_page(request.GET.get("page"))
    context = {
        "page_obj": page, "actions": AuditAction.choices, "action": action,
        "querystring_base": f"action={action}&" if action else "",
    }
    return render(request, "workspace/audit.html", context)
