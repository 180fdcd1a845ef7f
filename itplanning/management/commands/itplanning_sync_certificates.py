from django.core.management.base import BaseCommand

from itplanning.certificates import synchronise


class Command(BaseCommand):
    help = "List the signing certificates in the IT asset inventory (a read-only copy of their dates)."

    def handle(self, *args, **options):
        changed = synchronise()
        self.stdout.write(f"{changed} certificate asset(s) created or refreshed.")
