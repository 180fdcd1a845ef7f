"""What the person who asked is told when their request is answered (Vietnamese by default), and
the sending by e-mail and SMS. Logs name ids only, never an address or the text."""

from __future__ import annotations

from django.conf import settings
from django.core.mail import EmailMessage
from django.urls import reverse
from django.utils import translation
from django.utils.translation import gettext as _

from notifications import sms

from .models import SupportRequest


def link(request: SupportRequest) -> str:
    return f"{settings.EGOV_PUBLIC_URL}{reverse('support:request', args=[request.token])}"


def answered_title(request: SupportRequest) -> str:
    with translation.override(settings.LANGUAGE_CODE):
        return _("Your support request #%(id)s has been answered") % {"id": request.pk}


def answered_body(request: SupportRequest) -> str:
    with translation.override(settings.LANGUAGE_CODE):
        return _("Answer: %(answer)s\n\nRead it and rate it: %(link)s") % {"answer": request.answer,
                                                                             "link": link(request)}


def email_answer(request: SupportRequest) -> None:
    EmailMessage(subject=answered_title(request), body=answered_body(request), to=[request.email],
                 headers={"Auto-Submitted": "auto-generated"}).send()


def sms_answer(request: SupportRequest) -> None:
    with translation.override(settings.LANGUAGE_CODE):
        text = _("Your support request #%(id)s has been answered: %(link)s") % {"id": request.pk,
                                                                                "link": link(request)}
    sms.send(request.phone, text)
