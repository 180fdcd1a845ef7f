"""The portal's pages for organisations: register one, see its staff, add and remove staff (its
administrators), accept an invitation. Every change goes through ``accounts.organisations``."""

from django import forms
from django.contrib import messages
from django.contrib.auth import get_user_model, password_validation
from django.contrib.auth.decorators import login_required
from django.core.exceptions import PermissionDenied, ValidationError
from django.http import Http404, HttpRequest, HttpResponse
from django.shortcuts import get_object_or_404, redirect, render
from django.utils.encoding import force_str
from django.utils.http import urlsafe_base64_decode
from django.utils.translation import gettext as _
from django.utils.translation import gettext_lazy
from django.views.decorators.http import require_POST

from egov.forms import Form

from . import organisations, services
from .models import Organisation, OrganisationMember, User


class OrganisationForm(Form):
    name = forms.CharField(label=gettext_lazy("Name of the organisation"), max_length=255)
    tax_code = forms.CharField(label=gettext_lazy("Tax code"), max_length=14,
                               help_text=gettext_lazy("10 digits, or 10 digits, a dash and 3 digits"))
    address = forms.CharField(label=gettext_lazy("Address"), max_length=255, required=False)


class MemberForm(Form):
    email = forms.EmailField(label=gettext_lazy("E-mail of the staff member"),
                             help_text=gettext_lazy("An account with this address joins at once; otherwise "
                                                    "an invitation is sent to it."),
                             widget=forms.EmailInput(attrs={"autocomplete": "off"}))
    role = forms.ChoiceField(label=gettext_lazy("Role"), choices=OrganisationMember.Role.choices,
                             initial=OrganisationMember.Role.STAFF)


class InvitationForm(Form):
    full_name = forms.CharField(label=gettext_lazy("Full name"), max_length=150,
                                widget=forms.TextInput(attrs={"autocomplete": "name"}))
    password1 = forms.CharField(label=gettext_lazy("Password"), strip=False,
                                widget=forms.PasswordInput(attrs={"autocomplete": "new-password"}),
                                help_text=gettext_lazy("At least 10 characters, not only digits, not a common "
                                                       "password."))
    password2 = forms.CharField(label=gettext_lazy("Repeat the password"), strip=False,
                                widget=forms.PasswordInput(attrs={"autocomplete": "new-password"}))

    def __init__(self, *args, user=None, **kwargs):
        super().__init__(*args, **kwargs)
        self.user = user

    def clean(self):
        data = super().clean()
        first, second = data.get("password1"), data.get("password2")
        if first and second and first != second:
            self.add_error("password2", _("The two passwords do not match."))
        if first:
            try:
                password_validation.validate_password(first, self.user)
            except ValidationError as error:
                self.add_error("password1", error)
        return data


def _errors_to_form(form: Form, error: ValidationError) -> None:
    if hasattr(error, "error_dict"):
        for field, problems in error.message_dict.items():
            form.add_error(field if field in form.fields else None, problems)
    else:
        form.add_error(None, error.messages)


@login_required
def organisations_view(request: HttpRequest) -> HttpResponse:
    """The organisations the user acts for; a business account registers a new one here."""
    may_create = getattr(request.user, "kind", None) == User.Kind.BUSINESS
    form = OrganisationForm(request.POST or None) if may_create else None
    if request.method == "POST":
        if form is None:
            raise PermissionDenied
        if form.is_valid():
            try:
                organisation = organisations.create_organisation(acting_user=request.user, **form.cleaned_data)
            except ValidationError as error:
                _errors_to_form(form, error)
            else:
                messages.success(request, _("The organisation has been registered; you are its administrator."))
                return redirect("accounts:organisation", pk=organisation.pk)
    context = {"memberships": organisations.active_memberships(request.user).order_by("organisation__name"),
               "form": form}
    return render(request, "accounts/organisations.html", context)


def _organisation_of(request: HttpRequest, pk: int) -> Organisation:
    organisation = get_object_or_404(Organisation, pk=pk)
    if not organisations.is_active_member(request.user, organisation.pk):
        raise Http404  # another organisation's staff is nobody else's business
    return organisation


@login_required
def organisation_view(request: HttpRequest, pk: int) -> HttpResponse:
    organisation = _organisation_of(request, pk)
    admin = organisations.is_admin(request.user, organisation)
    context = {"organisation": organisation, "members": organisations.members_of(organisation),
               "admin": admin, "form": MemberForm() if admin else None}
    return render(request, "accounts/organisation.html", context)


@login_required
@require_POST
def add_member_view(request: HttpRequest, pk: int) -> HttpResponse:
    organisation = _organisation_of(request, pk)
    form = MemberForm(request.POST)
    if form.is_valid():
        try:
            member, invited = organisations.add_member(
                organisation=organisation, acting_user=request.user, email=form.cleaned_data["email"],
                role=form.cleaned_data["role"], base_url=services.public_base_url(request))
        except PermissionDenied:
            raise Http404 from None
        except ValidationError as error:
            _errors_to_form(form, error)
        else:
            messages.success(request, _("An invitation has been sent to %(email)s.") % {"email": member.user.email}
                             if invited else _("%(name)s has been added to the staff.") % {"name": member.user})
            return redirect("accounts:organisation", pk=organisation.pk)
    context = {"organisation": organisation, "members": organisations.members_of(organisation), "admin": True,
               "form": form}
    return render(request, "accounts/organisation.html", context, status=400)


@login_required
@require_POST
def remove_member_view(request: HttpRequest, pk: int, member_pk: int) -> HttpResponse:
    organisation = _organisation_of(request, pk)
    member = get_object_or_404(OrganisationMember, pk=member_pk, organisation=organisation, active=True)
    try:
        organisations.remove_member(organisation=organisation, acting_user=request.user, member=member)
    except PermissionDenied:
        raise Http404 from None
    except ValidationError as error:
        messages.error(request, " ".join(error.messages))
    else:
        messages.success(request, _("%(name)s no longer acts for the organisation.") % {"name": member.user})
    return redirect("accounts:organisation", pk=organisation.pk)


def invitation_view(request: HttpRequest, uidb64: str, token: str) -> HttpResponse:
    """The holder of an invited address sets their name and password."""
    model = get_user_model()
    try:
        user = model.objects.get(pk=force_str(urlsafe_base64_decode(uidb64)))
    except (ValueError, TypeError, OverflowError, model.DoesNotExist):
        user = None
    form = InvitationForm(request.POST or None, user=user)
    if request.method == "POST" and user is not None and form.is_valid():
        if organisations.accept_invitation(user=user, token=token, full_name=form.cleaned_data["full_name"],
                                           password=form.cleaned_data["password1"]):
            messages.success(request, _("Your account is ready: sign in with your e-mail and password."))
            return redirect("accounts:login")
        user = None
    from django.contrib.auth.tokens import default_token_generator

    valid = (user is not None and not user.is_active and not user.has_usable_password()
             and default_token_generator.check_token(user, token))
    return render(request, "accounts/invitation.html", {"form": form, "valid": valid}, status=200 if valid else 400)
