"""The dossier's papers previewed on its page (PDF in a frame, images as images) instead of only
downloaded: served inline, to officials who read the dossier, each reading audited."""

from csp.decorators import csp_replace
from django.contrib import messages
from django.core.exceptions import PermissionDenied, ValidationError
from django.http import Http404, HttpRequest, HttpResponse
from django.shortcuts import get_object_or_404, redirect
from django.utils.translation import gettext as _
from django.views.decorators.clickjacking import xframe_options_sameorigin
from django.views.decorators.http import require_POST

from audit.services import record_read
from egov.http import private_file

from .. import reuse, selectors
from ..models import DossierFile
from ..states import Status
from .common import office, readable, reason

# What a browser shows by itself, by the type the upload was found to be (dossiers.uploads sniffs
# the content): the stored content type is the uploader's claim and is never served back.
INLINE = {"pdf": "application/pdf", "jpg": "image/jpeg", "png": "image/png"}


def preview_kind(record: DossierFile) -> str:
    """"pdf", "image", or "" when the file is only downloaded (a Word document)."""
    if record.extension == "pdf":
        return "pdf"
    return "image" if record.extension in INLINE else ""


@office
@xframe_options_sameorigin  # framed by the dossier's own page only, never by another site
@csp_replace({"frame-ancestors": ["'self'"]})
def inline_file(request: HttpRequest, pk: int) -> HttpResponse:
    record = get_object_or_404(DossierFile.objects.select_related("dossier"), pk=pk)
    if (record.dossier.status == Status.DRAFT or record.extension not in INLINE
            or not selectors.can_read_file(request.user, record)):
        raise Http404
    if not selectors.acts_for_applicant(request.user, record.dossier):
        record_read(obj=record, fields=["file"])
    return private_file(record.file, content_type=INLINE[record.extension], filename=record.download_name,
                        attachment=False)


@office
@require_POST
def digitise(request: HttpRequest, pk: int) -> HttpResponse:
    """The desk marks scanned papers digitised, confirming them faithful to the originals (ADR 0044)."""
    dossier = readable(request, pk)
    if not reuse.may_digitise(request.user, dossier):
        raise Http404
    chosen = [int(value) for value in request.POST.getlist("files") if value.isdigit()]
    try:
        items = reuse.confirm_digitised(dossier=dossier, officer=request.user, file_ids=chosen,
                                        confirmed=request.POST.get("confirm") == "on")
    except (ValidationError, PermissionDenied) as error:
        messages.error(request, reason(error))
    else:
        messages.success(request, _("%(count)d papers digitised and added to the applicant's data store.")
                         % {"count": len(items)})
    return redirect("office:detail", pk=dossier.pk)
