from django import template

from payments.selectors import payment_panel

register = template.Library()


@register.simple_tag
def payment_state(dossier):
    """``{% payment_state dossier as pay %}``: paid payment, refund, whether it can be paid now."""
    return payment_panel(dossier)
