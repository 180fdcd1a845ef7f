"""The demo catalog: real procedures of a province (procedures/fixtures/bac_kan_catalog.json), each
implemented by agencies of the demo's Thái Nguyên province in force today (directory.demo), with
the blank declaration forms the catalog ships (procedures/fixtures/declarations)."""

import json
from pathlib import Path

from django.core.files import File
from django.db.models import F

from directory.models import Agency

from .models import PaperRequirement, Procedure
from .services import import_catalog

FIXTURES = Path(__file__).parent / "fixtures"
CATALOG = FIXTURES / "bac_kan_catalog.json"
# (procedure code, paper name) -> the blank form the applicant downloads (mẫu tờ khai).
DECLARATIONS = {
    ("1.001193", "Tờ khai đăng ký khai sinh theo mẫu"): FIXTURES / "declarations" / "to-khai-dang-ky-khai-sinh.pdf",
}


def load_catalog() -> list[Procedure]:
    items = json.loads(CATALOG.read_text(encoding="utf-8"))
    if Procedure.objects.filter(code__in=[item["code"] for item in items], current__isnull=False).count() == len(items):
        procedures = list(Procedure.objects.filter(code__in=[item["code"] for item in items]))
    else:
        agencies = {a.code: a for a in Agency.objects.valid_on()}  # never an agency that has ended
        procedures = import_catalog(items, agencies_by_code=agencies)
    attach_declarations()
    return procedures


def attach_declarations() -> int:
    """Give the current version's paper its blank form where it has none yet (run again, it adds
    nothing). Returns how many forms were attached."""
    attached = 0
    for (code, name), source in DECLARATIONS.items():
        papers = PaperRequirement.objects.filter(version__procedure__code=code, name=name,
                                                 version__procedure__current=F("version"), template="")
        for paper in papers:
            with source.open("rb") as handle:
                paper.template.save(source.name, File(handle), save=True)
            attached += 1
    return attached
