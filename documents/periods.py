"""A range of Vietnamese calendar days, compared in UTC as [start, end): the platform's one
``workdays.report_periods.Days``, under the name the e-office's search and statistics use."""

from workdays.report_periods import Days

__all__ = ["Days"]
