"""The electronic receipt (biên lai điện tử) of a paid fee, as PDF, in Vietnamese.

Rendered with WeasyPrint from a template; the fonts are the Liberation Serif files bundled in
``egov/fonts`` (metric-compatible with Times New Roman, covering Vietnamese), referenced by
file:// URLs so the PDF looks the same on every machine.
"""

from pathlib import Path

from django.conf import settings
from django.template.loader import render_to_string
from django.utils import timezone, translation

from egov.templatetags.egov import amount as grouped
from procedures import fees

from .models import Payment

FONTS_DIR = Path(settings.BASE_DIR) / "egov" / "fonts"

_DIGITS = ["không", "một", "hai", "ba", "bốn", "năm", "sáu", "bảy", "tám", "chín"]
_GROUPS = ["", "nghìn", "triệu", "tỷ"]


def _triple(number: int, full: bool) -> list[str]:
    hundreds, tens, units = number // 100, number // 10 % 10, number % 10
    words: list[str] = []
    if full or hundreds:
        words += [_DIGITS[hundreds], "trăm"]
    if tens == 0:
        if units and words:
            words.append("linh")
        if units:
            words.append(_DIGITS[units])
    elif tens == 1:
        words.append("mười")
        if units:
            words.append("lăm" if units == 5 else _DIGITS[units])
    else:
        words += [_DIGITS[tens], "mươi"]
        if units:
            words.append({1: "mốt", 5: "lăm"}.get(units, _DIGITS[units]))
    return words


def amount_in_words(amount: int) -> str:
    """Số tiền bằng chữ: 16000 -> "Mười sáu nghìn đồng"; 1005000 -> "Một triệu không trăm linh
    năm nghìn đồng"."""
    if amount <= 0:
        return "Không đồng"
    groups = []
    while amount:
        groups.append(amount % 1000)
        amount //= 1000
    words: list[str] = []
    for index in range(len(groups) - 1, -1, -1):
        value = groups[index]
        if value == 0:
            continue
        words += _triple(value, full=bool(words))
        scale = index
        names: list[str] = []
        while scale >= 3:  # beyond a billion: "nghìn tỷ", "triệu tỷ"...
            names.insert(0, "tỷ")
            scale -= 3
        if scale:
            names.insert(0, _GROUPS[scale])
        words += names
    text = " ".join(words) + " đồng"
    return text[0].upper() + text[1:]


def vnd(amount: int) -> str:
    """Receipts are official documents, always in Vietnamese: 16.000."""
    with translation.override("vi"):
        return grouped(amount)


def receipt_context(payment: Payment) -> dict:
    dossier = payment.dossier
    version = dossier.procedure_version
    lines: list[tuple[str | None, int]] = [(line.name, line.amount) for line in fees.compute(version.fees, dossier.form_data) if line.amount]
    if sum(amount for _name, amount in lines) != payment.amount:
        lines = [(None, payment.amount)]  # the fee table changed since: one line for what was paid
    return {
        "payment": payment, "dossier": dossier, "agency": dossier.agency, "procedure_name": version.name,
        "lines": [(name, vnd(amount)) for name, amount in lines], "total": vnd(payment.amount),
        "in_words": amount_in_words(payment.amount),
        "paid_at": timezone.localtime(payment.paid_at) if payment.paid_at else None,
        "issued_at": timezone.localtime(timezone.now()),
        "fonts": {style: (FONTS_DIR / f"LiberationSerif-{style}.ttf").as_uri()
                  for style in ("Regular", "Bold", "Italic")},
    }


def receipt_pdf(payment: Payment) -> bytes:
    from weasyprint import HTML

    with translation.override("vi"):
        html = render_to_string("payments/receipt_pdf.html", receipt_context(payment))
    return HTML(string=html, base_url=FONTS_DIR.as_uri() + "/").write_pdf()
