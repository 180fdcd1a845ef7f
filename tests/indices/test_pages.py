"""The indices page, its drill-down and exports, each read through the reader's scope."""

import io

import pytest
from openpyxl import load_workbook

from indices.rollups import rebuild_range
from indices.selectors import AGENCY, COMMUNE, Scope

from .conftest import local

pytestmark = pytest.mark.django_db
MONTH = "period=month&year=2026&month=3"


@pytest.fixture
def rolled(world, march):
    rebuild_range(local(2026, 3, 1).date(), local(2026, 3, 31).date())
    return march


def _commune(world, key="commune"):
    return Scope(COMMUNE, world[key].administrative_unit_id).key


def test_the_province_leader_sees_the_province_with_drill_down_links(sign_in, rolled):
    response = sign_in("chutich.tinh").get(f"/workspace/indices/?scope=province&{MONTH}")
    assert response.status_code == 200
    page = response.content.decode()
    assert "Tiến độ giải quyết" in page and "/workspace/indices/dossiers/settled_on_time/" in page
    assert "Missing data:" in page or "Thiếu dữ liệu" in page


def test_a_commune_leader_sees_their_commune_only(sign_in, world, rolled):
    client = sign_in("chutich.ducxuan")
    assert client.get(f"/workspace/indices/?scope={_commune(world)}&{MONTH}").status_code == 200
    assert client.get(f"/workspace/indices/?scope={_commune(world, 'other_commune')}&{MONTH}").status_code == 404
    assert client.get(f"/workspace/indices/?scope=province&{MONTH}").status_code == 404
    assert client.get(f"/workspace/indices/?scope={Scope(AGENCY, world['stp'].pk).key}&{MONTH}").status_code == 404
    other = f"/workspace/indices/dossiers/received/?scope={_commune(world, 'other_commune')}&{MONTH}"
    assert client.get(other).status_code == 404


def test_the_drill_down_lists_the_dossiers_behind_a_figure(sign_in, world, rolled):
    client = sign_in("chutich.ducxuan")
    page = client.get(f"/workspace/indices/dossiers/received/?scope={_commune(world)}&{MONTH}").content.decode()
    assert rolled["H"].code in page and rolled["A"].code not in page
    leader = sign_in("giamdoc.stp")
    page = leader.get(f"/workspace/indices/dossiers/settled_late/?scope=agency:{world['stp'].pk}&{MONTH}")
    assert page.status_code == 200
    text = page.content.decode()
    assert rolled["B"].code in text and rolled["A"].code not in text


def test_excel_and_pdf_carry_the_same_figures(sign_in, world, rolled):
    import subprocess

    client = sign_in("giamdoc.stp")
    query = f"scope=agency:{world['stp'].pk}&{MONTH}"
    book = load_workbook(io.BytesIO(client.get(f"/workspace/indices/excel/?{query}").content))
    rows = {row[0]: row for row in book.active.iter_rows(min_row=6, values_only=True)}
    assert rows["2.1"][3] == pytest.approx(9.33)
    assert rows["6.3"][3] == pytest.approx(3.0)  # A reused a paper of the 2 received online: 6 × 1/2
    response = client.get(f"/workspace/indices/pdf/?{query}")
    assert response["Content-Type"] == "application/pdf"
    text = subprocess.run(["pdftotext", "-layout", "-", "-"], input=response.content, capture_output=True,
                          check=True).stdout.decode()
    assert "9,33" in text or "9.33" in text


def test_a_specialist_without_an_agency_wide_view_gets_a_missing_page(sign_in, rolled):
    # chuyenvien.stp sees the records of their unit only: no agency, commune, centre or province is theirs
    client = sign_in("chuyenvien.stp")
    assert client.get(f"/workspace/indices/?{MONTH}").status_code == 404
