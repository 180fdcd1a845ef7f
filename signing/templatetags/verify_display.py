"""How the verification page shows what pyHanko reports: moments in the reader's time zone as
dd/mm/yyyy, and certificate names with their attribute labels in the reader's language."""

import datetime as dt
import re

from django import template
from django.utils import timezone
from django.utils.translation import gettext_lazy as _

register = template.Library()

# asn1crypto's ``Name.human_friendly`` labels ("Common Name: X, Organization: Y").
LABELS = {
    "Common Name": _("Name"),
    "Organization": _("Organisation"),
    "Organizational Unit": _("Unit"),
    "Country": _("Country"),
    "State/Province": _("Province"),
    "Locality": _("Locality"),
    "Title": _("Title"),
    "Email Address": _("E-mail"),
    "Serial Number": _("Serial number"),
    "User ID": _("Identifier"),
    "Street Address": _("Address"),
}
_LABEL = re.compile(r"(^|, )(" + "|".join(re.escape(label) for label in LABELS) + r"): ")


@register.filter
def moment(value) -> str:
    """An ISO 8601 moment as "HH:MM:SS dd/mm/yyyy" in the installation's time zone, or "—"."""
    if not value:
        return "—"
    try:
        parsed = dt.datetime.fromisoformat(str(value))
    except ValueError:
        return str(value)
    if timezone.is_naive(parsed):
        parsed = timezone.make_aware(parsed, dt.UTC)
    return timezone.localtime(parsed).strftime("%H:%M:%S %d/%m/%Y")


@register.filter
def certificate_name(value) -> str:
    """A certificate's subject with its attribute labels translated."""
    return _LABEL.sub(lambda match: f"{match.group(1)}{LABELS[match.group(2)]}: ", str(value or ""))
