"""Intake at the counter (tiếp nhận trực tiếp): the desk officer chooses the procedure, types the
walk-in applicant's declaration and scans the papers; the dossier is submitted and accepted at
once (dossiers.counter)."""

from django.contrib import messages
from django.core.exceptions import PermissionDenied, ValidationError
from django.http import Http404, HttpRequest, HttpResponse
from django.shortcuts import get_object_or_404, redirect, render
from django.utils.translation import gettext as _

from directory.models import Agency
from directory.scope import Action, scope_of
from procedures import eform
from procedures.models import Procedure
from processes.services import in_force

from ..counter import intake_at_counter
from ..models import Slip
from ..office_forms import CounterApplicantForm, CounterStartForm, PapersForm
from ..services import StaleDossier
from .common import office, readable, reason


def _desk_agencies(user):
    """The agencies whose one-stop desk ``user`` staffs (Action.INTAKE)."""
    agencies = Agency.objects.valid_on().order_by("name")
    scope = scope_of(user, Action.INTAKE)
    return agencies if scope.everything else agencies.filter(pk__in=scope.agency_ids)


def _counter_procedures(agencies):
    return (Procedure.objects.filter(active=True, current__isnull=False, current__agencies__in=agencies)
            .select_related("current").distinct().order_by("code"))


@office
def counter(request: HttpRequest) -> HttpResponse:
    """Step 1: choose the procedure (among those the desk's agency handles)."""
    agencies = _desk_agencies(request.user)
    if not agencies.exists():
        raise Http404
    form = CounterStartForm(request.GET or None, procedures=_counter_procedures(agencies), agencies=agencies)
    if form.is_bound and form.is_valid():
        procedure, agency = form.cleaned_data["procedure"], form.cleaned_data["agency"]
        if procedure.current.agencies.filter(pk=agency.pk).exists():
            return redirect("office:counter_form", agency=agency.pk, procedure=procedure.pk)
        form.add_error("procedure", _("This agency does not handle this procedure."))
    return render(request, "dossiers/office/counter_start.html", {"form": form})


def _first_step(procedure, agency):
    definition = in_force(procedure, agency)
    return definition.steps.order_by("order").first() if definition else None


@office
def counter_form(request: HttpRequest, agency: int, procedure: int) -> HttpResponse:
    """Step 2: the applicant, the declaration, the scanned papers; submitted and accepted at once."""
    agency = get_object_or_404(_desk_agencies(request.user), pk=agency)
    procedure = get_object_or_404(_counter_procedures([agency]), pk=procedure)
    version = procedure.current
    first_step = _first_step(procedure, agency)
    data, files = (request.POST, request.FILES) if request.method == "POST" else (None, None)
    applicant = CounterApplicantForm(data, first_step=first_step, agency_id=agency.pk)
    declaration = type(eform.build_form(version.form_schema))(data=data, prefix="eform")
    papers = PapersForm(data, files, version=version)
    if request.method == "POST" and all([applicant.is_valid(), declaration.is_valid(), papers.is_valid()]):
        contact = {k: v for k, v in applicant.cleaned_data.items() if k != "unit"}
        try:
            dossier = intake_at_counter(officer=request.user, agency=agency, procedure=procedure, contact=contact,
                                        form_values=declaration.cleaned_json(), uploads=papers.uploads(),
                                        unit=applicant.cleaned_data.get("unit"))
        except (ValidationError, PermissionDenied, StaleDossier) as error:
            messages.error(request, reason(error) + " " + _("Attach the scanned papers again."))
        else:
            return redirect("office:counter_done", pk=dossier.pk)
    elif request.method == "POST":
        messages.error(request, _("Check the fields marked below; attach the scanned papers again."))
    context = {"agency": agency, "procedure": procedure, "version": version, "applicant": applicant,
               "declaration": declaration, "papers": papers}
    return render(request, "dossiers/office/counter_form.html", context)


@office
def counter_done(request: HttpRequest, pk: int) -> HttpResponse:
    dossier = readable(request, pk)
    receipt = dossier.slips.filter(form=Slip.Form.RECEIPT).order_by("-created_at").first()
    return render(request, "dossiers/office/counter_done.html", {"dossier": dossier, "receipt": receipt})
