"""Catalog import and export: JSON (the layout of services.export_catalog) and Excel.

The Excel workbook has two sheets, "Thủ tục" (one row per procedure; fees and e-form as JSON
text) and "Thành phần hồ sơ" (one row per paper), so that officials can review and edit the
catalog in a spreadsheet and import it back.
"""

import io
import json

from openpyxl import Workbook, load_workbook

PROCEDURE_COLUMNS = ["code", "name", "field_code", "field_name", "level", "kind", "old_level", "agencies",
                     "time_limit_kind", "time_limit", "time_limit_cutoff", "fees", "result_type", "legal_basis", "requirements_text", "form_schema"]
PAPER_COLUMNS = ["procedure_code", "name", "required", "copies", "accepted_types", "max_size_mb"]
PROCEDURE_SHEET, PAPER_SHEET = "Thủ tục", "Thành phần hồ sơ"


class CatalogFileError(ValueError):
    pass


def to_xlsx(items: list[dict]) -> bytes:
    workbook = Workbook()
    sheet = workbook.active
    sheet.title = PROCEDURE_SHEET
    sheet.append(PROCEDURE_COLUMNS)
    papers = workbook.create_sheet(PAPER_SHEET)
    papers.append(PAPER_COLUMNS)
    for item in items:
        sheet.append([
            item["code"], item["name"], item["field"]["code"], item["field"]["name"], item["level"], item["kind"],
            item["old_level"], ",".join(item["agencies"]), item["time_limit_kind"], item["time_limit"],
            item.get("time_limit_cutoff") or "",
            json.dumps(item["fees"], ensure_ascii=False), item["result_type"], item["legal_basis"],
            item["requirements_text"], json.dumps(item["form_schema"], ensure_ascii=False),
        ])
        for paper in item["papers"]:
            papers.append([item["code"], paper["name"], "x" if paper["required"] else "", paper["copies"],
                           ",".join(paper["accepted_types"]), paper["max_size_mb"]])
    buffer = io.BytesIO()
    workbook.save(buffer)
    return buffer.getvalue()


def _rows(sheet, columns):
    rows = sheet.iter_rows(values_only=True)
    header = [str(c or "").strip() for c in next(rows, [])]
    if header[: len(columns)] != columns:
        raise CatalogFileError(f"sheet {sheet.title!r}: the first row must be {', '.join(columns)}")
    for number, row in enumerate(rows, start=2):
        if any(value not in (None, "") for value in row):
            yield number, dict(zip(columns, row, strict=False))


def from_xlsx(data: bytes) -> list[dict]:
    """Items for services.import_catalog; a faulty row is reported with its sheet and row."""
    workbook = load_workbook(io.BytesIO(data), read_only=True)
    try:
        procedure_sheet, paper_sheet = workbook[PROCEDURE_SHEET], workbook[PAPER_SHEET]
    except KeyError as error:
        raise CatalogFileError(f"the workbook needs the sheets {PROCEDURE_SHEET!r} and {PAPER_SHEET!r}") from error
    papers: dict[str, list[dict]] = {}
    for _number, row in _rows(paper_sheet, PAPER_COLUMNS):
        papers.setdefault(str(row["procedure_code"]), []).append({
            "name": row["name"], "required": bool(row["required"]), "copies": row["copies"] or "",
            "accepted_types": [t.strip() for t in str(row["accepted_types"] or "").split(",") if t.strip()],
            "max_size_mb": int(row["max_size_mb"] or 10),
        })
    items = []
    for number, row in _rows(procedure_sheet, PROCEDURE_COLUMNS):
        try:
            items.append({
                "code": str(row["code"]), "name": row["name"],
                "field": {"code": row["field_code"], "name": row["field_name"]},
                "level": row["level"], "kind": row["kind"], "old_level": int(row["old_level"]),
                "agencies": [c.strip() for c in str(row["agencies"] or "").split(",") if c.strip()],
                "time_limit_kind": row["time_limit_kind"] or "working_days", "time_limit": float(row["time_limit"]),
                "time_limit_cutoff": str(row["time_limit_cutoff"] or "")[:5] or None,
                "fees": json.loads(row["fees"] or "[]"),
                "result_type": row["result_type"] or "", "legal_basis": row["legal_basis"] or "",
                "requirements_text": row["requirements_text"] or "",
                "form_schema": json.loads(row["form_schema"] or "{}"), "papers": papers.get(str(row["code"]), []),
            })
        except (TypeError, ValueError) as error:
            raise CatalogFileError(f"sheet {PROCEDURE_SHEET!r}, row {number}: {error}") from error
    return items
