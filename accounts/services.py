"""Account changes: registration, e-mail verification, second factor."""

from django.conf import settings
from django.contrib.auth.tokens import default_token_generator
from django.core.cache import cache
from django.db import transaction
from django.urls import reverse
from django.utils.encoding import force_bytes
from django.utils.http import urlsafe_base64_encode
from django_otp.plugins.otp_totp.models import TOTPDevice

from audit.services import record
from directory.models import ROLES_REQUIRING_TOTP
from directory.scope import roles_of
from egov import limits
from egov.tasks import enqueue

from .models import PortalProfile, User
from .tasks import send_verification_email

OTP_FAILURE_LIMIT = 5
OTP_LOCK_SECONDS = 15 * 60


def totp_required(user: User) -> bool:
    """Leaders, clerks (they apply the seal signature), administrators and auditors must use a second
    factor; others may."""
    return user.is_superuser or bool(roles_of(user) & ROLES_REQUIRING_TOTP)


def confirmed_totp(user: User) -> TOTPDevice | None:
    return TOTPDevice.objects.filter(user=user, confirmed=True).first()


def needs_second_factor(user: User) -> bool:
    return confirmed_totp(user) is not None or totp_required(user)


@transaction.atomic
def register_portal_user(
    *, email: str, password: str, full_name: str, kind: str, business_name: str = "", tax_code: str = "",
    base_url: str,
) -> User:
    user = User(username=email.lower(), email=email.lower(), full_name=full_name, kind=kind, is_active=False)
    user.set_password(password)
    user.full_clean(exclude=["password"])
    user.save()
    PortalProfile.objects.create(user=user, business_name=business_name, tax_code=tax_code)
    enqueue(send_verification_email, user.pk, verification_link(user, base_url))
    return user


def token_link(user: User, base_url: str, route: str) -> str:
    """An absolute link to ``route`` carrying the user's id and a one-time token (e-mail verification,
    invitation, password reset): the token stops working once the account changes."""
    uid = urlsafe_base64_encode(force_bytes(user.pk))
    token = default_token_generator.make_token(user)
    return base_url.rstrip("/") + reverse(route, args=[uid, token])


def verification_link(user: User, base_url: str) -> str:
    return token_link(user, base_url, "accounts:verify_email")


@transaction.atomic
def verify_email(*, user: User, token: str) -> bool:
    if user.email_verified or not default_token_generator.check_token(user, token):
        return False
    user.is_active = True
    user.email_verified = True
    user.save(update_fields=["is_active", "email_verified"])
    return True


class CurrentDeviceCodeNeeded(Exception):
    """The user already has a confirmed authenticator: replacing it needs a code from it."""


def start_totp_enrollment(user: User) -> TOTPDevice:
    """A fresh, unconfirmed device; it counts only once the user proves they can read it."""
    TOTPDevice.objects.filter(user=user, confirmed=False).delete()
    return TOTPDevice.objects.create(user=user, name="Authenticator", confirmed=False)


def _otp_failures_key(user: User) -> str:
    return f"otp-failures:{user.pk}"


def otp_locked(user: User) -> bool:
    return cache.get(_otp_failures_key(user), 0) >= OTP_FAILURE_LIMIT


def check_totp(user: User, device: TOTPDevice, token: str) -> bool:
    """Verify a code, counting failures: five wrong codes lock the second step for 15 minutes."""
    if otp_locked(user):
        return False
    if device.verify_token((token or "").strip().replace(" ", "")):
        cache.delete(_otp_failures_key(user))
        return True
    failures = limits.tally(_otp_failures_key(user), OTP_LOCK_SECONDS)
    record(action="login_failed", obj=user, summary={"step": "totp", "failures": failures})
    return False


def confirm_totp(*, user: User, device: TOTPDevice, token: str, current_token: str = "") -> bool:
    """Confirm the new ``device`` with its code. If the user already has a confirmed device, the
    new one replaces it only with a valid code from the current one (``current_token``): whoever
    holds just the password, or a session left open, must not be able to swap the second factor.

    Raises :class:`CurrentDeviceCodeNeeded` when that code is missing or wrong. The codes are
    checked outside the transaction so that failures stay counted and audited."""
    current = confirmed_totp(user)
    if current is not None and current.pk != device.pk:
        if not current_token or not check_totp(user, current, current_token):
            raise CurrentDeviceCodeNeeded
    if not check_totp(user, device, token):
        return False
    _switch_to(user=user, device=device)
    return True


@transaction.atomic
def _switch_to(*, user: User, device: TOTPDevice) -> None:
    TOTPDevice.objects.filter(user=user, confirmed=True).exclude(pk=device.pk).delete()
    device.confirmed = True
    device.save(update_fields=["confirmed"])
    record(action="security", obj=user, summary={"totp": "enabled"})


@transaction.atomic
def disable_totp(*, user: User) -> None:
    if totp_required(user):
        raise PermissionError("second factor is mandatory for this role")
    TOTPDevice.objects.filter(user=user).delete()
    record(action="security", obj=user, summary={"totp": "disabled"})


def public_base_url(request=None) -> str:
    """The base of links sent by e-mail: EGOV_PUBLIC_URL (decision 0021), never the request's Host
    header (which a client chooses); ``request`` is accepted for the callers that pass it."""
    return settings.EGOV_PUBLIC_URL + "/"
