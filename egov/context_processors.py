from django.conf import settings

from directory.selectors import province_name
from workspace.navigation import navigation_for


def platform(request):
    user = getattr(request, "user", None)
    return {
        "province_name": province_name(),
        "platform_name": settings.EGOV_PLATFORM_NAME,
        "oidc_enabled": settings.OIDC_ENABLED,
        "workspace_nav": navigation_for(user) if user is not None and user.is_authenticated else [],
    }
