from django.core.management.base import BaseCommand

from outbox.services import drain


class Command(BaseCommand):
    help = "Send again the side effects (slips, notifications…) recorded but not done yet."

    def handle(self, *args, **options):
        result = drain()
        self.stdout.write(f"sent {result['sent']}, given up {result['given_up']}, purged {result['purged']}")
