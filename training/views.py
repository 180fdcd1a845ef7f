"""The training pages: the catalogue of courses and sessions, a session (enrol; the trainer marks
attendance), organising a session, taking a test, the materials. Every read goes through
``training.selectors``, every change through ``training.services``; each page offers exactly what
``training.policy`` allows."""

from __future__ import annotations

from django.contrib import messages
from django.core.exceptions import PermissionDenied, ValidationError
from django.http import FileResponse, Http404, HttpRequest, HttpResponse
from django.shortcuts import get_object_or_404, redirect, render
from django.utils import timezone
from django.utils.translation import gettext as _

from directory.models import Agency
from directory.scope import Action, scope_of
from dossiers.office.common import office

from . import policy, selectors, services
from .forms import MaterialForm, SessionForm
from .models import Attendance, Certificate, Enrolment, Material, MaterialCompletion, Session, Test


def reason(error: Exception) -> str:
    if isinstance(error, ValidationError):
        return " ".join(error.messages)
    return str(error) or _("This action is not allowed.")


def _session(request: HttpRequest, pk: int) -> Session:
    session = get_object_or_404(Session.objects.select_related("course", "agency"), pk=pk)
    if not policy.may_see_session(request.user, session):
        raise Http404
    return session


def _organisable_agencies(user):
    scope = scope_of(user, Action.MANAGE)
    agencies = Agency.objects.valid_on().order_by("code")
    return agencies if scope.everything else agencies.filter(pk__in=scope.agency_ids)


@office
def catalogue(request: HttpRequest) -> HttpResponse:
    """Danh mục khoá bồi dưỡng: courses, the sessions open to the official, the materials."""
    today = timezone.localdate()
    sessions = list(selectors.visible_sessions(request.user).filter(ends_on__gte=today).order_by("starts_on"))
    mine = set(Enrolment.objects.filter(official_id=request.user.pk, session__in=sessions)
               .values_list("session_id", flat=True))
    session_rows = [{"session": session, "enrolled": session.pk in mine,
                     "may_enrol": bool(policy.may_enrol(request.user, session))} for session in sessions]
    done = set(MaterialCompletion.objects.filter(official_id=request.user.pk).values_list("material_id", flat=True))
    material_rows = [{"material": material, "done": material.pk in done}
                     for material in selectors.materials(request.user)]
    return render(request, "training/catalogue.html", {
        "courses": selectors.catalogue(), "sessions": session_rows, "materials": material_rows,
        "may_organise": _organisable_agencies(request.user).exists(),
        "may_upload": bool(policy.may_upload_material(request.user)),
        "may_see_gap": selectors.gap_agencies(request.user).exists(),
    })


@office
def session_detail(request: HttpRequest, pk: int) -> HttpResponse:
    session = _session(request, pk)
    marks = bool(policy.may_mark(request.user, session))
    enrolments = []
    if marks:
        for enrolment in session.enrolments.select_related("official", "marked_by"):
            enrolment.session = session
            enrolments.append({"enrolment": enrolment,
                               "may_mark": bool(policy.may_mark_enrolment(request.user, enrolment))})
    return render(request, "training/session.html", {
        "session": session, "trainers": session.trainers.order_by("full_name"), "marks": marks,
        "enrolments": enrolments, "may_enrol": bool(policy.may_enrol(request.user, session)),
        "mine": session.enrolments.filter(official_id=request.user.pk).first(),
        "taken": session.enrolments.count(), "statuses": Attendance,
    })


@office
def enrol(request: HttpRequest, pk: int) -> HttpResponse:
    if request.method != "POST":
        raise Http404
    session = _session(request, pk)
    try:
        services.enrol(session=session, official=request.user)
    except (PermissionDenied, ValidationError) as error:
        messages.error(request, reason(error))
    else:
        messages.success(request, _("You are enrolled."))
    return redirect("training:session", pk=session.pk)


@office
def mark(request: HttpRequest, pk: int) -> HttpResponse:
    """Điểm danh: a trainer or organiser marks one enrolment attended or absent."""
    if request.method != "POST":
        raise Http404
    enrolment = get_object_or_404(Enrolment.objects.select_related("session__course"), pk=pk)
    if not policy.may_see_session(request.user, enrolment.session):
        raise Http404
    try:
        services.mark_attendance(enrolment=enrolment, status=request.POST.get("status", ""), acting_user=request.user)
    except (PermissionDenied, ValidationError) as error:
        messages.error(request, reason(error))
    else:
        messages.success(request, _("Attendance recorded."))
    return redirect("training:session", pk=enrolment.session_id)


@office
def new_session(request: HttpRequest) -> HttpResponse:
    agencies = _organisable_agencies(request.user)
    province_wide = bool(policy.may_organise(request.user, None))
    if not agencies.exists():
        raise Http404
    form = SessionForm(request.POST or None, agencies=agencies, province_wide=province_wide)
    if request.method == "POST" and form.is_valid():
        data = form.cleaned_data
        try:
            session = services.organise_session(
                acting_user=request.user, course=data["course"], agency=data["agency"], starts_on=data["starts_on"],
                ends_on=data["ends_on"], place=data["place"], online=data["online"], capacity=data["capacity"],
                trainers=data["trainers"])
        except (PermissionDenied, ValidationError) as error:
            messages.error(request, reason(error))
        else:
            messages.success(request, _("The session is organised."))
            return redirect("training:session", pk=session.pk)
    return render(request, "training/new_session.html", {"form": form})


@office
def take_test(request: HttpRequest, pk: int) -> HttpResponse:
    """Làm bài kiểm tra: the questions with their options, never which one is right; scored on the server."""
    test = get_object_or_404(Test.objects.select_related("course"), pk=pk, active=True)
    if request.method == "POST":
        answers = {key.removeprefix("q"): value for key, value in request.POST.items() if key.startswith("q")}
        try:
            attempt = services.submit_attempt(test=test, official=request.user, answers=answers)
        except (PermissionDenied, ValidationError) as error:
            messages.error(request, reason(error))
            return redirect("training:test", pk=test.pk)
        return render(request, "training/test_result.html", {
            "test": test, "attempt": attempt, "left": services.attempts_left(test, request.user),
            "certificate": Certificate.objects.filter(official_id=request.user.pk, attempt=attempt).first(),
        })
    questions = [{"pk": q.pk, "text": q.text, "options": [{"pk": o.pk, "text": o.text} for o in q.options.all()]}
                 for q in test.questions.prefetch_related("options")]
    allowed = services.may_attempt(test, request.user)
    return render(request, "training/test.html", {
        "test": test, "questions": questions if allowed else [], "allowed": allowed,
        "left": services.attempts_left(test, request.user),
    })


@office
def upload_material(request: HttpRequest) -> HttpResponse:
    if not policy.may_upload_material(request.user):
        raise Http404
    form = MaterialForm(request.POST or None, request.FILES or None)
    if request.method == "POST" and form.is_valid():
        data = form.cleaned_data
        services.upload_material(acting_user=request.user, title=data["title"], kind=data["kind"],
                                 course=data["course"], file=data["file"])
        messages.success(request, _("The material is uploaded."))
        return redirect("training:catalogue")
    return render(request, "training/upload_material.html", {"form": form})


@office
def material(request: HttpRequest, pk: int) -> FileResponse:
    """The material's file, to officials only (never a public storage URL)."""
    found = get_object_or_404(selectors.materials(request.user), pk=pk)
    name = found.file.name or ""
    extension = name.rsplit(".", 1)[-1] if "." in name else "bin"
    return FileResponse(found.file.open("rb"), content_type=found.content_type, as_attachment=False,
                        filename=f"tai-lieu-{found.pk}.{extension}")


@office
def material_done(request: HttpRequest, pk: int) -> HttpResponse:
    if request.method != "POST":
        raise Http404
    found = get_object_or_404(Material, pk=pk)
    try:
        services.complete_material(material=found, official=request.user)
    except PermissionDenied as error:
        messages.error(request, reason(error))
    else:
        messages.success(request, _("Marked as completed."))
    return redirect("training:catalogue")
