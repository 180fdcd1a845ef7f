"""Lịch làm việc: the province's own corrections to the national working calendar.

The national calendar (weekends, public holidays of Labour Code 2019 art. 112 and the days the
government swaps every year) comes from the ``holidays`` package; see ``workdays.calendar``.
A province may still decide otherwise for its own agencies (an extra day off for a local
anniversary, a compensatory working Saturday announced late): those decisions are kept here as
data by the province administrator and are the final word on the day they name.
"""

from django.db import models
from django.utils.translation import gettext_lazy as _

from audit.registry import audited


@audited
class CalendarOverride(models.Model):
    """Ngày nghỉ / ngày làm bù do tỉnh quyết định: one day the province declares off or working."""

    class Kind(models.TextChoices):
        DAY_OFF = "day_off", _("Day off")  # nghỉ
        WORKING_DAY = "working_day", _("Compensatory working day")  # làm bù

    date = models.DateField(_("date"), unique=True)
    kind = models.CharField(_("kind"), max_length=12, choices=Kind.choices)
    name = models.CharField(_("name"), max_length=200, help_text=_("Shown to officials, e.g. “Làm bù cho ngày 2/1”"))
    basis = models.CharField(
        _("legal basis"),
        max_length=255,
        blank=True,
        help_text=_("The decision or announcement that sets this day, e.g. “Quyết định số 12/QĐ-UBND”"),
    )
    created_at = models.DateTimeField(_("created at"), auto_now_add=True)

    class Meta:
        ordering = ["date"]
        verbose_name = _("calendar override")
        verbose_name_plural = _("calendar overrides")

    def __str__(self) -> str:
        return f"{self.date:%d/%m/%Y} – {self.get_kind_display()}: {self.name}"


@audited
class CalendarYear(models.Model):
    """Lịch nghỉ chính thức: the official notice of a year's days off (Tết, 2 September...) has been
    entered. Until then every deadline falling in that future year is provisional (workdays.years)."""

    year = models.PositiveSmallIntegerField(_("year"), unique=True)
    notice = models.CharField(_("official notice"), max_length=255,
                              help_text=_("e.g. “Thông báo số 6150/TB-BNV về lịch nghỉ Tết”"))
    confirmed_on = models.DateField(_("entered on"), auto_now_add=True)

    class Meta:
        ordering = ["-year"]
        verbose_name = _("confirmed calendar year")
        verbose_name_plural = _("confirmed calendar years")

    def __str__(self) -> str:
        return f"{self.year}: {self.notice}"
