from django.core.management.base import BaseCommand

from outbox.orphans import grace, sweep


class Command(BaseCommand):
    help = "List, and with --delete remove, stored files no row references (older than the grace period)."

    def add_arguments(self, parser):
        parser.add_argument("--delete", action="store_true", help="delete them (without it: a dry-run report)")

    def handle(self, *args, **options):
        report = sweep(dry_run=not options["delete"])
        for name in report.orphans:
            self.stdout.write(name)
        verb = "deleted" if options["delete"] else "would delete (dry run)"
        self.stdout.write(f"{report.checked} files older than {grace()} checked; "
                          f"{len(report.orphans)} referenced by nothing; {verb} {len(report.orphans)}")
