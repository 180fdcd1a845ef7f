"""The public verification page and its JSON API: anyone uploads a PDF and sees each signature; the
link in a signed result's QR code (``/verify/?h=…``) shows that document, once it is issued."""

from csp.decorators import csp_replace
from django.http import FileResponse, Http404, HttpRequest, HttpResponse, JsonResponse
from django.shortcuts import render
from django.views.decorators.clickjacking import xframe_options_sameorigin
from django.views.decorators.csrf import csrf_exempt
from django.views.decorators.http import require_POST

from .forms import VerifyForm
from .published import Finder, find
from .verification import verify_pdf


def verify(request: HttpRequest, find_document: Finder | None = None) -> HttpResponse:
    report = None
    form = VerifyForm(request.POST, request.FILES) if request.method == "POST" else VerifyForm()
    if form.is_bound and form.is_valid():
        report = verify_pdf(form.cleaned_data["document"].read())
    link = request.GET.get("h", "").strip().lower()
    document = document_report = None
    if link:
        document = find(link, find_document)
        if document is not None:
            with document.file.open("rb") as handle:
                document_report = verify_pdf(handle.read())
    return render(request, "signing/verify.html", {
        "form": form, "report": report, "link": link[:64], "document": document, "document_report": document_report})


@xframe_options_sameorigin  # framed by the verification page only, never by another site
@csp_replace({"frame-ancestors": ["'self'"]})
def document_file(request: HttpRequest, sha256: str, find_document: Finder | None = None) -> FileResponse:
    """The issued PDF a verification link names, shown in the page (or downloaded with ?download)."""
    document = find(sha256, find_document)
    if document is None:
        raise Http404
    response = FileResponse(document.file.open("rb"), content_type="application/pdf",
                            as_attachment="download" in request.GET, filename=document.filename)
    response["Cache-Control"] = "private, no-store"
    return response


@csrf_exempt  # a public, read-only API: nothing is changed, no session is used
@require_POST
def verify_api(request: HttpRequest, find_document: Finder | None = None) -> JsonResponse:
    form = VerifyForm(request.POST, request.FILES)
    if not form.is_valid():
        return JsonResponse({"errors": form.errors}, status=400)
    return JsonResponse(verify_pdf(form.cleaned_data["document"].read()).as_dict())
