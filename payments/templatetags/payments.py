from django import template

from payments import receipts
from payments.selectors import payment_panel

register = template.Library()


@register.simple_tag
def payment_state(dossier):
    """``{% payment_state dossier as pay %}``: paid payment, refund, whether it can be paid now."""
    return payment_panel(dossier)


@register.filter
def vnd(amount) -> str:
    """16000 -> "16.000" (Vietnamese grouping, whatever the active locale's number format)."""
    if amount in (None, ""):
        return ""
    return receipts.vnd(int(amount))
