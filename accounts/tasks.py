from celery import shared_task
from django.core.mail import send_mail
from django.template.loader import render_to_string
from django.utils import translation

from .models import User


def _send(user: User, template: str, context: dict) -> None:
    """One e-mail to ``user`` in Vietnamese, from accounts/email/<template>_subject.txt and _body.txt."""
    with translation.override("vi"):
        context = {"user": user, **context}
        send_mail(
            subject=render_to_string(f"accounts/email/{template}_subject.txt", context).strip(),
            message=render_to_string(f"accounts/email/{template}_body.txt", context),
            from_email=None,
            recipient_list=[user.email],
        )


@shared_task(name="accounts.send_verification_email", autoretry_for=(OSError,), retry_backoff=True, max_retries=8)
def send_verification_email(user_id: int, link: str) -> None:
    user = User.objects.get(pk=user_id)
    _send(user, "verify", {"link": link})


@shared_task(name="accounts.send_invitation_email", autoretry_for=(OSError,), retry_backoff=True, max_retries=8)
def send_invitation_email(user_id: int, organisation_id: int, link: str) -> None:
    """The invitation to act for an organisation, with the link to set a password (accounts.organisations)."""
    from .models import Organisation

    user = User.objects.get(pk=user_id)
    organisation = Organisation.objects.filter(pk=organisation_id).first()
    if organisation is None:
        return
    _send(user, "invitation", {"organisation": organisation, "link": link})


@shared_task(name="accounts.send_password_reset_email", autoretry_for=(OSError,), retry_backoff=True, max_retries=8)
def send_password_reset_email(user_id: int, link: str) -> None:
    """The link to choose a new password (accounts.password_reset); it stops working once used."""
    user = User.objects.filter(pk=user_id, is_active=True).first()
    if user is None or not user.email:
        return
    _send(user, "password_reset", {"link": link})
