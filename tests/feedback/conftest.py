import pytest

from dossiers.models import Dossier
from dossiers.states import Status

CODES = ["access", "information", "attitude", "time", "result", "fees"]


def scores(*values):
    """``scores(5, 4, 3, 4, 5, 5)``: one value per criterion, in the survey's order."""
    return dict(zip(CODES, values, strict=True))


@pytest.fixture
def procedure(demo):
    from tests.dossier_scenarios import birth_procedure

    return birth_procedure(demo)


@pytest.fixture
def returned(demo, procedure):
    """Make returned dossiers of Đức Xuân in one line: ``returned("HS-1", official=...)``."""
    counter = iter(range(1, 1000))

    def make(code=None, *, agency="01840", official=None, applicant="congdan@example.vn"):
        return Dossier.objects.create(
            code=code or f"TEST-FB-{next(counter)}", procedure_version=procedure.current,
            agency=demo.agencies[agency], applicant=demo.users[applicant], applicant_name="Nguyễn Văn An",
            applicant_phone="0912345678", status=Status.COMPLETED, assignee=official)

    return make
