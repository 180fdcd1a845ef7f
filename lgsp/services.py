"""The doors that change client systems: each asks ``lgsp.policy``, validates and writes in one
transaction; the audit trail follows the ``Client`` row (``audit.registry``). A secret is returned
once, to be shown once: only its hash is kept."""

from __future__ import annotations

from django.core.exceptions import PermissionDenied, ValidationError
from django.db import transaction
from django.utils import timezone
from django.utils.translation import gettext as _
from oauth2_provider.generators import generate_client_id, generate_client_secret
from oauth2_provider.models import AccessToken, Application, RefreshToken

from directory.models import Agency, Membership

from . import policy
from .models import Client, ClientStatus
from .scopes import ACCOUNT_SCOPES

EDITABLE = ("name", "scopes", "per_minute", "per_day", "allowed_ips", "acting_user")


def _check(client: Client) -> None:
    client.full_clean(exclude=["application"])
    if set(client.scopes) & ACCOUNT_SCOPES and client.acting_user is None:
        raise ValidationError({"acting_user": _("The /api/v1 scopes read as an account: choose the account.")})
    if client.acting_user is not None and not (
            client.acting_user.is_active and Membership.objects.valid_on().filter(
                official=client.acting_user, agency_id=client.agency_id).exists()):
        # Never another agency's account: a client reads no more than its own agency's people may.
        raise ValidationError({"acting_user": _("The account must be an active official of the owning agency.")})


def _revoke_tokens(client: Client) -> None:
    RefreshToken.objects.filter(application_id=client.application_id).delete()
    AccessToken.objects.filter(application_id=client.application_id).delete()


@transaction.atomic
def create_client(*, user, agency: Agency, name: str, scopes: list[str], per_minute: int = 60,
                  per_day: int = 10_000, allowed_ips: str = "", acting_user=None,
                  sandbox: bool = False) -> tuple[Client, str]:
    """Return (client, its secret)."""
    if user is not None and not policy.may_create(user, agency):
        raise PermissionDenied(_("You do not manage this agency's client systems."))
    secret = generate_client_secret()
    application = Application(name=name[:255], client_id=generate_client_id(), client_secret=secret,
                              client_type=Application.CLIENT_CONFIDENTIAL,
                              authorization_grant_type=Application.GRANT_CLIENT_CREDENTIALS, user=None)
    client = Client(agency=agency, name=name.strip(), scopes=sorted(set(scopes)), per_minute=per_minute,
                    per_day=per_day, allowed_ips=allowed_ips.strip(), acting_user=acting_user, sandbox=sandbox,
                    created_by=user)
    _check(client)
    application.save()
    client.application = application
    client.save()
    return client, secret


def _locked(client: Client, user, action: str) -> Client:
    locked = Client.objects.select_for_update().select_related("application").get(pk=client.pk)
    policy.require(policy.decide(user, locked, action))
    return locked


@transaction.atomic
def update_client(*, user, client: Client, **fields) -> Client:
    client = _locked(client, user, "edit")
    for name, value in fields.items():
        if name in EDITABLE:
            setattr(client, name, sorted(set(value)) if name == "scopes" else value)
    _check(client)
    client.save()
    # A scope taken away is taken away from the tokens already issued too.
    _revoke_tokens(client)
    return client


@transaction.atomic
def rotate_secret(*, user, client: Client) -> tuple[Client, str]:
    """A new secret; the old one stops at once, and so do the tokens issued with it."""
    client = _locked(client, user, "rotate")
    secret = generate_client_secret()
    application = client.application
    application.client_secret = secret
    application.save(update_fields=["client_secret"])
    _revoke_tokens(client)
    client.secret_rotated_at = timezone.now()
    client.save(update_fields=["secret_rotated_at"])
    return client, secret


def _set_status(client: Client, status: str) -> Client:
    client.status = status
    client.status_changed_at = timezone.now()
    client.save(update_fields=["status", "status_changed_at"])
    return client


@transaction.atomic
def suspend(*, user, client: Client) -> Client:
    """Tạm dừng: its tokens are revoked at once and it gets no new one until resumed."""
    client = _locked(client, user, "suspend")
    _revoke_tokens(client)
    return _set_status(client, ClientStatus.SUSPENDED)


@transaction.atomic
def resume(*, user, client: Client) -> Client:
    client = _locked(client, user, "resume")
    return _set_status(client, ClientStatus.ACTIVE)


@transaction.atomic
def revoke(*, user, client: Client) -> Client:
    """Thu hồi: for good. The row stays for the call log."""
    client = _locked(client, user, "revoke")
    _revoke_tokens(client)
    return _set_status(client, ClientStatus.REVOKED)
