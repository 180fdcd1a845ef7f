"""Intake at the counter (tiếp nhận trực tiếp) or from the post: the desk officer chooses the
procedure and the agency that settles it — any agency of the province when they staff a public
administration service centre (Decree 118/2025) — types the applicant's declaration, who acts for
them, where the result goes back, and scans the papers; the dossier is submitted and accepted at
once (dossiers.counter)."""

from django.contrib import messages
from django.core.exceptions import PermissionDenied, ValidationError
from django.http import Http404, HttpRequest, HttpResponse
from django.shortcuts import get_object_or_404, redirect, render
from django.urls import reverse
from django.utils.translation import gettext as _

from directory.models import Agency
from directory.scope import Action, scope_of
from procedures import eform
from procedures.models import Procedure
from processes.services import in_force

from .. import desks, identity, reuse
from ..counter import intake_at_counter
from ..forms import IdentityConsentForm
from ..models import Slip
from ..office_forms import CounterApplicantForm, CounterStartForm, PapersForm
from ..receiving_forms import ArrivalForm, RepresentativeForm, ReturnForm
from ..services import StaleDossier
from .common import office, readable, reason


def _desk_agencies(user):
    """The agencies whose one-stop desk ``user`` staffs (Action.INTAKE)."""
    agencies = Agency.objects.valid_on().order_by("name")
    scope = scope_of(user, Action.INTAKE)
    return agencies if scope.everything else agencies.filter(pk__in=scope.agency_ids)


def _settling_agencies(user, centres):
    """The agencies a dossier taken in by ``user`` may be for: their own desks' agencies, and every
    agency in operation when they staff a service centre."""
    return Agency.objects.valid_on().order_by("name") if centres.exists() else _desk_agencies(user)


def _counter_procedures(agencies):
    return (Procedure.objects.filter(active=True, current__isnull=False, current__agencies__in=agencies)
            .select_related("current").distinct().order_by("code"))


def _centre(request: HttpRequest, centres):
    """The centre the intake happens at (``?centre=``), among those the official staffs."""
    value = request.GET.get("centre") or request.POST.get("centre") or ""
    if not value:
        return None
    if not value.isdigit():
        raise Http404
    return get_object_or_404(centres, pk=int(value))


@office
def counter(request: HttpRequest) -> HttpResponse:
    """Step 1: choose the procedure, the agency that settles it and, at a service centre, the centre."""
    centres = desks.staffed_centres(request.user)
    agencies = _settling_agencies(request.user, centres)
    if not agencies.exists():
        raise Http404
    form = CounterStartForm(request.GET or None, procedures=_counter_procedures(agencies), agencies=agencies,
                            centres=centres, own_desks=_desk_agencies(request.user))
    if form.is_bound and form.is_valid():
        procedure, agency = form.cleaned_data["procedure"], form.cleaned_data["agency"]
        centre = form.cleaned_data.get("centre")
        if not procedure.current.agencies.filter(pk=agency.pk).exists():
            form.add_error("procedure", _("This agency does not handle this procedure."))
        elif not desks.may_receive(request.user, agency=agency, centre=centre):
            form.add_error("agency", _("Your desk does not receive dossiers for this agency; choose your centre."))
        else:
            target = reverse("office:counter_form", kwargs={"agency": agency.pk, "procedure": procedure.pk})
            return redirect(f"{target}?centre={centre.pk}" if centre else target)
    return render(request, "dossiers/office/counter_start.html", {"form": form})


def _first_step(procedure, agency):
    definition = in_force(procedure, agency)
    return definition.steps.order_by("order").first() if definition else None


@office
def counter_form(request: HttpRequest, agency: int, procedure: int) -> HttpResponse:
    """Step 2: the applicant, the declaration, the scanned papers; submitted and accepted at once."""
    centres = desks.staffed_centres(request.user)
    centre = _centre(request, centres)
    agency = get_object_or_404(_settling_agencies(request.user, centres) if centre else _desk_agencies(request.user),
                               pk=agency)
    procedure = get_object_or_404(_counter_procedures([agency]), pk=procedure)
    version = procedure.current
    first_step = _first_step(procedure, agency)
    data, files = (request.POST, request.FILES) if request.method == "POST" else (None, None)
    applicant = CounterApplicantForm(data, first_step=first_step, agency_id=agency.pk)
    arrival = ArrivalForm(data, prefix="arrival")
    representative = RepresentativeForm(data, prefix="rep")
    returning = ReturnForm(data, prefix="return", default_centre=centre)
    declaration = type(eform.build_form(version.form_schema))(data=data, prefix="eform")
    identity_consent = IdentityConsentForm(data, prefix="identity")
    papers = PapersForm(data, files, version=version)
    forms_ = [applicant, arrival, representative, returning, declaration, papers]
    if request.method == "POST" and all([form.is_valid() for form in forms_]):
        contact = {k: v for k, v in applicant.cleaned_data.items() if k != "unit"}
        details = {**representative.details(), **returning.details(), "post_item": arrival.cleaned_data["post_item"]}
        try:
            dossier = intake_at_counter(officer=request.user, agency=agency, procedure=procedure, contact=contact,
                                        form_values=declaration.cleaned_json(), uploads=papers.uploads(),
                                        unit=applicant.cleaned_data.get("unit"), centre=centre,
                                        channel=arrival.cleaned_data["channel"], details=details)
        except (ValidationError, PermissionDenied, StaleDossier) as error:
            messages.error(request, reason(error) + " " + _("Attach the scanned papers again."))
        else:
            if papers.cleaned_data.get("digitised") and reuse.may_digitise(request.user, dossier):
                reuse.confirm_digitised(dossier=dossier, officer=request.user, confirmed=True,
                                        file_ids=[record.pk for record in reuse.digitisable(dossier)])
            # Outside the intake's transaction: the population database is asked (or the check waits).
            identity.check_at_intake(dossier=dossier, officer=request.user,
                                     consented=identity_consent.is_valid() and identity_consent.cleaned_data["consent"])
            return redirect("office:counter_done", pk=dossier.pk)
    elif request.method == "POST":
        messages.error(request, _("Check the fields marked below; attach the scanned papers again."))
    context = {"agency": agency, "procedure": procedure, "version": version, "applicant": applicant,
               "declaration": declaration, "papers": papers, "centre": centre, "arrival": arrival,
               "representative": representative, "returning": returning, "identity_consent": identity_consent}
    return render(request, "dossiers/office/counter_form.html", context)


@office
def counter_done(request: HttpRequest, pk: int) -> HttpResponse:
    dossier = readable(request, pk)
    receipt = dossier.slips.filter(form=Slip.Form.RECEIPT).order_by("-created_at").first()
    return render(request, "dossiers/office/counter_done.html", {"dossier": dossier, "receipt": receipt,
                                                                **identity.shown(dossier)})
