"""Citizen sign-in through an OpenID Connect provider (the national identity platform).

A citizen is matched by the provider's stable subject identifier (``sub``), never by e-mail,
which people change and providers do not always verify.
"""

from django.db import transaction
from django.urls import reverse
from mozilla_django_oidc.auth import OIDCAuthenticationBackend
from mozilla_django_oidc.views import OIDCAuthenticationCallbackView

from .middleware import SESSION_KEY
from .models import PortalProfile, User


class CitizenOIDCBackend(OIDCAuthenticationBackend):
    def verify_claims(self, claims) -> bool:
        return bool(claims.get("sub"))

    def filter_users_by_claims(self, claims):
        return User.objects.filter(profile__oidc_subject=claims.get("sub"), is_active=True)

    @transaction.atomic
    def create_user(self, claims):
        subject = claims["sub"]
        email = (claims.get("email") or "").lower()
        if email and User.objects.filter(email__iexact=email).exists():
            email = ""  # an existing local account keeps its address; link by subject only
        user = User(
            username=f"oidc-{subject}"[:150], email=email, kind=User.Kind.CITIZEN,
            full_name=claims.get("name", "")[:150], email_verified=bool(email and claims.get("email_verified")),
        )
        user.set_unusable_password()
        user.save()
        PortalProfile.objects.create(user=user, oidc_subject=subject)
        return user

    def update_user(self, user, claims):
        name = claims.get("name", "")[:150]
        if name and name != user.full_name:
            user.full_name = name
            user.save(update_fields=["full_name"])
        return user


class CitizenOIDCCallbackView(OIDCAuthenticationCallbackView):
    @property
    def success_url(self):
        self.request.session[SESSION_KEY] = True
        return self.get_settings("LOGIN_REDIRECT_URL_OIDC", reverse("portal:account"))

    @property
    def failure_url(self):
        return reverse("accounts:login") + "?oidc=failed"
