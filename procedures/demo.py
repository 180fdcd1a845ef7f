"""The demo catalog: real procedures of a province (procedures/fixtures/bac_kan_catalog.json), each
implemented by agencies of the demo's Thái Nguyên province in force today (directory.demo)."""

import json
from pathlib import Path

from directory.models import Agency

from .models import Procedure
from .services import import_catalog

CATALOG = Path(__file__).parent / "fixtures" / "bac_kan_catalog.json"


def load_catalog() -> list[Procedure]:
    items = json.loads(CATALOG.read_text(encoding="utf-8"))
    if Procedure.objects.filter(code__in=[item["code"] for item in items], current__isnull=False).count() == len(items):
        return list(Procedure.objects.filter(code__in=[item["code"] for item in items]))
    agencies = {a.code: a for a in Agency.objects.valid_on()}  # never an agency that has ended
    return import_catalog(items, agencies_by_code=agencies)
