"""Every sign-in, failed sign-in, sign-out and lock-out goes to the audit trail."""

from axes.signals import user_locked_out
from django.contrib.auth.signals import user_logged_in, user_logged_out, user_login_failed
from django.dispatch import receiver

from audit.context import actor_for
from audit.middleware import client_ip
from audit.services import record
from egov.logging import redact

from . import sessions


def _ip(request):
    return client_ip(request) if request is not None else None


@receiver(user_logged_in)
def _logged_in(sender, request, user, **kwargs):
    record(action="login", obj=user, actor=actor_for(user, _ip(request)))
    if request is not None and hasattr(request, "session"):
        sessions.started(request, user)


@receiver(user_logged_out)
def _logged_out(sender, request, user, **kwargs):
    if user is not None:
        record(action="logout", obj=user, actor=actor_for(user, _ip(request)))
    if request is not None:
        sessions.ended(request)


@receiver(user_login_failed)
def _login_failed(sender, credentials, request=None, **kwargs):
    # What was typed as a username may be an ID number or a phone: keep it redacted.
    username = redact(str(credentials.get("username", "")))[:150]
    record(
        action="login_failed", object_type="accounts.user", summary={"username": username},
        actor=actor_for(None, _ip(request)),
    )


@receiver(user_locked_out)
def _locked_out(sender, request=None, username=None, ip_address=None, **kwargs):
    record(
        action="locked_out", object_type="accounts.user", summary={"username": redact(str(username or ""))[:150]},
        actor=actor_for(None, ip_address),
    )
