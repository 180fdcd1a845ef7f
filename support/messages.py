"""What the person who asked is told when their request is answered (Vietnamese by default); it is
sent by notifications.replies."""

from __future__ import annotations

from django.conf import settings
from django.urls import reverse
from django.utils import translation
from django.utils.translation import gettext as _

from notifications.replies import Reply

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


def answered(request: SupportRequest) -> Reply:
    with translation.override(settings.LANGUAGE_CODE):
        text = _("Your support request #%(id)s has been answered: %(link)s") % {"id": request.pk,
                                                                                "link": link(request)}
    return Reply(title=answered_title(request), body=answered_body(request), sms_text=text,
                 key=f"support-answer:{request.pk}", user_id=request.requester_id, email=request.email,
                 phone=request.phone)
