from django import forms
from django.contrib.auth import forms as auth_forms
from django.contrib.auth import password_validation
from django.utils.translation import gettext_lazy as _

from egov.forms import AccessibleFormMixin, Form

from .models import User


class LoginForm(Form):
    username = forms.CharField(
        label=_("Username or e-mail"), max_length=150,
        widget=forms.TextInput(attrs={"autocomplete": "username", "autofocus": True}),
    )
    password = forms.CharField(
        label=_("Password"), strip=False, widget=forms.PasswordInput(attrs={"autocomplete": "current-password"})
    )


class OTPForm(Form):
    otp_token = forms.CharField(
        label=_("Six-digit code from your authenticator app"), max_length=8, min_length=6,
        widget=forms.TextInput(attrs={"autocomplete": "one-time-code", "inputmode": "numeric", "autofocus": True}),
    )


class ReplaceOTPForm(OTPForm):
    """Moving to a new phone: the code of the phone in use proves the holder, then the new one's."""

    current_token = forms.CharField(
        label=_("Six-digit code from the phone you use now"), max_length=8, min_length=6,
        widget=forms.TextInput(attrs={"autocomplete": "one-time-code", "inputmode": "numeric", "autofocus": True}),
    )
    otp_token = forms.CharField(
        label=_("Six-digit code from the new phone"), max_length=8, min_length=6,
        widget=forms.TextInput(attrs={"autocomplete": "one-time-code", "inputmode": "numeric"}),
    )

    field_order = ["current_token", "otp_token"]


class RegistrationForm(Form):
    kind = forms.ChoiceField(
        label=_("I am registering as"),
        choices=[(User.Kind.CITIZEN, _("a citizen")), (User.Kind.BUSINESS, _("a business"))],
        widget=forms.RadioSelect, initial=User.Kind.CITIZEN,
    )
    full_name = forms.CharField(label=_("Full name"), max_length=150, widget=forms.TextInput(attrs={"autocomplete": "name"}))
    email = forms.EmailField(label=_("E-mail"), widget=forms.EmailInput(attrs={"autocomplete": "email"}))
    business_name = forms.CharField(label=_("Business name (businesses only)"), max_length=255, required=False)
    tax_code = forms.RegexField(
        label=_("Tax code (businesses only)"), regex=r"^\d{10}(-\d{3})?$", required=False,
        error_messages={"invalid": _("A tax code has 10 digits, or 10 digits, a dash and 3 digits.")},
    )
    password1 = forms.CharField(
        label=_("Password"), strip=False, widget=forms.PasswordInput(attrs={"autocomplete": "new-password"}),
        help_text=_("At least 10 characters, not only digits, not a common password."),
    )
    password2 = forms.CharField(
        label=_("Repeat the password"), strip=False, widget=forms.PasswordInput(attrs={"autocomplete": "new-password"})
    )

    def clean_email(self):
        email = self.cleaned_data["email"].lower()
        if User.objects.filter(email__iexact=email).exists() or User.objects.filter(username=email).exists():
            raise forms.ValidationError(_("An account with this e-mail address already exists."))
        return email

    def clean(self):
        data = super().clean()
        if data.get("kind") == User.Kind.BUSINESS and not data.get("business_name"):
            self.add_error("business_name", _("Enter the name of the business."))
        if data.get("kind") == User.Kind.BUSINESS and not data.get("tax_code"):
            self.add_error("tax_code", _("Enter the tax code of the business."))
        p1, p2 = data.get("password1"), data.get("password2")
        if p1 and p2 and p1 != p2:
            self.add_error("password2", _("The two passwords do not match."))
        if p1:
            candidate = User(username=data.get("email", ""), email=data.get("email", ""),
                             full_name=data.get("full_name", ""))
            try:
                password_validation.validate_password(p1, candidate)
            except forms.ValidationError as error:
                self.add_error("password1", error)
        return data


class PasswordChangeForm(AccessibleFormMixin, auth_forms.PasswordChangeForm):
    pass
