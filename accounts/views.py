"""Sign-in in two steps (password, then TOTP where needed), registration, account security."""

import base64
import io

import qrcode
import qrcode.image.svg
from django.conf import settings
from django.contrib import messages
from django.contrib.auth import authenticate, get_user_model, login, logout
from django.contrib.auth import views as auth_views
from django.contrib.auth.decorators import login_required
from django.http import Http404, HttpResponseRedirect
from django.shortcuts import redirect, render
from django.urls import reverse, reverse_lazy
from django.utils.encoding import force_str
from django.utils.http import url_has_allowed_host_and_scheme, urlsafe_base64_decode
from django.utils.translation import gettext as _
from django.utils.translation import ngettext
from django.views.decorators.http import require_POST
from django_otp import login as otp_login
from django_otp.plugins.otp_totp.models import TOTPDevice

from audit.services import record

from . import services, sessions
from .forms import LoginForm, OTPForm, PasswordChangeForm, RegistrationForm, ReplaceOTPForm
from .middleware import SESSION_KEY

PENDING = "egov_pending_user"
BACKEND = "accounts.backends.UsernameOrEmailBackend"


def _next_url(request) -> str:
    target = request.POST.get("next") or request.GET.get("next") or ""
    if url_has_allowed_host_and_scheme(target, allowed_hosts={request.get_host()}, require_https=request.is_secure()):
        return target
    return ""


def _landing(user) -> str:
    return reverse("workspace:home") if user.is_official or user.is_superuser else reverse("portal:account")


def _finish_login(request, user, device=None):
    next_url = request.session.get("egov_next", "")
    login(request, user, backend=BACKEND)
    if device is not None:
        otp_login(request, device)
    request.session[SESSION_KEY] = True
    return HttpResponseRedirect(next_url or _landing(user))


def login_view(request):
    form = LoginForm(request.POST or None)
    if request.method == "POST" and form.is_valid():
        user = authenticate(request, username=form.cleaned_data["username"], password=form.cleaned_data["password"])
        if getattr(request, "axes_locked_out", False):
            return render(request, "accounts/locked_out.html", status=429)
        if user is None:
            form.add_error(None, _("The username or password is wrong, or the account is not active yet."))
        else:
            request.session.cycle_key()
            request.session["egov_next"] = _next_url(request)
            if not services.needs_second_factor(user):
                return _finish_login(request, user)
            request.session[PENDING] = user.pk
            if services.confirmed_totp(user) is None:
                return redirect("accounts:totp_enroll")
            return redirect("accounts:login_otp")
    return render(request, "accounts/login.html", {"form": form, "next": _next_url(request)})


def _pending_user(request):
    user_id = request.session.get(PENDING)
    return get_user_model().objects.filter(pk=user_id, is_active=True).first() if user_id else None


def login_otp_view(request):
    user = _pending_user(request)
    device = services.confirmed_totp(user) if user else None
    if device is None:
        return redirect("accounts:login")
    form = OTPForm(request.POST or None)
    if request.method == "POST" and form.is_valid():
        if services.otp_locked(user):
            return render(request, "accounts/locked_out.html", status=429)
        if services.check_totp(user, device, form.cleaned_data["otp_token"]):
            del request.session[PENDING]
            return _finish_login(request, user, device)
        form.add_error("otp_token", _("The code is wrong or has expired. Enter the code shown now."))
    return render(request, "accounts/login_otp.html", {"form": form})


def _qr_svg(device: TOTPDevice) -> str:
    image = qrcode.make(device.config_url, image_factory=qrcode.image.svg.SvgPathImage)
    buffer = io.BytesIO()
    image.save(buffer)
    return "data:image/svg+xml;base64," + base64.b64encode(buffer.getvalue()).decode()


def _enroll(request, user, *, finish_login: bool):
    # Replacing a confirmed device (moving to a new phone) needs a code from the current one.
    replacing = services.confirmed_totp(user) is not None
    device = TOTPDevice.objects.filter(user=user, confirmed=False).first()
    if device is None or request.method == "GET":
        device = services.start_totp_enrollment(user)
    form = (ReplaceOTPForm if replacing else OTPForm)(request.POST or None)
    if request.method == "POST" and form.is_valid():
        try:
            confirmed = services.confirm_totp(user=user, device=device, token=form.cleaned_data["otp_token"],
                                              current_token=form.cleaned_data.get("current_token", ""))
        except services.CurrentDeviceCodeNeeded:
            if finish_login:
                return redirect("accounts:login_otp")
            confirmed = None
            form.add_error("current_token" if replacing else None,
                           _("The code of the phone you use now is wrong or has expired."))
        if confirmed:
            if finish_login:
                del request.session[PENDING]
                return _finish_login(request, user, device)
            otp_login(request, device)
            messages.success(request, _("Two-step sign-in is now on for your account."))
            return redirect("accounts:security")
        if confirmed is False:
            form.add_error("otp_token", _("The code is wrong or has expired. Enter the code shown now."))
    secret = base64.b32encode(device.bin_key).decode()
    context = {"form": form, "qr": _qr_svg(device), "secret": secret, "required": services.totp_required(user),
               "replacing": replacing}
    return render(request, "accounts/totp_enroll.html", context)


def totp_enroll_view(request):
    """First sign-in of a leader or administrator without a device: enrol, then sign in.

    Only for a user who has no confirmed device yet: whoever holds just the password of a user
    with a device is sent to the code step, never handed a new secret."""
    user = _pending_user(request)
    if user is None:
        return redirect("accounts:login")
    if services.confirmed_totp(user) is not None:
        return redirect("accounts:login_otp")
    return _enroll(request, user, finish_login=True)


@login_required
def security_view(request):
    context = {
        "totp": services.confirmed_totp(request.user),
        "required": services.totp_required(request.user),
    }
    return render(request, "accounts/security.html", context)


@login_required
def sessions_view(request):
    """Where I am signed in; end one session, or all but this one."""
    if request.method == "POST":
        if request.POST.get("end") == "others":
            count = sessions.end_others(user=request.user, request=request)
            messages.success(request, ngettext("%(n)d other session was signed out.",
                                               "%(n)d other sessions were signed out.", count) % {"n": count})
        else:
            try:
                session_id = int(request.POST.get("end", ""))
            except ValueError as error:
                raise Http404 from error
            sessions.end(user=request.user, session_id=session_id, request=request)
            messages.success(request, _("The session was signed out."))
        return redirect("accounts:sessions")
    return render(request, "accounts/sessions.html", {
        "sessions": sessions.active(request.user), "current": request.session.session_key,
        "limit_hours": int(sessions.absolute_limit(request.user).total_seconds() // 3600),
        "idle_minutes": settings.SESSION_COOKIE_AGE // 60})


@login_required
def totp_setup_view(request):
    return _enroll(request, request.user, finish_login=False)


@login_required
@require_POST
def totp_disable_view(request):
    try:
        services.disable_totp(user=request.user)
        messages.success(request, _("Two-step sign-in is now off for your account."))
    except PermissionError:
        messages.error(request, _("Your role requires two-step sign-in; it cannot be turned off."))
    return redirect("accounts:security")


@require_POST
def logout_view(request):
    logout(request)
    return redirect("portal:home")


def register_view(request):
    form = RegistrationForm(request.POST or None)
    if request.method == "POST" and form.is_valid():
        data = form.cleaned_data
        services.register_portal_user(
            email=data["email"], password=data["password1"], full_name=data["full_name"], kind=data["kind"],
            business_name=data["business_name"], tax_code=data["tax_code"],
            base_url=services.public_base_url(request),
        )
        return render(request, "accounts/register_done.html", {"email": data["email"]})
    return render(request, "accounts/register.html", {"form": form})


def verify_email_view(request, uidb64: str, token: str):
    try:
        user = get_user_model().objects.get(pk=force_str(urlsafe_base64_decode(uidb64)))
    except (ValueError, TypeError, OverflowError, get_user_model().DoesNotExist):
        user = None
    ok = user is not None and services.verify_email(user=user, token=token)
    return render(request, "accounts/verify_done.html", {"ok": ok}, status=200 if ok else 400)


class PasswordChangeView(auth_views.PasswordChangeView):
    template_name = "accounts/password_change.html"
    form_class = PasswordChangeForm
    success_url = reverse_lazy("accounts:security")

    def form_valid(self, form):
        response = super().form_valid(form)
        record(action="security", obj=self.request.user, summary={"password": "changed"})
        messages.success(self.request, _("Your password has been changed."))
        return response
