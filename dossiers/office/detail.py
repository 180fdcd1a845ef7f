"""The dossier's page: who acts next and the forms of exactly the actions dossiers.policy allows
the reader now come first; then everything about it, its papers previewed inline
(dossiers.office.papers) and its history told as a story (dossiers.story); its slips as PDF."""

import datetime as dt

from django.http import Http404, HttpRequest, HttpResponse
from django.shortcuts import get_object_or_404, redirect, render
from django.urls import reverse
from django.utils import timezone
from django.utils.datastructures import MultiValueDict
from django.utils.translation import gettext as _
from django.views.decorators.http import require_POST

from audit.services import record_read
from datastore import selectors as reuse_selectors
from egov.http import private_file, slip_filename
from procedures import eform
from processes.models import StepAction

from .. import identity, policy, reuse, selectors
from ..models import Dossier, FilePurpose, Slip
from ..office_forms import ACTIONS
from ..story import story
from .common import PERSONAL_FIELDS, deadline_of, next_actor_text, office, readable
from .keep import pending_for
from .papers import preview_kind

DANGER = ("refuse_intake", "refuse", "propose_refusal")


def _action_forms(dossier: Dossier, user, names: list[str], pending: dict | None) -> list[dict]:
    forms = []
    for name in names:
        form_class, title, button = ACTIONS[name]
        kwargs = {"dossier": dossier, "user": user, "prefix": name}
        reopened = pending is not None and pending["action"] == name
        if reopened:
            data = MultiValueDict(pending["data"])
            data.setlist(f"{name}-revision", [str(dossier.revision)])
            form = form_class(data, **kwargs)
            form.is_valid()
        else:
            form = form_class(**kwargs)
        forms.append({"name": name, "title": title, "button": button, "form": form, "open": reopened,
                      "url": reverse(f"office:{name}", args=[dossier.pk]), "danger": name in DANGER})
    return forms


def _leftover(pending: dict | None, names: list[str]) -> list[str]:
    """Text typed into a form no longer offered (someone acted first): shown so nothing is lost.
    Only the kept text fields are ever there (office.keep), never a password or a code."""
    if pending is None or pending["action"] in names:
        return []
    return [value for values in pending["data"].values() for value in values if value.strip()]


def _answers(dossier: Dossier) -> list[tuple[str, object]]:
    answers = []
    for name, spec in dossier.procedure_version.form_schema.get("properties", {}).items():
        value = dossier.form_data.get(name, "")
        if isinstance(value, bool):
            value = _("Yes") if value else _("No")
        elif spec.get("format") == "date" and isinstance(value, str) and value:
            try:
                value = dt.date.fromisoformat(value).strftime("%d/%m/%Y")
            except ValueError:
                pass
        answers.append((eform._label(spec), value))
    return answers


def _result_files(files) -> list:
    return [f for f in files if f.purpose == FilePurpose.RESULT]


@office
def detail(request: HttpRequest, pk: int) -> HttpResponse:
    dossier = readable(request, pk)
    if dossier.applicant_id != request.user.pk:
        record_read(obj=dossier, fields=PERSONAL_FIELDS + ["applicant_name", "form_data"])
    now = timezone.now()
    files = list(dossier.files.filter(replaced=False).select_related("requirement"))
    for record in files:
        record.preview = preview_kind(record)
    slips = list(dossier.slips.select_related("created_by", "approved_by"))
    dossier.deadline = deadline_of(dossier, now)
    offered = policy.available_actions(request.user, dossier)
    names = [name for name in ACTIONS if name in offered]
    pending = pending_for(request, dossier)
    steps = list(dossier.steps.select_related("agency", "unit", "assignee", "handed_by"))
    labels = {**dict(StepAction.choices), "reassign": _("reassigned")}
    for line in steps:
        line.action_label = labels.get(line.action, line.action)
    apology = policy.pending_apology(dossier)
    if apology is not None:
        apology.new_due = dt.datetime.fromisoformat(apology.content["new_due_at"])
    actor = policy.next_actor(dossier)
    context = {
        "dossier": dossier, "version": dossier.procedure_version, "answers": _answers(dossier),
        "papers": [f for f in files if f.purpose != FilePurpose.RESULT], "results": _result_files(files),
        "steps": steps, "slips": slips, "story": story(dossier),
        "actions": _action_forms(dossier, request.user, names, pending), "leftover": _leftover(pending, names),
        "apology": apology,
        # Digitisation at the desk and what the applicant reused from their data store (ADR 0044).
        "digitisable": reuse.digitisable(dossier) if reuse.may_digitise(request.user, dossier) else [],
        "reuses": reuse_selectors.reuses_of(dossier.pk),
        "next_actor": actor, "next_actor_text": next_actor_text(dossier) if actor is not None else "",
        # What the national databases say about the applicant (ADR 0045).
        **identity.shown(dossier), **identity.enterprise_at_intake(dossier, request.user),
    }
    return render(request, "dossiers/office/detail.html", context)


@office
def slip_file(request: HttpRequest, pk: int) -> HttpResponse:
    slip = get_object_or_404(Slip.objects.select_related("dossier"), pk=pk)
    if slip.dossier.status == "draft" or not selectors.can_read(request.user, slip.dossier) or not slip.file:
        raise Http404
    record_read(obj=slip, fields=["file"])
    return private_file(slip.file, content_type="application/pdf", filename=slip_filename(slip), attachment=False)


@office
@require_POST
def control_slip(request: HttpRequest, pk: int) -> HttpResponse:
    """Phiếu kiểm soát quá trình giải quyết hồ sơ (Mẫu 05) as it stands now, made on demand."""
    from ..slips import control_slip as make_control_slip

    dossier = readable(request, pk)
    slip = make_control_slip(dossier, request.user)
    return redirect("office:slip", pk=slip.pk)
