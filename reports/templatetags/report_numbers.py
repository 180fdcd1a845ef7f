from decimal import Decimal

from django import template
from django.utils import translation

from egov.templatetags.egov import amount

register = template.Library()


@register.filter
def count(value) -> str:
    """12345 as Vietnamese write it, 12.345 (12,345 in English): the platform's one number format."""
    return amount(value)


@register.filter
def rate(value) -> str:
    """A percentage with one decimal, 95,5 (95.5 in English); empty when there is none."""
    if value is None:
        return ""
    text = f"{Decimal(value):.1f}"
    return text if translation.get_language() == "en" else text.replace(".", ",")
