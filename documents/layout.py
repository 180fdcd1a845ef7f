"""An outgoing document laid out for signing (thể thức văn bản, Decree 30/2020/NĐ-CP, Appendix I),
rendered to PDF by the platform's own layout (``dossiers.pdf``: Liberation Serif bundled and
embedded, the one official heading ``dossiers/slips/_heading.html``).

The number and the date stay blank ("Số: ……/……", "ngày … tháng … năm …"): the clerk's seal
signature fills them at issuance (``signing.placement.locate_placeholders``). The signer's authority
is the placeholder "QUYỀN HẠN, CHỨC VỤ CỦA NGƯỜI KÝ", stamped at signing with the authority the
leader signs with (``signing.services.result_signature``). An official letter (công văn) carries
its abstract as "V/v …" under the number; every other type has its name as title and the abstract
under it ("Về việc …" for a decision)."""

from __future__ import annotations

from django.template.loader import render_to_string

from dossiers.pdf import heading, html_to_pdf, place_of

from .models import Document

NUMBER_BLANK = "Số: ……/……"
TEMPLATE = "documents/outgoing/layout.html"
# Types whose abstract reads "Về việc …" under the name (Appendix I, 3: decisions, resolutions…);
# the others (plans, reports, notices…) print the abstract itself.
ABOUT_TYPES = {"NQ", "QĐ", "CT", "TTr"}


def _lines(text: str) -> list[str]:
    return [line.strip() for line in (text or "").splitlines() if line.strip()]


def _recipients(text: str) -> list[str]:
    return [line.lstrip("-–• ").rstrip(";.").strip() for line in _lines(text)] or ["Lưu: VT"]


def context(document: Document) -> dict:
    kind = document.document_type
    abstract = " ".join(document.abstract.split())
    if kind.is_letter:
        title, summary, letter_abstract = "", "", abstract
    else:
        about = kind.abbreviation in ABOUT_TYPES and not abstract.lower().startswith("về việc")
        title, summary, letter_abstract = kind.name, (f"Về việc {abstract}" if about else abstract), ""
    return {
        "title": title, "summary": summary, "letter_abstract": letter_abstract,
        "heading": heading(document.agency), "number": NUMBER_BLANK,
        "place_date": f"{place_of(document.agency)}, ngày … tháng … năm …",
        "paragraphs": _lines(document.body), "recipients": _recipients(document.recipients_text),
    }


def render(document: Document, version: int = 0) -> bytes:
    """The document's PDF as it stands now (as ``version``), ready for the leader's signature."""
    values = context(document) | {"identity": f"{document.agency.code}-{document.pk}-v{version}"}
    return html_to_pdf(render_to_string(TEMPLATE, values))
