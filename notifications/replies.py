"""Telling a person that what they sent (a support request, feedback) has been answered: in the app
when they have an account, otherwise by e-mail, or by SMS when they left only a phone number. The
caller marks that it was told (its own ``told_at``) after this returns, so a retried task sends
again only what failed. Logs name ids only, never an address or the text."""

from __future__ import annotations

from dataclasses import dataclass

from django.core.mail import EmailMessage

from . import sms
from .models import Notification


@dataclass(frozen=True)
class Reply:
    title: str
    body: str  # the in-app notice and the e-mail
    sms_text: str
    key: str  # the in-app notice is made once per key
    user_id: int | None = None
    email: str = ""
    phone: str = ""


def tell(reply: Reply) -> str:
    """Send ``reply`` the one way that reaches the person; which way ("app", "email", "sms" or "")."""
    if reply.user_id is not None:
        Notification.objects.bulk_create([Notification(user_id=reply.user_id, title=reply.title[:200],
                                                        body=reply.body, key=reply.key)], ignore_conflicts=True)
        return "app"
    if reply.email:
        EmailMessage(subject=reply.title, body=reply.body, to=[reply.email],
                     headers={"Auto-Submitted": "auto-generated"}).send()
        return "email"
    if reply.phone:
        sms.send(reply.phone, reply.sms_text)
        return "sms"
    return ""
