"""The directory (danh mục): administrative units, agencies, their units, positions, officials.

Every other subsystem refers to these rows. Rows that can change over time carry validity
dates (``valid_from``/``valid_to``) instead of being edited in place, so that history stays
true: a dossier received by a district in 2024 still names that district after the 2025 reform.
"""

import datetime as dt

from django.conf import settings
from django.core.validators import RegexValidator
from django.db import models
from django.utils import timezone
from django.utils.translation import gettext_lazy as _

from audit.registry import audited

# QCVN 102:2016/BTTTT: four dotted groups, e.g. 000.00.00.H05 (a province's People's
# Committee) or 000.00.04.G14; the rightmost group names the level-1 unit.
AGENCY_CODE_RE = r"^\d{3}\.\d{2}\.\d{2}\.[A-Z]\d{2}$"
agency_code_validator = RegexValidator(
    AGENCY_CODE_RE, _("An identifier code has four groups, like 000.00.00.H05 (QCVN 102:2016).")
)


class ValidQuerySet(models.QuerySet):
    def valid_on(self, day: dt.date | None = None):
        day = day or timezone.localdate()
        return self.filter(models.Q(valid_from__lte=day) | models.Q(valid_from__isnull=True)).filter(
            models.Q(valid_to__gte=day) | models.Q(valid_to__isnull=True)
        )


class Validity(models.Model):
    valid_from = models.DateField(_("valid from"), null=True, blank=True)
    valid_to = models.DateField(_("valid until"), null=True, blank=True)

    objects = ValidQuerySet.as_manager()

    class Meta:
        abstract = True

    def is_valid_on(self, day: dt.date) -> bool:
        return (self.valid_from is None or self.valid_from <= day) and (
            self.valid_to is None or day <= self.valid_to
        )


@audited
class AdministrativeUnit(Validity):
    """Đơn vị hành chính: a province, a district (until 30 June 2025) or a commune/ward."""

    class Level(models.TextChoices):
        PROVINCE = "province", _("province")
        DISTRICT = "district", _("district")
        COMMUNE = "commune", _("commune")

    code = models.CharField(_("code"), max_length=10, help_text=_("Code in the national list of units"))
    name = models.CharField(_("name"), max_length=200)
    level = models.CharField(_("level"), max_length=10, choices=Level.choices)
    parent = models.ForeignKey(
        "self", verbose_name=_("parent unit"), null=True, blank=True, on_delete=models.PROTECT,
        related_name="children",
    )
    successors = models.ManyToManyField(
        "self", verbose_name=_("merged into"), symmetrical=False, blank=True, related_name="predecessors"
    )
    # Xã đặc biệt khó khăn: some procedures grant such communes a longer time limit
    # (procedures.ProcedureVersion.difficulty_extension).
    special_difficulty = models.BooleanField(_("commune with special difficulty"), default=False)
    confirmed = models.BooleanField(_("code and composition confirmed"), default=True,
                                    help_text=_("Unticked while the code or the merged units are assumed"))

    class Meta:
        ordering = ["code"]
        verbose_name = _("administrative unit")
        verbose_name_plural = _("administrative units")
        constraints = [
            models.UniqueConstraint(fields=["code", "valid_from"], name="adminunit_code_from_unique"),
        ]

    def __str__(self) -> str:
        return self.name


@audited
class Agency(Validity):
    """Cơ quan: an agency of the province's political system with its national identifier code."""

    code = models.CharField(
        _("identifier code"), max_length=20, unique=True, validators=[agency_code_validator]
    )
    name = models.CharField(_("name"), max_length=255)
    abbreviation = models.CharField(
        _("abbreviation"), max_length=30, help_text=_("Used in document numbers, e.g. UBND, STP")
    )
    parent = models.ForeignKey(
        "self", verbose_name=_("parent agency"), null=True, blank=True, on_delete=models.PROTECT,
        related_name="children",
    )
    administrative_unit = models.ForeignKey(
        AdministrativeUnit, verbose_name=_("administrative unit"), on_delete=models.PROTECT,
        related_name="agencies",
    )
    email = models.EmailField(_("e-mail"), blank=True)
    phone = models.CharField(_("phone"), max_length=30, blank=True)
    address = models.CharField(_("address"), max_length=255, blank=True)
    # The one-stop desk's time to accept, refuse or ask to supplement a dossier submitted online,
    # in working hours; empty: the platform's default (EGOV_INTAKE_HOURS). Decision 0013.
    intake_hours = models.DecimalField(
        _("intake time limit (working hours)"), max_digits=5, decimal_places=2, null=True, blank=True,
        help_text=_("For dossiers submitted online; empty for the platform's default"))
    # The one-stop desk's Saturday-morning session, where it has one (receiving and returning only:
    # the legal time limits still count working days).
    saturday_opens = models.TimeField(_("Saturday session opens"), null=True, blank=True)
    saturday_closes = models.TimeField(_("Saturday session closes"), null=True, blank=True)
    # Governed collectively (People's Committees): its leader signs "TM." (Decree 30/2020, Appendix I).
    collective = models.BooleanField(_("collective leadership"), default=False,
                                     help_text=_("People's Committees: the chairman signs on behalf of (TM.)"))
    successors = models.ManyToManyField(
        "self", verbose_name=_("succeeded by"), symmetrical=False, blank=True, related_name="predecessors")
    confirmed = models.BooleanField(_("code and name confirmed"), default=True,
                                    help_text=_("Unticked while the identifier code or the name is assumed"))
    # Its officials work in another system (a ministry's, another province's, a sector's software):
    # documents and the dossier steps it settles reach it through the inter-agency exchange.
    on_other_system = models.BooleanField(
        _("on another system"), default=False,
        help_text=_("Its officials work in their own software: documents and dossier steps reach it through "
                    "the inter-agency exchange"))

    class Meta:
        ordering = ["code"]
        verbose_name = _("agency")
        verbose_name_plural = _("agencies")

    def __str__(self) -> str:
        return self.name

    @property
    def audit_agency_id(self) -> int | None:
        return self.pk


@audited
class OrgUnit(models.Model):
    """Phòng, ban: an organisational unit inside an agency."""

    agency = models.ForeignKey(Agency, verbose_name=_("agency"), on_delete=models.PROTECT, related_name="units")
    name = models.CharField(_("name"), max_length=255)
    abbreviation = models.CharField(_("abbreviation"), max_length=30, blank=True)
    parent = models.ForeignKey(
        "self", verbose_name=_("parent unit"), null=True, blank=True, on_delete=models.PROTECT,
        related_name="children",
    )
    active = models.BooleanField(_("active"), default=True)

    class Meta:
        ordering = ["agency__code", "name"]
        verbose_name = _("organisational unit")
        verbose_name_plural = _("organisational units")
        constraints = [models.UniqueConstraint(fields=["agency", "name"], name="orgunit_agency_name_unique")]

    def __str__(self) -> str:
        return f"{self.name} – {self.agency.abbreviation}"


@audited
class Position(models.Model):
    """Chức vụ: Chủ tịch, Giám đốc, Trưởng phòng, Chuyên viên..."""

    class Standing(models.TextChoices):
        """Where the position stands for signing (Decree 30/2020, art. 13)."""

        HEAD = "head", _("head of the agency")  # cấp trưởng
        DEPUTY = "deputy", _("deputy head of the agency")  # cấp phó
        UNIT_HEAD = "unit_head", _("head of a unit")  # trưởng đơn vị (signs TL./TUQ.)
        OTHER = "", _("other")

    name = models.CharField(_("name"), max_length=100, unique=True)
    rank = models.PositiveSmallIntegerField(_("rank"), default=100, help_text=_("Lower is more senior"))
    standing = models.CharField(_("standing"), max_length=10, choices=Standing.choices, blank=True, default="")

    class Meta:
        ordering = ["rank", "name"]
        verbose_name = _("position")
        verbose_name_plural = _("positions")

    def __str__(self) -> str:
        return self.name


class Role(models.TextChoices):
    """What an official may do; the scope of each role is decided in directory.scope."""

    DESK_OFFICER = "desk_officer", _("One-stop desk officer")
    SPECIALIST = "specialist", _("Specialist")
    UNIT_HEAD = "unit_head", _("Head of unit")
    AGENCY_LEADER = "agency_leader", _("Agency leader")
    CLERK = "clerk", _("Clerk (records office)")
    AGENCY_ADMIN = "agency_admin", _("Agency administrator")
    PROVINCE_ADMIN = "province_admin", _("Province administrator")
    AUDITOR = "auditor", _("Auditor")


# Roles whose holders must sign in with a second factor (TOTP).
# Who must log in with a one-time code: those who sign (leaders, and clerks who apply the agency's
# seal signature), administer or audit (decision 0005).
ROLES_REQUIRING_TOTP = frozenset({Role.AGENCY_LEADER, Role.CLERK, Role.AGENCY_ADMIN, Role.PROVINCE_ADMIN,
                                  Role.AUDITOR})


@audited
class Membership(Validity):
    """An official's place in an agency: unit, position and roles (one official may hold several)."""

    official = models.ForeignKey(
        settings.AUTH_USER_MODEL, verbose_name=_("official"), on_delete=models.CASCADE,
        related_name="memberships",
    )
    agency = models.ForeignKey(Agency, verbose_name=_("agency"), on_delete=models.PROTECT, related_name="memberships")
    unit = models.ForeignKey(
        OrgUnit, verbose_name=_("unit"), null=True, blank=True, on_delete=models.PROTECT, related_name="memberships"
    )
    position = models.ForeignKey(
        Position, verbose_name=_("position"), null=True, blank=True, on_delete=models.PROTECT
    )
    roles = models.JSONField(_("roles"), default=list, help_text=_("Codes of the roles held in this place"))

    class Meta:
        ordering = ["agency__code", "official__username"]
        verbose_name = _("membership")
        verbose_name_plural = _("memberships")

    def __str__(self) -> str:
        return f"{self.official} @ {self.agency.abbreviation}"

    def clean(self):
        from django.core.exceptions import ValidationError

        unknown = set(self.roles) - set(Role.values)
        if unknown:
            raise ValidationError({"roles": _("Unknown roles: %(r)s") % {"r": ", ".join(sorted(unknown))}})
        if self.unit_id and self.unit.agency_id != self.agency_id:
            raise ValidationError({"unit": _("The unit must belong to the same agency.")})

    def role_labels(self) -> list[str]:
        return [str(Role(code).label) for code in self.roles if code in Role.values]


@audited
class ServiceCentre(Validity):
    """Trung tâm Phục vụ hành chính công (Decree 118/2025/NĐ-CP): a provincial or commune centre that
    receives dossiers of any agency in the province, regardless of administrative boundary, and
    returns results; ``agency`` is the agency whose one-stop desk officers staff it."""

    class Level(models.TextChoices):
        PROVINCE = "province", _("provincial centre")
        COMMUNE = "commune", _("commune centre")

    code = models.CharField(_("code"), max_length=30, unique=True)
    name = models.CharField(_("name"), max_length=255)
    level = models.CharField(_("level"), max_length=10, choices=Level.choices)
    agency = models.ForeignKey(Agency, verbose_name=_("staffed by"), on_delete=models.PROTECT,
                               related_name="service_centres")
    administrative_unit = models.ForeignKey(AdministrativeUnit, verbose_name=_("administrative unit"),
                                            on_delete=models.PROTECT, related_name="service_centres")
    address = models.CharField(_("address"), max_length=255, blank=True)
    phone = models.CharField(_("phone"), max_length=30, blank=True)

    class Meta:
        ordering = ["level", "name"]
        verbose_name = _("public administration service centre")
        verbose_name_plural = _("public administration service centres")

    def __str__(self) -> str:
        return self.name

    @property
    def audit_agency_id(self) -> int | None:
        return self.agency_id


@audited
class ReceptionPoint(Validity):
    """Điểm tiếp nhận: a place where a centre receives and returns (its seat or a branch, such as the
    former provincial centre of a merged province)."""

    centre = models.ForeignKey(ServiceCentre, verbose_name=_("centre"), on_delete=models.PROTECT,
                               related_name="points")
    name = models.CharField(_("name"), max_length=255)
    address = models.CharField(_("address"), max_length=255, blank=True)

    class Meta:
        ordering = ["centre", "name"]
        verbose_name = _("reception point")
        verbose_name_plural = _("reception points")
        constraints = [models.UniqueConstraint(fields=["centre", "name"], name="receptionpoint_centre_name_unique")]

    def __str__(self) -> str:
        return self.name

    @property
    def audit_agency_id(self) -> int | None:
        return self.centre.agency_id


@audited
class Delegation(models.Model):
    """A standing delegation while someone is absent (Decree 30/2020, art. 13): from ``starts_at`` to
    ``ends_at`` the deputy processes and signs what the principal would, with the authority printed
    on the document (KT. for a deputy head, Q. for an acting head, TL./TUQ. for a unit head)."""

    class Kind(models.TextChoices):
        DEPUTY = "KT", _("signing for the head (KT.)")  # ký thay
        ACTING = "Q", _("acting head (Q.)")  # quyền
        BY_ORDER = "TL", _("by order of the head (TL.)")  # thừa lệnh
        AUTHORISED = "TUQ", _("authorised by the head (TUQ.)")  # thừa ủy quyền

    agency = models.ForeignKey(Agency, verbose_name=_("agency"), on_delete=models.PROTECT,
                               related_name="delegations")
    principal = models.ForeignKey(settings.AUTH_USER_MODEL, verbose_name=_("on behalf of"),
                                  on_delete=models.PROTECT, related_name="delegations_given")
    deputy = models.ForeignKey(settings.AUTH_USER_MODEL, verbose_name=_("delegate"), on_delete=models.PROTECT,
                               related_name="delegations_held")
    kind = models.CharField(_("authority"), max_length=3, choices=Kind.choices)
    starts_at = models.DateTimeField(_("from"))
    ends_at = models.DateTimeField(_("until"))
    reason = models.CharField(_("reason"), max_length=255, blank=True)
    created_by = models.ForeignKey(settings.AUTH_USER_MODEL, null=True, blank=True, on_delete=models.PROTECT,
                                   related_name="+")
    revoked_at = models.DateTimeField(_("revoked at"), null=True, blank=True)

    class Meta:
        ordering = ["-starts_at"]
        verbose_name = _("delegation")
        verbose_name_plural = _("delegations")
        constraints = [models.CheckConstraint(condition=models.Q(ends_at__gt=models.F("starts_at")),
                                              name="delegation_ends_after_start")]

    def __str__(self) -> str:
        return f"{self.get_kind_display()} {self.deputy} → {self.principal}"

    @property
    def audit_agency_id(self) -> int | None:
        return self.agency_id
