"""Reporting periods (kỳ báo cáo): a month, a quarter, a year or any range of calendar days; the
platform's one ``workdays.report_periods``, under the names the reports use."""

from workdays.report_periods import ROMAN, Period, PeriodKind

__all__ = ["ROMAN", "Period", "PeriodKind"]
