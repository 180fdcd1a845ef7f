"""The outgoing documents' pages (văn bản đi): the list with its tabs, the drafting form, the
document's page (PDF preview of the current version, versions, reviews, comments and the forms of
exactly ``policy.available_actions``), and the one POST endpoint that calls the doors."""

from __future__ import annotations

from csp.decorators import csp_replace
from django.contrib import messages
from django.core.exceptions import PermissionDenied, ValidationError
from django.core.paginator import Paginator
from django.db.models import Q
from django.http import Http404, HttpRequest, HttpResponse
from django.http.response import HttpResponseBase
from django.shortcuts import get_object_or_404, redirect, render
from django.urls import reverse
from django.utils.translation import gettext as _
from django.views.decorators.clickjacking import xframe_options_sameorigin
from django.views.decorators.http import require_POST

from audit.services import record_read
from directory.models import Agency, Membership
from dossiers.office.common import office
from egov.http import private_file

from . import distribution, drafting, issuance, outgoing_selectors, policy
from .models import Direction, Document, DocumentFile, FileKind
from .outgoing_files import StaleDocument, shown_file
from .outgoing_forms import FORMS, ActionForm, CommentForm, DraftForm, VersionForm
from .selectors import visible_documents


def _tab_labels() -> dict[str, str]:
    return {"drafting": _("Being drafted"), "to_review": _("Waiting for my review"), "to_sign": _("Waiting for signature"),
            "to_issue": _("Waiting for issuance"), "issued": _("Issued")}


def _drafting_agencies(user):
    ids = {agency_id for agency_id in Membership.objects.valid_on().filter(official=user).values_list("agency_id",
                                                                                                    flat=True)
           if policy.may_create_draft(user, agency_id)}
    return Agency.objects.filter(pk__in=ids).order_by("name")


@office
def outgoing(request: HttpRequest) -> HttpResponse:
    labels = _tab_labels()
    asked = request.GET.get("tab") or ""
    current = asked if asked in labels else "drafting"
    counts = outgoing_selectors.counts(request.user)
    tabs = [{"name": name, "label": label, "count": counts[name], "url": f"?tab={name}"}
            for name, label in labels.items()]
    documents = outgoing_selectors.tab(request.user, current).select_related("document_type", "agency")
    query = (request.GET.get("q") or "").strip()
    if query:
        documents = documents.filter(Q(abstract__icontains=query) | Q(number_symbol__icontains=query))
    page = Paginator(documents.order_by("-updated_at", "-id"), 25).get_page(request.GET.get("page"))
    return render(request, "documents/outgoing/list.html", {
        "tabs": tabs, "tab": current, "tab_label": labels[current], "page_obj": page, "q": query,
        "can_draft": _drafting_agencies(request.user).exists()})


@office
def new(request: HttpRequest) -> HttpResponse:
    agencies = _drafting_agencies(request.user)
    if not agencies.exists():
        raise PermissionDenied(_("Only officials of the agency draft its documents."))
    reply_to = _reply_to(request)
    initial = {"agency": reply_to.agency if reply_to else agencies.first()}
    if reply_to is not None:
        initial["abstract"] = _("Answer to document no. %(number)s of %(issuer)s") % {
            "number": reply_to.number_symbol or "…", "issuer": reply_to.issuer_name or "…"}
        initial["recipients_text"] = reply_to.issuer_name
    form = DraftForm(request.POST or None, agencies=agencies, initial=initial)
    if request.method == "POST" and form.is_valid():
        try:
            document = drafting.create_draft(user=request.user, drafting_unit=None, in_reply_to=reply_to,
                                             **form.cleaned_data)
        except ValidationError as error:
            form.add_error(None, error)
        else:
            messages.success(request, _("The draft is saved."))
            return redirect("documents:outgoing_detail", document.pk)
    return render(request, "documents/outgoing/new.html", {"form": form, "reply_to": reply_to})


def _reply_to(request: HttpRequest) -> Document | None:
    """The incoming document this draft answers (``?reply_to=``), when the user handles it."""
    value = request.GET.get("reply_to") or request.POST.get("reply_to")
    if not value or not str(value).isdigit():
        return None
    document = visible_documents(request.user).filter(pk=int(value), direction=Direction.INCOMING).first()
    if document is None or not policy.may_answer(request.user, document):
        raise Http404
    return document


def _readable(request: HttpRequest, pk: int) -> Document:
    document = get_object_or_404(
        outgoing_selectors.outgoing(request.user).select_related("agency", "document_type", "drafted_by", "replaces"),
        pk=pk)
    if document.classified:
        record_read(obj=document, fields=["body", "files"])
    return document


def _forms(request: HttpRequest, document: Document) -> dict:
    offered = policy.available_actions(request.user, document)
    forms = {name: form_class(document=document, user=request.user, prefix=name)
             for name, form_class in FORMS.items() if name in offered}
    if "edit_draft" in offered:
        forms["add_version"] = VersionForm(document=document, user=request.user, prefix="add_version")
    return forms


@office
def detail(request: HttpRequest, pk: int, forms: dict | None = None) -> HttpResponse:
    document = _readable(request, pk)
    shown = _forms(request, document) | (forms or {})
    return render(request, "documents/outgoing/detail.html", {
        "document": document, "forms": shown, "current": shown_file(document),
        "versions": document.files.order_by("-uploaded_at", "-id").select_related("uploaded_by"),
        "reviews": document.reviews.select_related("reviewer").order_by("-version", "order"),
        "comments": document.comments.select_related("author"),
        "distributions": document.distributions.select_related("unit", "agency"),
        "comment_form": CommentForm() if policy.may_comment(request.user, document) else None,
    })


@office
@xframe_options_sameorigin  # framed by the document's own page only
@csp_replace({"frame-ancestors": ["'self'"]})  # type: ignore[arg-type]
def file(request: HttpRequest, pk: int, file_pk: int) -> HttpResponseBase:
    document = _readable(request, pk)
    record = get_object_or_404(DocumentFile, pk=file_pk, document=document)
    if record.kind not in (FileKind.DRAFT, FileKind.SIGNED, FileKind.ISSUED):
        raise Http404
    return private_file(record.file, content_type="application/pdf", filename=record.original_name,
                        attachment=False)


def _confirm(request: HttpRequest, form):
    from signing.services import confirm

    return confirm(request.user, password=form.cleaned_data["password"], totp=form.cleaned_data["otp_token"])


def _do(request: HttpRequest, document: Document, action: str, form) -> str:
    """Call the door of ``action``; returns the success message."""
    data, user = form.cleaned_data, request.user
    revision = data.get("revision")
    if action == "edit_draft":
        drafting.save_draft(document, user, revision=revision, abstract=data["abstract"], body=data["body"],
                            recipients_text=data["recipients_text"])
        return _("The draft is saved.")
    if action == "add_version":
        drafting.add_version(document, user, data["upload"], revision=revision)
        return _("The new version is kept.")
    if action == "submit_review":
        drafting.submit_for_review(document, user, data["reviewers"], revision=revision)  # in the form's order
        return _("The draft is sent for review.")
    if action == "review":
        drafting.review(document, user, approve=data["decision"] == "approve", comment=data["comment"],
                        revision=revision)
        return _("Your opinion is recorded.")
    if action == "sign":
        issuance.sign(document, user, _confirm(request, form), revision=revision)
        return _("The document is signed.")
    if action == "issue":
        issuance.issue(document, user, _confirm(request, form), revision=revision)
        document.refresh_from_db()
        return _("The document is issued as %(number)s.") % {"number": document.number_symbol}
    if action == "distribute":
        emails = [line for line in data["emails"].splitlines() if line.strip()]
        distribution.distribute(document, user, units=data["units"], agencies=data["agencies"], emails=emails,
                                revision=revision)
        return _("The document is sent.")
    distribution.recall(document, user, data["reason"], revision=revision)
    return _("The document is recalled.")


@office
@require_POST
def act(request: HttpRequest, pk: int, action: str) -> HttpResponse:
    from signing.services import SigningRefused

    document = _readable(request, pk)
    if action == "comment":
        note = CommentForm(request.POST)
        if note.is_valid():
            try:
                drafting.comment(document, request.user, note.cleaned_data["text"])
            except (PermissionDenied, ValidationError) as error:
                messages.error(request, " ".join(getattr(error, "messages", [str(error)])))
        return redirect("documents:outgoing_detail", document.pk)
    form_class = VersionForm if action == "add_version" else FORMS.get(action)
    allowed = "edit_draft" if action == "add_version" else action
    if form_class is None or allowed not in policy.OUTGOING_ACTIONS:
        raise Http404
    form: ActionForm = form_class(request.POST, request.FILES, document=document, user=request.user, prefix=action)
    if form.is_valid():
        try:
            messages.success(request, _do(request, document, action, form))
            return redirect(reverse("documents:outgoing_detail", args=[document.pk]))
        except StaleDocument as error:
            form.add_error(None, str(error))
        except (PermissionDenied, SigningRefused, ValidationError) as error:
            form.add_error(None, " ".join(getattr(error, "messages", None) or [str(error)]))
    data = request.POST.copy()
    for secret in ("password", "otp_token"):  # never shown again after a failed attempt
        data.pop(f"{action}-{secret}", None)
    form.data = data
    return detail(request, pk, forms={action: form})
