from django.contrib.auth import logout
from django.shortcuts import redirect
from django.urls import reverse

from . import sessions
from .services import needs_second_factor

SESSION_KEY = "egov_second_factor_checked"


class SecondFactorMiddleware:
    """A session of a user who must use a second factor but has not passed it is ended.

    Our login view only signs such users in after the TOTP step; this guards every other
    way a session could be made (the admin's own login form, a forgotten code path).
    Citizens who come through the national identity provider were authenticated there.
    """

    def __init__(self, get_response):
        self.get_response = get_response

    def __call__(self, request):
        user = getattr(request, "user", None)
        if user is not None and user.is_authenticated and not request.session.get(SESSION_KEY):
            via_oidc = request.session.get("_auth_user_backend", "").endswith("OIDCBackend")
            if not via_oidc and not user.is_verified() and needs_second_factor(user):
                logout(request)
                return redirect(f"{reverse('accounts:login')}?next={request.path}")
            request.session[SESSION_KEY] = True
        return self.get_response(request)


class SessionLimitsMiddleware:
    """A session past its absolute limit is ended (the user signs in again); a live one has its
    last-seen time kept for the user's list of sessions (accounts.sessions)."""

    def __init__(self, get_response):
        self.get_response = get_response

    def __call__(self, request):
        user = getattr(request, "user", None)
        if user is not None and user.is_authenticated and hasattr(request, "session"):
            if sessions.expired(request, user):
                logout(request)
                return redirect(f"{reverse('accounts:login')}?next={request.path}&expired=1")
            sessions.touch(request, user)
        return self.get_response(request)
