"""Đối soát: our payments of a day for one agency against what the gateway says about each
(asked through the query API). Read-only: settling what differs is ``payments reconcile``."""

from __future__ import annotations

import datetime as dt
import io
from collections import Counter
from dataclasses import dataclass, field

from django.utils import timezone
from django.utils.translation import gettext as _
from django.utils.translation import gettext_lazy
from openpyxl import Workbook
from openpyxl.styles import Font

from . import gateway
from .models import Payment, PaymentStatus
from .services import PAID_STATES, query_gateway

MATCH, MISMATCH, MISSING, UNKNOWN = "match", "mismatch", "missing", "unknown"
VERDICTS = {
    MATCH: gettext_lazy("matches"),
    MISMATCH: gettext_lazy("differs"),
    MISSING: gettext_lazy("missing at the gateway"),
    UNKNOWN: gettext_lazy("gateway did not answer"),
}
GATEWAY_STATES = {
    "00": gettext_lazy("paid"),
    "01": gettext_lazy("not completed"),
    "02": gettext_lazy("failed or cancelled"),
}


@dataclass
class Line:
    payment: Payment
    verdict: str
    gateway_status: str = ""
    gateway_amount: int | None = None
    transaction_no: str = ""
    note: str = ""

    @property
    def verdict_label(self) -> str:
        return str(VERDICTS[self.verdict])


@dataclass
class Report:
    day: dt.date
    agency: object
    lines: list[Line] = field(default_factory=list)

    @property
    def counts(self) -> Counter:
        return Counter(line.verdict for line in self.lines)

    @property
    def summary(self) -> list[tuple[str, int]]:
        counts = self.counts
        return [(str(label), counts.get(key, 0)) for key, label in VERDICTS.items()]


def _compare(payment: Payment) -> Line:
    paid_here = payment.status in PAID_STATES
    try:
        answer = query_gateway(payment)
    except gateway.GatewayError:
        return Line(payment, UNKNOWN, note=_("The gateway could not be asked."))
    if not answer.found:
        if paid_here:
            return Line(payment, MISSING, note=_("Paid here, unknown to the gateway."))
        return Line(payment, MATCH, note=_("Never paid on either side."))
    status = str(GATEWAY_STATES.get(answer.transaction_status, answer.transaction_status))
    line = Line(payment, MATCH, gateway_status=status, gateway_amount=answer.amount,
                transaction_no=answer.transaction_no)
    if answer.amount != payment.amount:
        line.verdict, line.note = MISMATCH, _("The amounts differ.")
    elif answer.paid and not paid_here:
        line.verdict, line.note = MISMATCH, _("Paid at the gateway, not confirmed here: run the reconciliation.")
    elif paid_here and not answer.paid:
        line.verdict, line.note = MISMATCH, _("Paid here, not paid at the gateway.")
    elif paid_here and answer.transaction_no != payment.gateway_transaction_no:
        line.verdict, line.note = MISMATCH, _("The transaction numbers differ.")
    return line


def build_report(*, payments, day: dt.date, agency) -> Report:
    return Report(day=day, agency=agency, lines=[_compare(payment) for payment in payments])


HEADERS = [
    gettext_lazy("Payment reference"), gettext_lazy("Dossier code"), gettext_lazy("Started at"),
    gettext_lazy("Status here"), gettext_lazy("Amount here (VND)"), gettext_lazy("Gateway status"),
    gettext_lazy("Gateway amount (VND)"), gettext_lazy("Gateway transaction no."), gettext_lazy("Result"),
    gettext_lazy("Note"),
]


def workbook(report: Report) -> bytes:
    book = Workbook()
    sheet = book.active
    sheet.title = _("Reconciliation")[:31]
    sheet.append([_("Payment reconciliation"), str(report.agency), report.day.strftime("%d/%m/%Y")])
    sheet["A1"].font = Font(bold=True)
    sheet.append([f"{label}: {count}" for label, count in report.summary])
    sheet.append([])
    sheet.append([str(header) for header in HEADERS])
    for cell in sheet[4]:
        cell.font = Font(bold=True)
    for line in report.lines:
        p = line.payment
        sheet.append([
            p.txn_ref, p.dossier.code, timezone.localtime(p.created_at).strftime("%H:%M:%S %d/%m/%Y"),
            str(PaymentStatus(p.status).label), p.amount, line.gateway_status, line.gateway_amount,
            line.transaction_no, line.verdict_label, line.note,
        ])
    for column, width in zip("ABCDEFGHIJ", (18, 28, 20, 18, 16, 18, 18, 18, 20, 50), strict=True):
        sheet.column_dimensions[column].width = width
    buffer = io.BytesIO()
    book.save(buffer)
    return buffer.getvalue()
