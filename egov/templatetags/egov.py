from django import template
from django.utils import translation

register = template.Library()


@register.filter
def amount(value) -> str:
    """A whole number grouped by thousands as the reader writes it: 1.250.000 (1,250,000 in English)."""
    try:
        grouped = f"{int(value):,}"
    except (TypeError, ValueError):
        return ""
    return grouped if translation.get_language() == "en" else grouped.replace(",", ".")


@register.filter
def vnd(value) -> str:
    """An amount of đồng with its unit: 1.250.000 đ (1,250,000 VND in English)."""
    grouped = amount(value)
    if not grouped:
        return ""
    return f"{grouped} VND" if translation.get_language() == "en" else f"{grouped} đ"
