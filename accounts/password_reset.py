"""Quên mật khẩu: a new password through a link sent by e-mail (Django's password reset views).

The answer never says whether an address has an account: every request ends on the same page,
and the mail goes out after the response (egov.tasks.enqueue). A reset changes the password
only: it signs nobody in, so an official who must use a second factor still gives the code
at the next sign-in (accounts.views.login_view). Accounts without a usable password (signed in
through the national identity) receive nothing, as in Django's form.
"""

from __future__ import annotations

from typing import Any

from django.contrib import messages
from django.contrib.auth import forms as auth_forms
from django.contrib.auth import views as auth_views
from django.http import HttpRequest
from django.urls import reverse_lazy
from django.utils.translation import gettext as _

from audit.services import record
from egov import limits
from egov.forms import AccessibleFormMixin
from egov.tasks import enqueue

from . import services
from .tasks import send_password_reset_email

MAILS_PER_ADDRESS = 3  # reset mails to one address per hour; more requests are answered the same, silently
WINDOW_SECONDS = 60 * 60


class PasswordResetForm(AccessibleFormMixin, auth_forms.PasswordResetForm):
    def save(self, *args: Any, request: HttpRequest | None = None, **kwargs: Any) -> None:  # type: ignore[override]
        """Queue the reset mail (the view passes ``request``); Django's own arguments are not used."""
        email = self.cleaned_data["email"]
        if limits.tally(f"password-reset:{email.lower()}", WINDOW_SECONDS) > MAILS_PER_ADDRESS:
            return
        base_url = services.public_base_url(request)
        for user in self.get_users(email):
            link = services.token_link(user, base_url, "accounts:password_reset_confirm")
            enqueue(send_password_reset_email, user.pk, link)


class SetPasswordForm(AccessibleFormMixin, auth_forms.SetPasswordForm):
    pass


class PasswordResetView(auth_views.PasswordResetView):
    template_name = "accounts/password_reset_form.html"
    form_class = PasswordResetForm
    success_url = reverse_lazy("accounts:password_reset_done")

    def form_valid(self, form):
        form.save(request=self.request)
        return super(auth_views.PasswordResetView, self).form_valid(form)  # the redirect only


class PasswordResetDoneView(auth_views.PasswordResetDoneView):
    template_name = "accounts/password_reset_done.html"


class PasswordResetConfirmView(auth_views.PasswordResetConfirmView):
    template_name = "accounts/password_reset_confirm.html"
    form_class = SetPasswordForm
    success_url = reverse_lazy("accounts:login")
    post_reset_login = False  # never: a leader's second factor is asked at sign-in

    def form_valid(self, form):
        response = super().form_valid(form)
        record(action="security", obj=form.user, summary={"password": "reset"})
        messages.success(self.request, _("Your password has been changed. Sign in with the new password."))
        return response
