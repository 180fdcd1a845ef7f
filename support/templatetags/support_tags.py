"""``{% help_link %}``: the "Cần hỗ trợ?" link of every page, carrying the page it is on and the
dossier or procedure that page shows, so that the question arrives with its context."""

from django import template
from django.urls import reverse
from django.utils.http import urlencode

register = template.Library()


def _code(value, attribute: str) -> str:
    return str(getattr(value, attribute, "") or "") if value is not None else ""


@register.inclusion_tag("support/includes/help_link.html", takes_context=True)
def help_link(context, office: bool = False) -> dict:
    request = context.get("request")
    target = reverse("support_office:ask" if office else "support:ask")
    if request is None or request.path == target:  # on the question form itself: nothing to carry
        return {"url": target}
    params = {"page": request.get_full_path()[:500]}
    dossier = context.get("dossier")
    if dossier is not None and getattr(dossier, "pk", None):
        params["dossier"] = _code(dossier, "code") or str(dossier.pk)
        version = getattr(dossier, "procedure_version", None)
        params["procedure"] = _code(getattr(version, "procedure", None), "code")
    else:
        procedure = context.get("procedure")
        params["procedure"] = _code(procedure, "code") if hasattr(procedure, "versions") else ""
    query = urlencode({key: value for key, value in params.items() if value})
    return {"url": f"{target}?{query}"}
