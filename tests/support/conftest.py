import pytest


@pytest.fixture
def help_centre(demo):
    """The demo catalog and the demo help centre (guides, questions, answer templates)."""
    from procedures.demo import load_catalog
    from support.demo import load_demo

    load_catalog()
    load_demo()
    return demo


@pytest.fixture
def citizen(demo):
    return demo.users["congdan@example.vn"]


@pytest.fixture
def ducxuan(demo):
    return demo.agencies["01840"]


@pytest.fixture
def draft(help_centre, citizen, ducxuan):
    """The citizen's draft for "Cấp bản sao trích lục hộ tịch" at Đức Xuân (the apply page)."""
    from dossiers.services import start_draft
    from procedures.models import Procedure

    return start_draft(applicant=citizen, procedure=Procedure.objects.get(code="2.000635"), agency=ducxuan)
