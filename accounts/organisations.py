"""Organisations applying through several staff accounts (tổ chức, doanh nghiệp nộp hồ sơ): one door for
each change (create, add or invite a member, remove one, accept an invitation) and the reads that say
who acts for an organisation. Every change is audited (the models are ``@audited``).

A business account creates the organisation and administers it; its administrators add staff by
e-mail: an existing portal account joins at once, an unknown address gets an account waiting for
its holder, who sets a password through the invitation link. Every active member sees and acts on
the organisation's dossiers (``dossiers.selectors.acts_for_applicant``); a removed member loses
that at once (the row stays, inactive, for the record). Decision 0018.
"""

from __future__ import annotations

from django.contrib.auth.tokens import default_token_generator
from django.core.exceptions import PermissionDenied, ValidationError
from django.core.validators import RegexValidator
from django.db import transaction
from django.db.models import QuerySet
from django.utils.translation import gettext as _
from django.utils.translation import gettext_lazy

from egov.tasks import enqueue

from . import services
from .models import Organisation, OrganisationMember, PortalProfile, User

Role = OrganisationMember.Role

TAX_CODE = RegexValidator(r"^\d{10}(-\d{3})?$", gettext_lazy(
    "A tax code has 10 digits, or 10 digits, a dash and 3 digits."))


# --- reads ------------------------------------------------------------------------------------------

def active_memberships(user) -> QuerySet[OrganisationMember]:
    if user is None or not user.is_authenticated or not user.is_active:
        return OrganisationMember.objects.none()
    return OrganisationMember.objects.filter(user=user, active=True).select_related("organisation")


def organisation_ids_of(user) -> QuerySet:
    """The organisations ``user`` acts for now (a subquery: no row read here)."""
    return active_memberships(user).values("organisation_id")


def organisations_of(user) -> QuerySet[Organisation]:
    return Organisation.objects.filter(pk__in=organisation_ids_of(user)).order_by("name")


def is_active_member(user, organisation_id: int | None) -> bool:
    return organisation_id is not None and active_memberships(user).filter(organisation_id=organisation_id).exists()


def is_admin(user, organisation: Organisation) -> bool:
    return active_memberships(user).filter(organisation=organisation, role=Role.ADMIN).exists()


def members_of(organisation: Organisation) -> QuerySet[OrganisationMember]:
    return organisation.members.filter(active=True).select_related("user").order_by("role", "user__full_name")


def admin_ids(organisation_id: int) -> list[int]:
    return list(OrganisationMember.objects.filter(organisation_id=organisation_id, active=True, role=Role.ADMIN,
                                                  user__is_active=True).values_list("user_id", flat=True))


# --- the doors ------------------------------------------------------------------------------------------

def _require_admin(user, organisation: Organisation) -> None:
    if not is_admin(user, organisation):
        raise PermissionDenied(_("Only an administrator of the organisation can do this."))


@transaction.atomic
def create_organisation(*, acting_user, name: str, tax_code: str, address: str = "") -> Organisation:
    """A business account registers its organisation and becomes its first administrator."""
    if not acting_user.is_active or acting_user.kind != User.Kind.BUSINESS:
        raise PermissionDenied(_("Only a business account can register an organisation."))
    name, tax_code = name.strip(), tax_code.strip()
    errors = {}
    if not name:
        errors["name"] = _("Enter the organisation's name.")
    try:
        TAX_CODE(tax_code)
    except ValidationError as error:
        errors["tax_code"] = error.messages[0]
    if "tax_code" not in errors and Organisation.objects.filter(tax_code=tax_code).exists():
        errors["tax_code"] = _("An organisation with this tax code is already registered; ask its administrator "
                               "to add you.")
    if errors:
        raise ValidationError(errors)
    organisation = Organisation.objects.create(name=name[:255], tax_code=tax_code, address=address.strip()[:255])
    OrganisationMember.objects.create(organisation=organisation, user=acting_user, role=Role.ADMIN)
    return organisation


def invitation_link(user: User, base_url: str) -> str:
    return services.token_link(user, base_url, "accounts:invitation")


@transaction.atomic
def add_member(*, organisation: Organisation, acting_user, email: str, role: str = Role.STAFF,
               base_url: str) -> tuple[OrganisationMember, bool]:
    """Add the portal account with ``email`` to the organisation, or invite whoever holds the
    address (a new account, inactive until its holder sets a password). Returns (member, invited)."""
    _require_admin(acting_user, organisation)
    if role not in Role.values:
        raise ValidationError({"role": _("Choose a role.")})
    email = email.strip().lower()
    if not email:
        raise ValidationError({"email": _("Enter an e-mail address.")})
    user = User.objects.filter(email__iexact=email).first()
    invited = False
    if user is not None and user.kind == User.Kind.OFFICIAL:
        raise ValidationError({"email": _("An official's account cannot act for an organisation.")})
    if user is None:
        user = User(username=email, email=email, kind=User.Kind.BUSINESS, is_active=False)
        user.set_unusable_password()
        user.full_clean(exclude=["password"])
        user.save()
        PortalProfile.objects.create(user=user)
        invited = True
    member, created = OrganisationMember.objects.select_for_update().get_or_create(
        organisation=organisation, user=user, defaults={"role": role})
    if not created:
        if member.active:
            raise ValidationError({"email": _("This account is already a member of the organisation.")})
        member.active, member.role = True, role
        member.save(update_fields=["active", "role"])
    if not user.is_active and not user.has_usable_password():  # nobody can sign in to it yet
        enqueue("accounts.send_invitation_email", user.pk, organisation.pk, invitation_link(user, base_url))
        invited = True
    return member, invited


@transaction.atomic
def remove_member(*, organisation: Organisation, acting_user, member: OrganisationMember) -> OrganisationMember:
    """Take a member off the organisation: from now on they no longer see or act on its dossiers."""
    _require_admin(acting_user, organisation)
    current = OrganisationMember.objects.select_for_update().get(pk=member.pk, organisation=organisation)
    if not current.active:
        raise ValidationError(_("This account is no longer a member."))
    if current.role == Role.ADMIN:
        admins = OrganisationMember.objects.select_for_update().filter(organisation=organisation, active=True,
                                                                       role=Role.ADMIN)
        if admins.count() <= 1:
            raise ValidationError(_("The organisation must keep at least one administrator."))
    current.active = False
    current.save(update_fields=["active"])
    return current


@transaction.atomic
def accept_invitation(*, user: User, token: str, full_name: str, password: str) -> bool:
    """The holder of an invited address sets their name and password: the account becomes active."""
    user = User.objects.select_for_update().get(pk=user.pk)
    if user.is_active or user.has_usable_password() or not default_token_generator.check_token(user, token):
        return False
    user.full_name = full_name.strip()[:150]
    user.set_password(password)
    user.is_active = True
    user.email_verified = True  # the link reached this address
    user.save(update_fields=["full_name", "password", "is_active", "email_verified"])
    return True
