from django.http import JsonResponse
from django.urls import path, re_path
from django.utils.translation import gettext as _

from .docs import asset
from .main import api


def not_found(request, rest: str = ""):
    """Unknown API addresses answer in JSON too, not with the portal's HTML page."""
    return JsonResponse({"detail": _("Not found.")}, status=404, headers={"Cache-Control": "no-store"})


urlpatterns = [
    path("docs/assets/<str:name>", asset, name="api_docs_asset"),
    path("", api.urls),
    re_path(r"^(?P<rest>.*)$", not_found),
]
