"""Making and revoking API tokens: the one door, used by the admin and the api_token command."""

import datetime as dt
import hashlib
import secrets

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


def check_new_token(*, user: User | None, name: str, expires_at: dt.datetime | None) -> None:
    """Refuse a token that may not be made, naming the field at fault."""
    errors = {}
    if user is not None and user.kind not in (User.Kind.CITIZEN, User.Kind.BUSINESS):
        # Officials sign in with a second factor; a bearer token would go around it.
        errors["user"] = _("API tokens are only for citizen and business accounts.")
    elif user is not None and not user.is_active:
        errors["user"] = _("This account is not active.")
    if not (name or "").strip():
        errors["name"] = _("Give the token a name.")
    if expires_at is not None and expires_at <= timezone.now():
        errors["expires_at"] = _("The expiry date must be in the future.")
    if errors:
        raise ValidationError(errors)


@transaction.atomic
def create_token(*, user: User, name: str, expires_at: dt.datetime | None = None,
                 created_by: User | None = None) -> tuple[ApiToken, str]:
    """Return (token row, the token itself). The token is not kept anywhere: show it once."""
    check_new_token(user=user, name=name, expires_at=expires_at)
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
    if token is None or not token.is_usable(now) or not token.user.is_active or token.user.is_official:
        return None
    if token.last_used_at is None or now - token.last_used_at > LAST_USED_RESOLUTION:
        # A queryset update: not a change worth an audit entry on every call.
        ApiToken.objects.filter(pk=token.pk).update(last_used_at=now)
        token.last_used_at = now
    return token
