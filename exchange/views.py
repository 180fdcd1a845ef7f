"""The clerk's exchange console (/workspace/exchange/): packages sent, received, waiting for
acceptance, refused and dead (with a retry), each package's detail, the delivery status of an
issued document per recipient, and the answers to a recall. Every read goes through
``selectors`` (the reader's agencies only); every action through its door."""

from __future__ import annotations

from django.contrib import messages
from django.contrib.auth.decorators import login_required
from django.core.exceptions import PermissionDenied, ValidationError
from django.core.paginator import Paginator
from django.http import Http404, HttpRequest, HttpResponse
from django.shortcuts import get_object_or_404, redirect, render
from django.utils.translation import gettext as _
from django.views.decorators.http import require_POST

from directory.access import official_required
from documents.models import Direction as DocumentDirection
from documents.models import Document
from documents.selectors import visible_documents

from . import delivery, edxml, policy, recall, selectors, statuses
from .forms import AgreeRecallForm, RefuseRecallForm


def console_view(view):
    """Signed-in officials whose reach includes an agency's exchange; others get 403."""
    def guarded(request: HttpRequest, *args, **kwargs) -> HttpResponse:
        if not policy.may_see_console(request.user):
            raise PermissionDenied(_("Only the agency's clerks and leaders follow its exchange."))
        return view(request, *args, **kwargs)

    guarded.__name__ = view.__name__
    guarded.__doc__ = view.__doc__
    return login_required(official_required(guarded))


def _tab_labels() -> dict[str, str]:
    return {"sent": _("Sent"), "received": _("Received"), "pending": _("Waiting for acceptance"),
            "failed": _("Refused (invalid)"), "dead": _("Not delivered")}


@console_view
def console(request: HttpRequest) -> HttpResponse:
    labels = _tab_labels()
    asked = request.GET.get("tab") or ""
    current = asked if asked in labels else "sent"
    counts = selectors.counts(request.user)
    tabs = [{"name": name, "label": label, "count": counts[name], "url": f"?tab={name}"}
            for name, label in labels.items()]
    page = Paginator(selectors.tab(request.user, current).order_by("-created_at", "-id"), 25).get_page(
        request.GET.get("page"))
    for package in page:
        package.may_retry = policy.may_retry(request.user, package)
    return render(request, "exchange/console.html", {
        "tabs": tabs, "tab": current, "tab_label": labels[current], "page_obj": page,
        "recalls": selectors.recall_requests(request.user), "status_label": statuses.label})


def _package(request: HttpRequest, pk: int):
    return get_object_or_404(selectors.packages(request.user).select_related("agency", "document", "distribution"),
                             pk=pk)


@console_view
def package(request: HttpRequest, pk: int) -> HttpResponse:
    found = _package(request, pk)
    content = None
    try:
        content = edxml.parse(bytes(found.raw))
    except Exception:  # noqa: BLE001 - a refused package may be unreadable: its stored fields say what is known
        content = None
    attachments = [{"name": a.name, "size": len(a.content), "mime": a.mime}
                   for a in getattr(content, "attachments", [])]
    return render(request, "exchange/package.html", {
        "package": found, "content": content, "attachments": attachments,
        "events": found.document and selectors.events_of(found.document),
        "may_retry": policy.may_retry(request.user, found), "status_label": statuses.label(found.status_code)})


@console_view
@require_POST
def retry(request: HttpRequest, pk: int) -> HttpResponse:
    found = _package(request, pk)
    if not policy.may_retry(request.user, found):
        raise PermissionDenied(_("Only a dead letter of your agency can be sent again."))
    delivery.retry(found, request.user)
    messages.success(request, _("The package is queued to be delivered again."))
    return redirect("exchange:package", found.pk)


@login_required
@official_required
def document(request: HttpRequest, pk: int) -> HttpResponse:
    """Who received and handled an issued document, per recipient agency."""
    found = get_object_or_404(visible_documents(request.user).filter(direction=DocumentDirection.OUTGOING)
                              .select_related("agency", "document_type"), pk=pk)
    return render(request, "exchange/document.html", {
        "document": found, "rows": selectors.delivery_table(found),
        "steps": [statuses.label(code) for code in selectors.STEPS]})


def _recalled_document(request: HttpRequest, pk: int) -> Document:
    found = get_object_or_404(visible_documents(request.user).filter(direction=DocumentDirection.INCOMING), pk=pk)
    if not policy.may_answer_recall(request.user, found):
        raise Http404
    return found


@console_view
def recall_page(request: HttpRequest, pk: int, agree_form=None, refuse_form=None) -> HttpResponse:
    found = _recalled_document(request, pk)
    return render(request, "exchange/recall.html", {
        "document": found, "events": selectors.events_of(found),
        "agree_form": agree_form or AgreeRecallForm(prefix="agree"),
        "refuse_form": refuse_form or RefuseRecallForm(prefix="refuse"), "status_label": statuses.label})


@console_view
@require_POST
def recall_answer(request: HttpRequest, pk: int, answer: str) -> HttpResponse:
    found = _recalled_document(request, pk)
    if answer == "agree":
        agree = AgreeRecallForm(request.POST, prefix="agree")
        if agree.is_valid():
            recall.agree(document=found, user=request.user, comment=agree.cleaned_data["comment"])
            messages.success(request, _("The recall is agreed: the document left the register."))
            return redirect("exchange:console")
        return recall_page(request, pk, agree_form=agree)
    if answer == "refuse":
        refuse = RefuseRecallForm(request.POST, prefix="refuse")
        if refuse.is_valid():
            try:
                recall.refuse(document=found, user=request.user, reason=refuse.cleaned_data["reason"])
            except ValidationError as error:
                refuse.add_error(None, error)
            else:
                messages.success(request, _("The recall is refused; the sender is told why."))
                return redirect("exchange:console")
        return recall_page(request, pk, refuse_form=refuse)
    raise Http404
