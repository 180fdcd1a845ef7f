from django import template
from django.utils import translation
from django.utils.encoding import force_str

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


@register.filter
def choice_label(instance, field_name: str):
    """``{{ dossier|choice_label:"status" }}``: what ``dossier.get_status_display`` shows, for less. Django's
    method hashes every choice to find one, which translates every label of the list (ten for a dossier's
    status); this translates only the label shown (a timeline lists a status per event)."""
    field = instance._meta.get_field(field_name)
    value = getattr(instance, field.attname)
    for choice, label in field.flatchoices:
        if choice == value:
            return force_str(label, strings_only=True)
    return value
