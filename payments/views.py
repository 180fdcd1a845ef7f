"""Paying a dossier's fees online: start (to the gateway), the gateway's notification and the
payer's return, the electronic receipt, and the officials' reconciliation report."""

import json

from django.contrib import messages
from django.contrib.auth.decorators import login_required
from django.core.exceptions import PermissionDenied, ValidationError
from django.http import Http404, HttpResponse, HttpResponseRedirect, JsonResponse
from django.shortcuts import get_object_or_404, redirect, render
from django.views.decorators.cache import never_cache
from django.views.decorators.csrf import csrf_exempt
from django.views.decorators.http import require_GET, require_POST

from audit.middleware import client_ip
from audit.services import record_read
from dossiers.models import Dossier
from dossiers.selectors import acts_for_applicant
from national import payment as national_payment

from . import platforms, selectors, services
from . import reconciliation as recon
from .forms import ReconciliationForm
from .gateway import GatewayError
from .models import Payment, PaymentStatus
from .receipts import receipt_pdf


@login_required
@require_POST
def start(request, dossier_pk: int):
    dossier = get_object_or_404(Dossier.objects.select_related("procedure_version"), pk=dossier_pk)
    if not acts_for_applicant(request.user, dossier):
        raise Http404
    try:
        url = services.start_payment(dossier=dossier, user=request.user, ip=client_ip(request))
    except ValidationError as error:
        messages.error(request, " ".join(error.messages))
        return redirect("dossiers:detail", pk=dossier.pk)
    except PermissionDenied as error:
        raise Http404 from error
    return HttpResponseRedirect(url)


@never_cache
@require_GET
def ipn(request):
    """The gateway's server-to-server notification; answered in the gateway's JSON format."""
    code, message = services.handle_notification(request.GET.dict())
    return JsonResponse({"RspCode": code, "Message": message})


@csrf_exempt
@never_cache
@require_POST
def national_ipn(request):
    """The national payment platform's call back: believed only with its signature over the body."""
    verified = national_payment.verify_callback(request.body, request.headers.get(national_payment.SIGNATURE_HEADER, ""))
    try:
        body = json.loads(request.body)
    except ValueError:
        body = {}
    params = platforms.callback_params(body if isinstance(body, dict) else {})
    code, message = services.handle_notification(params, verified=verified)
    return JsonResponse({"code": code, "message": message})


@never_cache
@require_GET
def national_return(request):
    """The payer back from the national platform: shows the payment as we know it (after asking the
    platform if its call back has not come yet); never marks anything paid by itself."""
    payment = Payment.objects.filter(txn_ref=request.GET.get("txn_ref", "")[:40],
                                     platform=platforms.NATIONAL).select_related("dossier").first()
    if payment is not None and payment.status == PaymentStatus.PENDING:
        try:
            services.settle_from_query(payment)
        except GatewayError:
            pass
        payment.refresh_from_db()
    context = {"valid": True, "payment": payment, "says_paid": False,
               "own": payment is not None and acts_for_applicant(request.user, payment.dossier)}
    return render(request, "payments/return.html", context)


@never_cache
@require_GET
def gateway_return(request):
    result = services.handle_return(request.GET.dict())
    payment = result.payment
    context = {
        "valid": result.valid, "payment": payment, "says_paid": result.gateway_says_paid,
        "own": payment is not None and acts_for_applicant(request.user, payment.dossier),
    }
    return render(request, "payments/return.html", context, status=200 if result.valid else 400)


@login_required
def receipt(request, pk: int):
    """The electronic receipt: to the applicant and to officials whose scope covers the agency."""
    payment = get_object_or_404(
        Payment.objects.select_related("dossier", "dossier__agency", "dossier__procedure_version"), pk=pk)
    if not selectors.can_read_receipt(request.user, payment) or payment.status not in services.PAID_STATES:
        raise Http404
    if not acts_for_applicant(request.user, payment.dossier):
        record_read(obj=payment.dossier, fields=["applicant_name", "receipt"])
    response = HttpResponse(receipt_pdf(payment), content_type="application/pdf")
    response["Content-Disposition"] = f'inline; filename="bien-lai-{payment.receipt_no}.pdf"'
    response["Cache-Control"] = "private, no-store"
    return response


@login_required
def reconciliation(request):
    agencies = selectors.agencies_for_official(request.user)
    if not agencies.exists():
        raise Http404
    form = ReconciliationForm(request.GET or None, agencies=agencies)
    report = None
    if form.is_valid():
        day, agency = form.cleaned_data["day"], form.cleaned_data["agency"]
        report = recon.build_report(payments=selectors.payments_of_day(request.user, day=day, agency=agency),
                                    day=day, agency=agency)
        if request.GET.get("format") == "xlsx":
            response = HttpResponse(
                recon.workbook(report),
                content_type="application/vnd.openxmlformats-officedocument.spreadsheetml.sheet")
            response["Content-Disposition"] = f'attachment; filename="doi-soat-{agency.code}-{day:%Y%m%d}.xlsx"'
            return response
    return render(request, "payments/reconciliation.html",
                  {"form": form, "report": report, "query": request.GET.urlencode()})
