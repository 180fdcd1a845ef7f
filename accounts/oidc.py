"""Citizen sign-in through an OpenID Connect provider (the national identity platform).

A citizen is matched by the provider's stable subject identifier (``sub``), never by e-mail,
which people change and providers do not always verify.
"""

import logging

import jwt
import requests
from django.conf import settings
from django.core.exceptions import SuspiciousOperation
from django.db import transaction
from django.http import Http404
from django.urls import reverse
from mozilla_django_oidc.auth import OIDCAuthenticationBackend
from mozilla_django_oidc.views import OIDCAuthenticationCallbackView, OIDCAuthenticationRequestView

from .middleware import SESSION_KEY
from .models import PortalProfile, User

logger = logging.getLogger(__name__)


class CitizenOIDCBackend(OIDCAuthenticationBackend):
    def authenticate(self, request, **kwargs):
        # Django tries every backend on every ``authenticate()`` call, the password login's
        # included: only the OIDC callback (which always passes ``nonce``) may reach the provider.
        if not settings.OIDC_ENABLED or "nonce" not in kwargs:
            return None
        user = super().authenticate(request, **kwargs)
        # A deactivated citizen is refused (and audited as a failed sign-in), not recreated.
        return user if user is not None and self.user_can_authenticate(user) else None

    def get_userinfo(self, access_token, id_token, payload):
        claims = super().get_userinfo(access_token, id_token, payload)
        # OIDC Core 5.3.2: the UserInfo ``sub`` MUST be the ID Token's ``sub``; we match on it.
        if claims.get("sub") != payload.get("sub"):
            raise SuspiciousOperation("UserInfo subject does not match the ID token subject")
        return claims

    def verify_claims(self, claims) -> bool:
        return bool(claims.get("sub"))

    def filter_users_by_claims(self, claims):
        # Inactive users too: leaving them out would try to create a second account for the
        # same subject (unique) and fail with an IntegrityError.
        return User.objects.filter(profile__oidc_subject=claims.get("sub"))

    @transaction.atomic
    def create_user(self, claims):
        subject = claims["sub"]
        email = (claims.get("email") or "").lower()
        if email and User.objects.filter(email__iexact=email).exists():
            email = ""  # an existing local account keeps its address; link by subject only
        user = User(
            username=f"oidc-{subject}"[:150], email=email, kind=User.Kind.CITIZEN,
            full_name=(claims.get("name") or "")[:150],
            email_verified=bool(email and claims.get("email_verified")),
        )
        user.set_unusable_password()
        user.save()
        PortalProfile.objects.create(user=user, oidc_subject=subject)
        return user

    def update_user(self, user, claims):
        name = (claims.get("name") or "")[:150]
        if name and name != user.full_name:
            user.full_name = name
            user.save(update_fields=["full_name"])
        return user


class CitizenOIDCCallbackView(OIDCAuthenticationCallbackView):
    def get(self, request):
        if not settings.OIDC_ENABLED:
            raise Http404
        # mozilla-django-oidc lets these escape: an unknown/tampered ``state`` is a
        # SuspiciousOperation (400), a code the provider refuses an HTTPError (500), a bad
        # ID token a PyJWT error. For the citizen each is a failed sign-in.
        try:
            return super().get(request)
        except (SuspiciousOperation, requests.RequestException, jwt.PyJWTError, ValueError, KeyError) as exc:
            logger.warning("national identity sign-in failed: %s: %s", type(exc).__name__, exc)
            return self.login_failure()

    @property
    def success_url(self):
        self.request.session[SESSION_KEY] = True
        # ``next`` given to /oidc/authenticate/ was checked against our host when stored.
        return self.request.session.get("oidc_login_next") or reverse("portal:account")

    @property
    def failure_url(self):
        return reverse("accounts:login") + "?oidc=failed"


class CitizenOIDCRequestView(OIDCAuthenticationRequestView):
    """Start of the national-identity sign-in; absent (404) when no provider is configured."""

    def get(self, request):
        if not settings.OIDC_ENABLED:
            raise Http404
        return super().get(request)
