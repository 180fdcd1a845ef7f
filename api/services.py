"""Making, using and revoking API tokens: the one door, used by the admin, the api_token command,
the token page and the bearer check."""

import datetime as dt
import hashlib
import secrets

from django.conf import settings
from django.core.exceptions import ValidationError
from django.db import transaction
from django.utils import timezone
from django.utils.translation import gettext as _

from accounts.models import User

from .models import ApiToken

# Writing last_used_at on every request would be a write per call; once a minute is enough.
LAST_USED_RESOLUTION = dt.timedelta(minutes=1)


def hash_token(raw: str) -> str:
    return hashlib.sha256(raw.encode()).hexdigest()


def official_token_days() -> int:
    return int(getattr(settings, "API_OFFICIAL_TOKEN_DAYS", 30))


def check_new_token(*, user: User | None, name: str, expires_at: dt.datetime | None,
                    second_factor: bool = False) -> None:
    """Refuse a token that may not be made, naming the field at fault.

    Citizens and businesses may hold tokens (made for them, or by them). An official makes their
    own, only from a session that passed the second factor (``second_factor``), with an expiry at
    most ``API_OFFICIAL_TOKEN_DAYS`` away; it reads and never writes (:func:`may_use`), so a
    leaked token cannot act in the official's name (ADR 0029)."""
    errors = {}
    now = timezone.now()
    if user is not None and not user.is_active:
        errors["user"] = _("This account is not active.")
    elif user is not None and user.is_official:
        if not second_factor:
            errors["user"] = _("An official makes their own token, after signing in with the one-time code.")
        elif expires_at is None or expires_at > now + dt.timedelta(days=official_token_days()):
            errors["expires_at"] = _("An official's token expires within %(days)d days.") % {
                "days": official_token_days()}
    elif user is not None and user.kind not in (User.Kind.CITIZEN, User.Kind.BUSINESS):
        errors["user"] = _("API tokens are only for citizens, businesses and officials.")
    if not (name or "").strip():
        errors["name"] = _("Give the token a name.")
    if expires_at is not None and expires_at <= now:
        errors["expires_at"] = _("The expiry date must be in the future.")
    if errors:
        raise ValidationError(errors)


SAFE_METHODS = frozenset({"GET", "HEAD", "OPTIONS"})


def may_use(token: ApiToken, method: str) -> bool:
    """An official's token reads only: writing needs the official's own signed-in session."""
    return method.upper() in SAFE_METHODS or not token.user.is_official


@transaction.atomic
def create_token(*, user: User, name: str, expires_at: dt.datetime | None = None,
                 created_by: User | None = None, second_factor: bool = False) -> tuple[ApiToken, str]:
    """Return (token row, the token itself). The token is not kept anywhere: show it once."""
    check_new_token(user=user, name=name, expires_at=expires_at, second_factor=second_factor)
    # A recognisable start ("egov_") that is never mistaken for a command-line option, then
    # 256 random bits.
    raw = f"egov_{secrets.token_urlsafe(32)}"
    token = ApiToken.objects.create(user=user, name=name.strip()[:100], prefix=raw[:12], token_hash=hash_token(raw),
                                    expires_at=expires_at, created_by=created_by)
    return token, raw


@transaction.atomic
def revoke_token(*, token: ApiToken) -> ApiToken:
    token = ApiToken.objects.select_for_update().get(pk=token.pk)
    if token.revoked_at is None:
        token.revoked_at = timezone.now()
        token.save(update_fields=["revoked_at"])
    return token


def authenticate(raw: str) -> ApiToken | None:
    """The usable token for ``raw``, or None (unknown, revoked, expired, or its user inactive)."""
    if not raw or len(raw) > 200:
        return None
    token = ApiToken.objects.select_related("user").filter(token_hash=hash_token(raw)).first()
    now = timezone.now()
    if token is None or not token.is_usable(now) or not token.user.is_active:
        return None
    if token.last_used_at is None or now - token.last_used_at > LAST_USED_RESOLUTION:
        # A queryset update: not a change worth an audit entry on every call.
        ApiToken.objects.filter(pk=token.pk).update(last_used_at=now)
        token.last_used_at = now
    return token
