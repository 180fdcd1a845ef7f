import datetime as dt
import json

from django.core.management.base import BaseCommand, CommandError

from retention.models import RetentionRun
from retention.services import run


class Command(BaseCommand):
    help = ("Archive, erase or anonymise the records past their retention period (retention policies in "
            "force) and print the run's report; with --dry-run only count them.")

    def add_arguments(self, parser):
        parser.add_argument("--dry-run", action="store_true", help="count what is due, change nothing")
        parser.add_argument("--day", default="", help="the reference day, YYYY-MM-DD (default: today)")

    def handle(self, *args, **options):
        try:
            day = dt.date.fromisoformat(options["day"]) if options["day"] else None
        except ValueError as error:
            raise CommandError(f"--day: {error}") from error
        report = run(today=day, dry_run=options["dry_run"], trigger=RetentionRun.Trigger.COMMAND)
        self.stdout.write(json.dumps({"run": report.pk, "day": report.day.isoformat(), "dry_run": report.dry_run,
                                      "duration_ms": report.duration_ms, "counts": report.counts,
                                      "errors": report.errors}, ensure_ascii=False, indent=2))
        if report.errors:
            raise CommandError(f"{len(report.errors)} records could not be dealt with (see the report above)")
