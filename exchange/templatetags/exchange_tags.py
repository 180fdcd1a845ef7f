from django import template

from exchange import statuses

register = template.Library()


@register.filter
def exchange_status(code: str) -> str:
    """A recipient's exchange status as the reader says it: "01" → "đã đến"; any other value (a
    distribution not yet answered: queued, sent, failed) is shown as it is."""
    return statuses.label(code)
