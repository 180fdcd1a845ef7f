"""The spending report in Excel holds the same figures as the page."""

import io

from openpyxl import load_workbook


def test_spending_excel_lists_agency_source_year_and_amounts(sign_in, stp_project):
    response = sign_in("quantri.tinh").get("/workspace/it-planning/reports/spending/?year=2027&format=xlsx")
    assert response.status_code == 200
    assert response["Content-Type"].startswith("application/vnd.openxmlformats")
    sheet = load_workbook(io.BytesIO(response.content)).active
    rows = [tuple(c for c in row) for row in sheet.iter_rows(values_only=True)]
    agency = stp_project.agency.name
    assert (agency, "ngân sách trung ương", 2027, 750000000, 0, 0.0) in rows  # the page's language
    provincial = next(r for r in rows if r[0] == agency and r[2] == 2027 and r[3] == 1250000000)
    assert provincial[4] == 625000000 and provincial[5] == 50.0
    total = rows[-1]
    assert total[3:5] == (2000000000, 625000000)  # 750,000,000 + 1,250,000,000; 500,000,000 + 125,000,000
    assert sheet["D5"].number_format == "#,##0"


def test_spending_page_shows_the_same_total(sign_in, stp_project):
    page = sign_in("quantri.tinh").get("/workspace/it-planning/reports/spending/?year=2027").content.decode()
    assert "2.000.000.000 đ" in page and "625.000.000 đ" in page
