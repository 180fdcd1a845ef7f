from django import template
from django.utils import translation

register = template.Library()


@register.filter
def vnd(amount) -> str:
    """An amount of đồng as Vietnamese write it: 1.250.000 đ (1,250,000 VND in English)."""
    try:
        value = int(amount)
    except (TypeError, ValueError):
        return ""
    grouped = f"{value:,}"
    if translation.get_language() == "en":
        return f"{grouped} VND"
    return f"{grouped.replace(',', '.')} đ"
