from django.urls import path, re_path
from django.utils.translation import gettext as _
from django.views.decorators.csrf import csrf_exempt

from .docs import asset
from .errors import problem
from .main import api


@csrf_exempt  # a POST to an unknown address is a 404, not a missing CSRF cookie
def not_found(request, rest: str = ""):
    """Unknown API addresses answer a problem document too, not the portal's HTML page."""
    return problem(404, _("Not found."))


urlpatterns = [
    path("docs/assets/<str:name>", asset, name="api_docs_asset"),
    path("", api.urls),
    re_path(r"^(?P<rest>.*)$", not_found),
]
