"""Accounts: officials (cán bộ, công chức) and portal users (citizens, businesses)."""

from django.conf import settings
from django.contrib.auth.models import AbstractUser
from django.db import models
from django.db.models.functions import Lower
from django.utils.translation import gettext_lazy as _

from audit.registry import audited
from egov.crypto import EncryptedTextField, LookupHashField


@audited
class User(AbstractUser):
    class Kind(models.TextChoices):
        OFFICIAL = "official", _("official")
        CITIZEN = "citizen", _("citizen")
        BUSINESS = "business", _("business")

    kind = models.CharField(_("kind"), max_length=10, choices=Kind.choices, default=Kind.CITIZEN)
    full_name = models.CharField(_("full name"), max_length=150, blank=True)
    email_verified = models.BooleanField(_("e-mail verified"), default=False)

    class Meta:
        verbose_name = _("user")
        verbose_name_plural = _("users")
        constraints = [
            models.UniqueConstraint(
                Lower("email"), condition=~models.Q(email=""), name="user_email_unique_ci",
                violation_error_message=_("An account with this e-mail address already exists."),
            )
        ]

    def __str__(self) -> str:
        return self.full_name or self.username

    def get_full_name(self) -> str:
        return self.full_name or super().get_full_name() or self.username

    @property
    def is_official(self) -> bool:
        return self.kind == self.Kind.OFFICIAL


@audited
class PortalProfile(models.Model):
    """Personal data of a citizen or business; every read by an official is audited. The identification
    number, phone and address are encrypted at rest; the number's keyed hash finds the profile (ADR 0050)."""

    PERSONAL_FIELDS = ("id_number", "phone", "address", "date_of_birth")

    user = models.OneToOneField(User, on_delete=models.CASCADE, related_name="profile")
    id_number = EncryptedTextField(_("citizen ID number"), max_length=12, blank=True)
    id_number_hash = LookupHashField(source="id_number", kind="id-number")
    date_of_birth = models.DateField(_("date of birth"), null=True, blank=True)
    phone = EncryptedTextField(_("phone"), max_length=20, blank=True)
    address = EncryptedTextField(_("address"), max_length=255, blank=True)
    business_name = models.CharField(_("business name"), max_length=255, blank=True)
    tax_code = models.CharField(_("tax code"), max_length=14, blank=True)
    oidc_subject = models.CharField(_("identity provider subject"), max_length=255, null=True, blank=True, unique=True)

    class Meta:
        verbose_name = _("portal profile")
        verbose_name_plural = _("portal profiles")

    def __str__(self) -> str:
        return str(self.user)


@audited
class Organisation(models.Model):
    """A business or organisation applying through several staff accounts; its administrators add
    and remove staff, and every staff member sees the organisation's dossiers."""

    name = models.CharField(_("name"), max_length=255)
    tax_code = models.CharField(_("tax code"), max_length=14, unique=True)
    # Encrypted at rest like a person's: a household business's address is its owner's (ADR 0050).
    address = EncryptedTextField(_("address"), max_length=255, blank=True)
    created_at = models.DateTimeField(auto_now_add=True)

    class Meta:
        verbose_name = _("organisation")
        verbose_name_plural = _("organisations")

    def __str__(self) -> str:
        return self.name


@audited
class OrganisationMember(models.Model):
    class Role(models.TextChoices):
        ADMIN = "admin", _("administrator")
        STAFF = "staff", _("staff")

    organisation = models.ForeignKey(Organisation, on_delete=models.CASCADE, related_name="members")
    user = models.ForeignKey(User, on_delete=models.CASCADE, related_name="organisation_memberships")
    role = models.CharField(_("role"), max_length=10, choices=Role.choices, default=Role.STAFF)
    active = models.BooleanField(_("active"), default=True)
    added_at = models.DateTimeField(auto_now_add=True)

    class Meta:
        verbose_name = _("organisation member")
        verbose_name_plural = _("organisation members")
        constraints = [models.UniqueConstraint(fields=["organisation", "user"], name="organisation_member_unique")]

    def __str__(self) -> str:
        return f"{self.user} @ {self.organisation}"


class UserSession(models.Model):
    """One signed-in session of a user, so that the user can see where they are signed in and end
    a session, or all the others (accounts.sessions). The session itself lives in Django's store."""

    user = models.ForeignKey(settings.AUTH_USER_MODEL, on_delete=models.CASCADE, related_name="signed_in_sessions")
    session_key = models.CharField(max_length=40, unique=True)
    started_at = models.DateTimeField()
    last_seen_at = models.DateTimeField()
    ip = models.GenericIPAddressField(null=True, blank=True)
    user_agent = models.CharField(max_length=200, blank=True)

    class Meta:
        ordering = ["-last_seen_at"]

    def __str__(self) -> str:
        return f"{self.user_id} {self.started_at:%Y-%m-%d %H:%M}"
