import json
from pathlib import Path

from django.core.exceptions import ValidationError
from django.core.management.base import BaseCommand, CommandError

from directory.models import Agency
from procedures import exchange, services
from procedures.models import Procedure


class Command(BaseCommand):
    help = "Export or import the procedure catalog (JSON or Excel)."

    def add_arguments(self, parser):
        parser.add_argument("action", choices=["export", "import"])
        parser.add_argument("path")

    def handle(self, *args, action, path, **options):
        target = Path(path)
        if action == "export":
            items = services.export_catalog(Procedure.objects.filter(current__isnull=False))
            if target.suffix == ".xlsx":
                target.write_bytes(exchange.to_xlsx(items))
            else:
                target.write_text(json.dumps(items, ensure_ascii=False, indent=2), encoding="utf-8")
            self.stdout.write(f"{len(items)} procedures -> {target}")
            return
        try:
            items = (exchange.from_xlsx(target.read_bytes()) if target.suffix == ".xlsx"
                     else json.loads(target.read_text(encoding="utf-8")))
            agencies = {a.code: a for a in Agency.objects.all()}
            unknown = {c for item in items for c in item["agencies"]} - set(agencies)
            if unknown:
                raise CommandError(f"unknown agency codes: {', '.join(sorted(unknown))}")
            done = services.import_catalog(items, agencies_by_code=agencies)
        except (exchange.CatalogFileError, ValidationError, json.JSONDecodeError, KeyError) as error:
            raise CommandError(str(error)) from error
        self.stdout.write(f"{len(done)} procedures imported")
