from django.core.management.base import BaseCommand

from nationalsync.catalog import publish


class Command(BaseCommand):
    help = "Queue the province's procedure catalog for the National Public Service Portal."

    def handle(self, *args, **options) -> None:
        item = publish()
        self.stdout.write(f"catalog queued: {len(item.payload.get('thuTuc', []))} procedures ({item.state})")
