"""The applicant's pages: apply, drafts, review and submit, receipt, own dossiers; public lookup;
file downloads behind a permission check."""

import datetime as dt

from django.contrib import messages
from django.contrib.auth.decorators import login_required
from django.contrib.auth.views import redirect_to_login
from django.core.exceptions import PermissionDenied, ValidationError
from django.http import Http404
from django.shortcuts import get_object_or_404, redirect, render
from django.urls import reverse
from django.utils.translation import gettext as _
from django.views.decorators.http import require_POST

from audit.middleware import client_ip
from audit.services import record_read
from directory.models import Agency
from egov.http import private_file, slip_filename
from procedures import eform, fees
from procedures import selectors as procedure_selectors

from . import identity, policy, reuse, selectors, services
from .forms import ContactForm, LookupForm, RatingForm, WithdrawForm
from .models import Dossier, DossierFile, FilePurpose, Slip
from .receiving_forms import OrganisationForm, RepresentativeForm, ReturnForm
from .states import Status


def _own(request, pk: int) -> Dossier:
    dossier = get_object_or_404(Dossier.objects.select_related("procedure_version", "agency"), pk=pk)
    if not selectors.acts_for_applicant(request.user, dossier):  # a draft its author's; staff of an organisation
        raise Http404
    return dossier


@require_POST
def start(request, code: str):
    procedure = procedure_selectors.by_code(code)
    if procedure is None:
        raise Http404
    if not request.user.is_authenticated:
        # The procedure's "Apply online" form posts here: after signing in, the applicant comes
        # back to the procedure's page, not to this POST-only address (a blank 405).
        return redirect_to_login(reverse("procedures:detail", args=[code]))
    agency = Agency.objects.filter(pk=request.POST.get("agency") or 0).first()
    try:
        dossier = services.start_draft(applicant=request.user, procedure=procedure, agency=agency)
    except ValidationError as error:
        messages.error(request, " ".join(error.messages))
        return redirect("procedures:detail", code=code)
    return redirect("dossiers:draft", pk=dossier.pk)


def _paper_uploads(request, version) -> dict:
    return {paper.pk: request.FILES[f"paper-{paper.pk}"] for paper in version.papers.all()
            if f"paper-{paper.pk}" in request.FILES}


def _reuse_choices(request, version, uploads: dict) -> dict:
    """Paper id → item of the data store chosen instead of an upload (an upload wins)."""
    return {paper.pk: int(request.POST[f"reuse-{paper.pk}"]) for paper in version.papers.all()
            if request.POST.get(f"reuse-{paper.pk}", "").isdigit() and paper.pk not in uploads}


def _draft_forms(dossier: Dossier, data=None) -> tuple:
    """The applicant's details forms: contact, who acts for them, where the result goes back."""
    contact_initial = {name: getattr(dossier, name) for name in ContactForm.base_fields}
    rep_initial = {name: getattr(dossier, name) for name in RepresentativeForm.base_fields if name != "on_behalf"}
    rep_initial["on_behalf"] = bool(dossier.representative_name)
    return (ContactForm(data, initial=contact_initial),
            RepresentativeForm(data, prefix="rep", initial=rep_initial),
            ReturnForm(data, prefix="return", initial={"return_method": dossier.return_method,
                                                       "return_centre": dossier.return_centre_id}),
            OrganisationForm(data, prefix="org", user=dossier.applicant,
                             initial={"organisation": dossier.organisation_id}))


@login_required
def draft(request, pk: int):
    dossier = _own(request, pk)
    if dossier.status != Status.DRAFT:
        return redirect("dossiers:detail", pk=dossier.pk)
    version = dossier.procedure_version
    if request.method == "POST":
        form = eform.build_form(version.form_schema, data=request.POST)
        contact, representative, returning, organisation = _draft_forms(dossier, request.POST)
        raw = {name: request.POST.get(name, "") for name in version.form_schema.get("properties", {})}
        for name, spec in version.form_schema.get("properties", {}).items():
            if spec.get("type") == "boolean":
                raw[name] = name in request.POST
        form.is_valid()  # a date typed dd/mm/yyyy is kept as the date input sends it, yyyy-mm-dd
        raw.update({name: value.isoformat() for name, value in form.cleaned_data.items() if isinstance(value, dt.date)})
        details_valid = all([contact.is_valid(), representative.is_valid(), returning.is_valid(),
                             organisation.is_valid()])
        values = dict(contact.cleaned_data) if contact.is_valid() else {}
        if representative.is_valid():
            values.update(representative.details())
        if returning.is_valid():
            values.update(returning.details())
        if organisation.is_valid():
            values.update(organisation.details())
        services.save_draft(dossier=dossier, applicant=request.user, form_values=raw, contact=values)
        uploads = _paper_uploads(request, version)
        try:
            services.attach_papers(dossier=dossier, user=request.user, uploads=uploads)
            reuse.reuse_papers(dossier=dossier, user=request.user, choices=_reuse_choices(request, version, uploads))
        except ValidationError as error:
            messages.error(request, " ".join(error.messages))
            return redirect("dossiers:draft", pk=dossier.pk)
        except PermissionDenied:
            raise Http404 from None  # an item not offered to this applicant: as if it did not exist
        if "review" in request.POST and form.is_valid() and details_valid:
            return redirect("dossiers:review", pk=dossier.pk)
        if "review" not in request.POST:
            messages.success(request, _("Your draft has been saved. You can come back to it later."))
            return redirect("dossiers:draft", pk=dossier.pk)
    else:
        form = eform.build_form(version.form_schema, initial=dossier.form_data)
        contact, representative, returning, organisation = _draft_forms(dossier)
    offered, reused = reuse.offers(user=request.user, dossier=dossier), reuse.current_reuses(dossier)  # ADR 0044
    papers = [{"paper": paper, "files": [f for f in dossier.files.all() if f.requirement_id == paper.pk
                                         and not f.replaced], "offers": offered.get(paper.pk, []),
               "reused": reused.get(paper.pk)}
              for paper in version.papers.all()]
    return render(request, "dossiers/draft.html",
                  {"dossier": dossier, "form": form, "contact": contact, "papers": papers, "version": version,
                   "representative": representative, "returning": returning, "organisation": organisation,
                   **identity.offer(request.user, dossier)})  # from the national databases (ADR 0045)


@login_required
def review(request, pk: int):
    dossier = _own(request, pk)
    if dossier.status != Status.DRAFT:
        return redirect("dossiers:detail", pk=dossier.pk)
    problems = services.missing_items(dossier)
    version = dossier.procedure_version
    values, _errors = eform.validate(version.form_schema, dossier.form_data)
    context = {
        "dossier": dossier, "problems": problems,
        "answers": eform.answers(version.form_schema, dossier.form_data),
        "fee_lines": fees.compute(version.fees, values) if not problems else [],
        "fee_total": fees.total(version.fees, values) if not problems else None,
        "files": dossier.files.filter(replaced=False).select_related("requirement"),
    }
    return render(request, "dossiers/review.html", context)


@login_required
@require_POST
def submit(request, pk: int):
    dossier = _own(request, pk)
    try:
        dossier = services.submit(dossier=dossier, applicant=request.user)
    except ValidationError:
        messages.error(request, _("The dossier is not complete yet; see what is missing below."))
        return redirect("dossiers:review", pk=dossier.pk)
    return redirect("dossiers:receipt", pk=dossier.pk)


@login_required
def receipt(request, pk: int):
    dossier = _own(request, pk)
    if dossier.status == Status.DRAFT:
        return redirect("dossiers:draft", pk=dossier.pk)
    return render(request, "dossiers/receipt.html", {"dossier": dossier})


@login_required
def mine(request):
    return render(request, "dossiers/mine.html", {
        "dossiers": selectors.own_dossiers(request.user), "drafts": selectors.own_drafts(request.user)})


@login_required
def detail(request, pk: int):
    dossier = _own(request, pk)
    if dossier.status == Status.DRAFT:
        return redirect("dossiers:draft", pk=dossier.pk)
    version = dossier.procedure_version
    context = {
        "dossier": dossier, "events": dossier.events.all(), "version": version,
        "files": dossier.files.filter(replaced=False, purpose__in=[FilePurpose.PAPER, FilePurpose.SUPPLEMENT])
        .select_related("requirement"),
        # The result is the applicant's once it has been issued and returned to them.
        "results": selectors.applicant_files(dossier).filter(purpose=FilePurpose.RESULT),
        "slips": dossier.slips.exclude(form=Slip.Form.CONTROL).exclude(file=""),
        "papers": version.papers.all(),
        "withdraw_form": WithdrawForm(), "rating_form": RatingForm(),
        "can_withdraw": bool(policy.decide(request.user, dossier, "withdraw")),
    }
    return render(request, "dossiers/detail.html", context)


@login_required
@require_POST
def answer_supplement(request, pk: int):
    dossier = _own(request, pk)
    try:
        services.answer_supplement(dossier=dossier, applicant=request.user,
                                   uploads=_paper_uploads(request, dossier.procedure_version),
                                   note=request.POST.get("note", "")[:2000])
        messages.success(request, _("Your supplement has been sent."))
    except ValidationError as error:
        messages.error(request, " ".join(error.messages))
    return redirect("dossiers:detail", pk=dossier.pk)


@login_required
@require_POST
def withdraw(request, pk: int):
    dossier = _own(request, pk)
    form = WithdrawForm(request.POST)
    try:
        if not form.is_valid():
            raise ValidationError(_("Give a reason for withdrawing the dossier."))
        services.withdraw(dossier=dossier, applicant=request.user, reason=form.cleaned_data["reason"])
        messages.success(request, _("Your dossier has been withdrawn."))
    except (ValidationError, PermissionDenied) as error:
        messages.error(request, " ".join(getattr(error, "messages", [str(error)])))
    return redirect("dossiers:detail", pk=dossier.pk)


@login_required
@require_POST
def rate(request, pk: int):
    dossier = _own(request, pk)
    form = RatingForm(request.POST)
    try:
        if not form.is_valid():
            raise ValidationError(_("Choose a rating from 1 to 5."))
        services.rate(dossier=dossier, applicant=request.user, rating=int(form.cleaned_data["rating"]),
                      comment=form.cleaned_data["comment"])
        messages.success(request, _("Thank you for your rating."))
    except ValidationError as error:
        messages.error(request, " ".join(error.messages))
    return redirect("dossiers:detail", pk=dossier.pk)


@login_required
def download(request, pk: int):
    """Files are never served directly from storage: the applicant or an official whose scope
    covers the dossier, nobody else; an official's reading is audited."""
    record = get_object_or_404(DossierFile.objects.select_related("dossier"), pk=pk)
    if not selectors.can_read_file(request.user, record):
        raise Http404
    if not selectors.acts_for_applicant(request.user, record.dossier):
        record_read(obj=record, fields=["file"])
    return private_file(record.file, content_type=record.content_type, filename=record.download_name)


@login_required
def slip(request, pk: int):
    """The applicant's copy of a slip addressed to them (Mẫu 01–04)."""
    record = get_object_or_404(Slip.objects.select_related("dossier"), pk=pk)
    if not selectors.acts_for_applicant(request.user, record.dossier) or record.form == Slip.Form.CONTROL or not record.file:
        raise Http404
    if record.form == Slip.Form.APOLOGY and record.approved_at is None:
        raise Http404  # a draft is not sent to the applicant
    return private_file(record.file, content_type="application/pdf", filename=slip_filename(record),
                        attachment=False)


def lookup(request):
    """Public tracking by code: status and timeline without personal data; details with the
    phone or ID number given at submission, which is only read from a POST (never from the URL,
    where it would stay in histories, proxies and logs). A link with ``?code=`` still shows the status."""
    form = LookupForm(request.POST if request.method == "POST" else (request.GET or None))
    dossier = None
    verified = False
    if form.is_valid():
        dossier = selectors.public_by_code(form.cleaned_data["code"])
        if dossier is not None and request.method == "POST" and form.cleaned_data.get("secret"):
            try:
                verified = selectors.check_lookup_secret(dossier, form.cleaned_data["secret"],
                                                         client_address=client_ip(request))
                if not verified:
                    form.add_error("secret", _("This does not match the phone or ID number given with the dossier."))
            except selectors.TooManyGuesses:
                form.add_error("secret", _("Too many wrong answers for this dossier. Try again in an hour."))
    context = {"form": form, "dossier": dossier, "verified": verified,
               "events": selectors.public_timeline(dossier) if dossier else [],
               "searched": form.is_bound and form.is_valid()}
    return render(request, "dossiers/lookup.html", context)


def lookup_redirect(request, code: str):
    return redirect(reverse("dossiers:lookup") + f"?code={code}")
