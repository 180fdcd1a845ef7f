"""The province's indices in Excel and PDF carry the published scores (with rank) and the year's DTI
tree with the points the page shows; whoever may not read the indices page gets 404 for them too."""

import io
import subprocess

import pytest
from openpyxl import load_workbook

from dashboards.demo import load_demo


@pytest.fixture
def indices(demo):
    load_demo()
    return demo


def test_the_excel_has_the_scores_and_the_dti_tree(indices, sign_in):
    response = sign_in("chutich.tinh").get("/workspace/dashboards/indices/export.xlsx?year=2024")
    assert response.status_code == 200
    assert response["Content-Disposition"] == 'attachment; filename="chi-so-tinh-2024.xlsx"'
    book = load_workbook(io.BytesIO(response.content))
    scores, tree = book.worksheets
    rows = [[cell.value for cell in row] for row in scores.iter_rows()]
    header = next(row for row in rows if row and row[0] in ("Chỉ số", "Index"))
    assert header[1:5] == [2021, 2022, 2023, 2024]
    dti = next(row for row in rows if row and str(row[0]).startswith("DTI"))
    assert dti[4].startswith("536.90/1000.00")  # 2024, from the demo's illustrative figures
    assert "30/63" in dti[4] or "30 of 63" in dti[4]  # its rank among the provinces
    lines = {row[0].value: [cell.value for cell in row] for row in tree.iter_rows(min_row=5)}
    # CQS.1 = 30 + 20 = 50 of 60; CQS.2.3 has no figure
    assert lines["CQS.1"][2:4] == [50.0, 60.0]
    assert lines["CQS.2.3"][2] in ("chưa có số liệu", "no figure yet")


def test_the_pdf_shows_the_same_figures(indices, sign_in):
    response = sign_in("quantri.tinh").get("/workspace/dashboards/indices/export.pdf?year=2024")
    assert response.status_code == 200 and response["Content-Type"] == "application/pdf"
    text = subprocess.run(["pdftotext", "-layout", "-", "-"], input=response.content, capture_output=True,
                          check=True).stdout.decode()
    assert "536.90/1000.00" in text and "CQS.1.1" in text and "Chính quyền số" in text
    assert "CỘNG HÒA XÃ HỘI CHỦ NGHĨA VIỆT NAM" in text  # the province's report layout


def test_who_may_not_read_the_indices_gets_404(indices, sign_in):
    client = sign_in("chuyenvien.stp")
    for fmt in ("xlsx", "pdf"):
        assert client.get(f"/workspace/dashboards/indices/export.{fmt}").status_code == 404
    assert sign_in("chutich.tinh").get("/workspace/dashboards/indices/export.csv").status_code == 404


def test_the_indices_page_shows_the_platform_figures_of_the_dti_year(indices, sign_in):
    import datetime as dt
    from zoneinfo import ZoneInfo

    from dossiers.models import Dossier
    from indices.rollups import rebuild_range
    from tests.factories import make_procedure

    procedure = make_procedure(agencies=[indices.agencies["STP"]], code="9.160001")
    ready = dt.datetime(2024, 6, 3, 10, tzinfo=ZoneInfo("Asia/Ho_Chi_Minh"))
    for number, outcome in enumerate(("on_time", "on_time", "late"), start=1):
        Dossier.objects.create(code=f"DTI-{number}", procedure_version=procedure.current,
                               agency=indices.agencies["STP"], applicant=indices.users["congdan@example.vn"],
                               applicant_name="Nguyễn Thị Hồng", status="result_ready", channel="online",
                               submitted_at=ready, received_at=ready, due_at=ready, result_ready_at=ready,
                               outcome=outcome)
    rebuild_range(dt.date(2024, 6, 3), dt.date(2024, 6, 3))
    page = sign_in("chutich.tinh").get("/workspace/dashboards/indices/?year=2024").content.decode()
    assert "Số liệu của chính hệ thống năm 2024" in page
    assert "66,7 (2/3)" in page  # 2 of 3 settled on time, from the roll-ups (Vietnamese decimal comma)
    assert "Quyết định 766, nhóm 2: Tiến độ giải quyết" in page
