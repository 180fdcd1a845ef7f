import datetime as dt

from django.core.management.base import BaseCommand, CommandError
from django.db.models import Min
from django.utils import timezone

from dossiers.models import Dossier
from indices.rollups import rebuild_range


class Command(BaseCommand):
    help = "Rebuild the daily roll-ups of the Decision 766 indices from the dossiers (all days, or a range)."

    def add_arguments(self, parser):
        parser.add_argument("--from", dest="first", type=dt.date.fromisoformat,
                            help="first day (YYYY-MM-DD); default: the first day a dossier was received")
        parser.add_argument("--to", dest="last", type=dt.date.fromisoformat, help="last day; default: today")

    def handle(self, *args, first=None, last=None, **options):
        last = last or timezone.localdate()
        if first is None:
            earliest = Dossier.objects.aggregate(at=Min("received_at"))["at"]
            first = timezone.localdate(earliest) if earliest else last
        if first > last:
            raise CommandError("--from comes after --to")
        written = rebuild_range(first, last)
        self.stdout.write(f"{written} roll-up rows written for {first:%d/%m/%Y}–{last:%d/%m/%Y}")
