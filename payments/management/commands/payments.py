"""``manage.py payments reconcile`` settles payments whose notification was lost;
``manage.py payments report --day D --agency CODE --output FILE.xlsx`` writes the reconciliation
report of a day for one agency."""

import datetime as dt
from pathlib import Path

from django.core.management.base import BaseCommand, CommandError
from django.utils import timezone

from directory.models import Agency

from ... import reconciliation, services
from ...models import Payment
from ...selectors import started_on


class Command(BaseCommand):
    help = "Online payments: reconcile open payments with the gateway; reconciliation report."

    def add_arguments(self, parser):
        sub = parser.add_subparsers(dest="action", required=True)
        reconcile = sub.add_parser("reconcile", help="ask the gateway about payments still open")
        reconcile.add_argument("--older-than", type=int, default=15, metavar="MINUTES",
                               help="only payments started at least this long ago (default 15)")
        report = sub.add_parser("report", help="reconciliation report of a day for one agency (Excel)")
        report.add_argument("--day", default="", help="YYYY-MM-DD, Vietnam time (default today)")
        report.add_argument("--agency", required=True, help="the agency's identifier code or abbreviation")
        report.add_argument("--output", required=True, help="path of the .xlsx file to write")

    def handle(self, *args, action, **options):
        if action == "reconcile":
            counts = services.reconcile(older_than=dt.timedelta(minutes=options["older_than"]))
            summary = ", ".join(f"{key}: {value}" for key, value in sorted(counts.items())) or "nothing to do"
            self.stdout.write(f"reconciled: {summary}")
            return
        try:
            day = dt.date.fromisoformat(options["day"]) if options["day"] else timezone.localdate()
        except ValueError as error:
            raise CommandError("--day must be YYYY-MM-DD") from error
        agency = (Agency.objects.filter(code=options["agency"]).first()
                  or Agency.objects.valid_on().filter(abbreviation=options["agency"]).first())
        if agency is None:
            raise CommandError(f"no agency {options['agency']!r}")
        payments = started_on(Payment.objects.all(), day=day, agency=agency)
        report = reconciliation.build_report(payments=payments, day=day, agency=agency)
        Path(options["output"]).write_bytes(reconciliation.workbook(report))
        counts = ", ".join(f"{label}: {count}" for label, count in report.summary)
        self.stdout.write(f"{len(report.lines)} payments ({counts}) -> {options['output']}")
