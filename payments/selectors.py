"""Reads of payments, scoped: the applicant sees their own, officials those of the agencies in
their scope (agency-level reach: a payment belongs to the receiving agency, not to a unit)."""

import datetime as dt

from django.db.models import QuerySet
from django.utils import timezone

from directory.models import Agency
from directory.scope import Action, can, visible
from dossiers.models import Dossier
from dossiers.selectors import acts_for_applicant

from .models import Payment, PaymentStatus, Refund
from .services import PAID_STATES, why_not_payable


def payments_for_official(user) -> QuerySet[Payment]:
    return visible(user, Payment.objects.select_related("dossier", "dossier__agency"), Action.VIEW,
                   agency_field="dossier__agency", unit_field=None)


def agencies_for_official(user) -> QuerySet[Agency]:
    return visible(user, Agency.objects.all(), Action.VIEW, agency_field="pk", unit_field=None)


def can_read_receipt(user, payment: Payment) -> bool:
    if not user.is_authenticated:
        return False
    if acts_for_applicant(user, payment.dossier):  # the applicant, their representative, organisation staff
        return True
    return can(user, Action.VIEW, agency_id=payment.dossier.agency_id)


def started_on(payments: QuerySet[Payment], *, day: dt.date, agency: Agency) -> QuerySet[Payment]:
    """Payments started on ``day`` (Vietnam time) for dossiers received by ``agency``."""
    start = dt.datetime.combine(day, dt.time.min, tzinfo=timezone.get_current_timezone())
    return (payments.filter(dossier__agency=agency, created_at__gte=start, created_at__lt=start + dt.timedelta(days=1))
            .select_related("dossier").order_by("created_at", "id"))


def payments_of_day(user, *, day: dt.date, agency: Agency) -> QuerySet[Payment]:
    return started_on(payments_for_official(user), day=day, agency=agency)


def payment_panel(dossier: Dossier) -> dict:
    """What the dossier's page shows about paying its fees."""
    payments = list(dossier.payments.all()) if dossier.pk else []
    paid = next((p for p in payments if p.status in PAID_STATES), None)
    refund = Refund.objects.filter(payment=paid).first() if paid else None
    pending = next((p for p in payments if p.status == PaymentStatus.PENDING), None)
    reason = why_not_payable(dossier)
    return {"paid": paid, "refund": refund, "pending": pending, "payable": reason is None,
            "reason": reason, "online": dossier.procedure_version.kind == "full",
            "latest": payments[0] if payments else None, "amount": dossier.fee_amount}
