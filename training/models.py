"""Bồi dưỡng cán bộ, công chức: courses, sessions, attendance, tests, certificates and materials.

Which roles must take a course and how often it is renewed are data on the course (decision 0035),
so that the province changes them without code: the training gap, the reminders and the share of
trained staff read them from here.
"""

from __future__ import annotations

import datetime as dt

from dateutil.relativedelta import relativedelta
from django.conf import settings
from django.db import models
from django.utils.translation import gettext_lazy as _

from audit.registry import audited
from directory.models import Agency, Role


class CourseKind(models.TextChoices):
    IT_SKILLS = "it_skills", _("IT skills")
    PLATFORM = "platform", _("The platform's modules")
    SECURITY = "security", _("Information security awareness")
    ONE_STOP = "one_stop", _("One-stop rules")


@audited
class Course(models.Model):
    """Khoá bồi dưỡng: what is taught, for whom it is mandatory and how long a certificate lasts."""

    code = models.SlugField(_("code"), max_length=40, unique=True)
    title = models.CharField(_("title"), max_length=255)
    kind = models.CharField(_("kind"), max_length=20, choices=CourseKind.choices)
    description = models.TextField(_("description"), blank=True)
    mandatory_for_all = models.BooleanField(_("mandatory for every official"), default=False)
    mandatory_roles = models.JSONField(
        _("mandatory for the roles"), default=list, blank=True,
        help_text=_("Codes of the roles that must hold a valid certificate of this course"))
    renewal_months = models.PositiveSmallIntegerField(
        _("renewed every (months)"), null=True, blank=True,
        help_text=_("Empty: the certificate does not lapse"))
    requires_attendance = models.BooleanField(_("attendance at a session required"), default=True)
    active = models.BooleanField(_("active"), default=True)

    class Meta:
        ordering = ["kind", "title"]
        verbose_name = _("course")
        verbose_name_plural = _("courses")

    def __str__(self) -> str:
        return self.title

    @property
    def mandatory(self) -> bool:
        return self.mandatory_for_all or bool(self.mandatory_roles)

    @property
    def mandatory_role_labels(self) -> list[str]:
        return [str(Role(code).label) for code in self.mandatory_roles if code in Role.values]

    def is_mandatory_for(self, roles) -> bool:
        """Whether an official holding ``roles`` (at one agency) must take this course."""
        return self.active and (self.mandatory_for_all or bool(set(self.mandatory_roles) & set(roles)))

    def valid_until(self, issued_on: dt.date) -> dt.date | None:
        """The last day a certificate issued on ``issued_on`` is valid."""
        if not self.renewal_months:
            return None
        return issued_on + relativedelta(months=self.renewal_months) - dt.timedelta(days=1)

    def clean(self):
        from django.core.exceptions import ValidationError

        unknown = set(self.mandatory_roles) - set(Role.values)
        if unknown:
            raise ValidationError({"mandatory_roles": _("Unknown roles: %(r)s") % {"r": ", ".join(sorted(unknown))}})


@audited
class Session(models.Model):
    """Lớp bồi dưỡng: one run of a course, at a place or online, for one agency or the whole province."""

    course = models.ForeignKey(Course, verbose_name=_("course"), on_delete=models.PROTECT, related_name="sessions")
    agency = models.ForeignKey(
        Agency, verbose_name=_("for the agency"), null=True, blank=True, on_delete=models.PROTECT,
        related_name="training_sessions", help_text=_("Empty: open to every official of the province"))
    starts_on = models.DateField(_("starts on"))
    ends_on = models.DateField(_("ends on"))
    place = models.CharField(_("place"), max_length=255, blank=True)
    online = models.BooleanField(_("online"), default=False)
    capacity = models.PositiveIntegerField(_("capacity"), default=30)
    trainers = models.ManyToManyField(settings.AUTH_USER_MODEL, verbose_name=_("trainers"), blank=True,
                                      related_name="training_sessions_taught")
    organised_by = models.ForeignKey(settings.AUTH_USER_MODEL, verbose_name=_("organised by"), null=True,
                                     on_delete=models.SET_NULL, related_name="+")
    created_at = models.DateTimeField(_("created at"), auto_now_add=True)

    class Meta:
        ordering = ["-starts_on", "pk"]
        verbose_name = _("training session")
        verbose_name_plural = _("training sessions")

    def __str__(self) -> str:
        return f"{self.course} ({self.starts_on:%d/%m/%Y})"

    def clean(self):
        from django.core.exceptions import ValidationError

        if self.ends_on and self.starts_on and self.ends_on < self.starts_on:
            raise ValidationError({"ends_on": _("A session cannot end before it starts.")})
        if not self.online and not self.place:
            raise ValidationError({"place": _("Give the place, or mark the session as online.")})


class Attendance(models.TextChoices):
    REGISTERED = "registered", _("registered")
    ATTENDED = "attended", _("attended")
    ABSENT = "absent", _("absent")


@audited
class Enrolment(models.Model):
    """Đăng ký học: an official in a session, and whether they attended (marked by a trainer)."""

    session = models.ForeignKey(Session, verbose_name=_("session"), on_delete=models.CASCADE,
                                related_name="enrolments")
    official = models.ForeignKey(settings.AUTH_USER_MODEL, verbose_name=_("official"), on_delete=models.CASCADE,
                                 related_name="training_enrolments")
    status = models.CharField(_("attendance"), max_length=12, choices=Attendance.choices,
                              default=Attendance.REGISTERED)
    registered_at = models.DateTimeField(_("registered at"), auto_now_add=True)
    marked_by = models.ForeignKey(settings.AUTH_USER_MODEL, verbose_name=_("marked by"), null=True, blank=True,
                                  on_delete=models.SET_NULL, related_name="+")
    marked_at = models.DateTimeField(_("marked at"), null=True, blank=True)

    class Meta:
        ordering = ["session", "official__full_name"]
        verbose_name = _("enrolment")
        verbose_name_plural = _("enrolments")
        constraints = [models.UniqueConstraint(fields=["session", "official"], name="training_enrolment_once")]

    def __str__(self) -> str:
        return f"{self.official} @ {self.session}"


@audited
class Test(models.Model):
    """Bài kiểm tra of a course: its questions, the pass mark and how many attempts an official has."""

    course = models.ForeignKey(Course, verbose_name=_("course"), on_delete=models.CASCADE, related_name="tests")
    title = models.CharField(_("title"), max_length=255)
    pass_mark = models.PositiveSmallIntegerField(_("pass mark (%)"), default=80)
    max_attempts = models.PositiveSmallIntegerField(_("attempts allowed"), default=3)
    active = models.BooleanField(_("active"), default=True)

    class Meta:
        ordering = ["course", "pk"]
        verbose_name = _("test")
        verbose_name_plural = _("tests")

    def __str__(self) -> str:
        return self.title


class Question(models.Model):
    test = models.ForeignKey(Test, verbose_name=_("test"), on_delete=models.CASCADE, related_name="questions")
    text = models.TextField(_("question"))
    order = models.PositiveSmallIntegerField(_("order"), default=0)

    class Meta:
        ordering = ["test", "order", "pk"]
        verbose_name = _("question")
        verbose_name_plural = _("questions")

    def __str__(self) -> str:
        return self.text[:80]


class Option(models.Model):
    question = models.ForeignKey(Question, verbose_name=_("question"), on_delete=models.CASCADE,
                                 related_name="options")
    text = models.CharField(_("option"), max_length=500)
    correct = models.BooleanField(_("the right answer"), default=False)

    class Meta:
        ordering = ["question", "pk"]
        verbose_name = _("option")
        verbose_name_plural = _("options")

    def __str__(self) -> str:
        return self.text[:80]


@audited
class Attempt(models.Model):
    """Lượt làm bài: scored on the server when submitted."""

    test = models.ForeignKey(Test, verbose_name=_("test"), on_delete=models.CASCADE, related_name="attempts")
    official = models.ForeignKey(settings.AUTH_USER_MODEL, verbose_name=_("official"), on_delete=models.CASCADE,
                                 related_name="training_attempts")
    answers = models.JSONField(_("answers"), default=dict)  # {question id: option id}
    correct = models.PositiveSmallIntegerField(_("right answers"), default=0)
    total = models.PositiveSmallIntegerField(_("questions"), default=0)
    score = models.PositiveSmallIntegerField(_("score (%)"), default=0)
    passed = models.BooleanField(_("passed"), default=False)
    submitted_at = models.DateTimeField(_("submitted at"), auto_now_add=True)

    class Meta:
        ordering = ["-submitted_at", "-pk"]
        verbose_name = _("attempt")
        verbose_name_plural = _("attempts")

    def __str__(self) -> str:
        return f"{self.official} – {self.test} – {self.score}%"


@audited
class Certificate(models.Model):
    """Chứng nhận hoàn thành khoá bồi dưỡng: valid from its issue until ``valid_until`` (inclusive)."""

    number = models.CharField(_("number"), max_length=40, unique=True)
    official = models.ForeignKey(settings.AUTH_USER_MODEL, verbose_name=_("official"), on_delete=models.PROTECT,
                                 related_name="training_certificates")
    course = models.ForeignKey(Course, verbose_name=_("course"), on_delete=models.PROTECT,
                               related_name="certificates")
    session = models.ForeignKey(Session, verbose_name=_("session"), null=True, blank=True,
                                on_delete=models.SET_NULL, related_name="certificates")
    attempt = models.ForeignKey(Attempt, verbose_name=_("attempt"), null=True, blank=True,
                                on_delete=models.SET_NULL, related_name="+")
    issued_on = models.DateField(_("issued on"))
    valid_until = models.DateField(_("valid until"), null=True, blank=True)
    # What was earned before this moment (attendance, attempts) is spent on this certificate.
    created_at = models.DateTimeField(_("created at"), auto_now_add=True)

    class Meta:
        ordering = ["-issued_on", "-pk"]
        verbose_name = _("certificate")
        verbose_name_plural = _("certificates")

    def __str__(self) -> str:
        return self.number

    def is_valid_on(self, day: dt.date) -> bool:
        return self.issued_on <= day and (self.valid_until is None or day <= self.valid_until)


class MaterialKind(models.TextChoices):
    DOCUMENT = "document", _("document")
    VIDEO = "video", _("video")


@audited
class Material(models.Model):
    """Tài liệu bồi dưỡng uploaded by the province; read through a view that checks access."""

    course = models.ForeignKey(Course, verbose_name=_("course"), null=True, blank=True, on_delete=models.SET_NULL,
                               related_name="materials")
    title = models.CharField(_("title"), max_length=255)
    kind = models.CharField(_("kind"), max_length=10, choices=MaterialKind.choices, default=MaterialKind.DOCUMENT)
    file = models.FileField(_("file"), upload_to="training/materials/%Y/")
    content_type = models.CharField(_("content type"), max_length=100, default="application/octet-stream")
    uploaded_by = models.ForeignKey(settings.AUTH_USER_MODEL, verbose_name=_("uploaded by"), null=True,
                                    on_delete=models.SET_NULL, related_name="+")
    uploaded_at = models.DateTimeField(_("uploaded at"), auto_now_add=True)

    class Meta:
        ordering = ["title"]
        verbose_name = _("material")
        verbose_name_plural = _("materials")

    def __str__(self) -> str:
        return self.title


class MaterialCompletion(models.Model):
    material = models.ForeignKey(Material, verbose_name=_("material"), on_delete=models.CASCADE,
                                 related_name="completions")
    official = models.ForeignKey(settings.AUTH_USER_MODEL, verbose_name=_("official"), on_delete=models.CASCADE,
                                 related_name="training_materials_done")
    completed_at = models.DateTimeField(_("completed at"), auto_now_add=True)

    class Meta:
        ordering = ["-completed_at"]
        verbose_name = _("material completed")
        verbose_name_plural = _("materials completed")
        constraints = [models.UniqueConstraint(fields=["material", "official"], name="training_material_once")]

    def __str__(self) -> str:
        return f"{self.official} – {self.material}"
