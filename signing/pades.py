"""PAdES signing of PDF bytes with pyHanko: the RFC 3161 timestamp and the embedded validation data
(B-LT), the verification QR code and the number/date form fields the clerk fills at issuance
(prepared before the first signature), and the locks (the first signature certifies, the seal
allows no later change). How a signature looks is ``signing.appearance``.

No CMS or PDF signature code is written here: pyHanko builds and embeds the signatures.
"""

from __future__ import annotations

import asyncio
import io
from pathlib import Path

from pyhanko.pdf_utils import generic, layout
from pyhanko.pdf_utils.images import PdfImage
from pyhanko.pdf_utils.incremental_writer import IncrementalPdfFileWriter
from pyhanko.pdf_utils.text import TextBoxStyle
from pyhanko.pdf_utils.writer import init_xobject_dictionary
from pyhanko.sign import fields, signers
from pyhanko.sign.fields import MDPPerm
from pyhanko.stamp import TextStamp, TextStampStyle

from . import aio, revocation
from .appearance import (
    FONT,
    FONT_BOLD,
    FONT_ITALIC,
    Appearance,
    font,
    local_time,
    qr_image,
    stamp_style,
)
from .appearance import font as font_engine  # _appearance_stream's parameter is named font
from .placement import (  # noqa: F401 - the placement rules, used through this module by the services
    AUTHORITY_LINES,
    AUTHORITY_PLACEHOLDER,
    DATE_FIELD,
    NUMBER_FIELD,
    SIGNATURE_SIZE,
    TEXT_BAND,
    Box,
    date_text,
    image_box,
    line_metrics,
    locate_authority,
    locate_placeholders,
    seal_box,
    signature_box_under,
    words,
)

# Room for the CMS signature: measured sizes plus margin (RSA-2048, chain of three, a timestamp
# token with its TSA chain). Reserving avoids pyHanko's dry-run signature used for estimation.
RESERVED_BB = 12 * 1024
RESERVED_WITH_TS = 24 * 1024


# --- preparing a document before the first signature ---------------------------------------------

def prepare(pdf_bytes: bytes, *, verification_url: str = "", number_box: Box | None = None,
            date_box: Box | None = None, authority: tuple[str, ...] | list[str] = (),
            authority_box: Box | None = None, signer_name: str = "", name_box: Box | None = None) -> bytes:
    """Stamp the verification QR code and link, the signer's ``authority`` over its placeholder at
    ``authority_box`` ("KT. GIÁM ĐỐC" / "PHÓ GIÁM ĐỐC", Decree 30/2020 Appendix I) and their full name
    ``signer_name`` at ``name_box`` under the signature, and add the empty
    text fields the clerk fills in at issuance (document number and date). Done once, before any
    signature, so the signature covers all of it."""
    writer = IncrementalPdfFileWriter(io.BytesIO(pdf_bytes))
    if authority and authority_box is not None:
        stamp_lines(writer, authority_box, list(authority))
    if signer_name and name_box is not None:
        stamp_lines(writer, name_box, [signer_name], rows=1)
    if verification_url:
        style = TextStampStyle(
            stamp_text="Tra cứu văn bản điện tử:\n%(url)s",
            text_box_style=TextBoxStyle(font=font(str(FONT), 7)),
            background=PdfImage(qr_image(verification_url)), background_opacity=1.0, border_width=0,
            background_layout=layout.SimpleBoxLayoutRule(
                x_align=layout.AxisAlignment.ALIGN_MIN, y_align=layout.AxisAlignment.ALIGN_MID),
            inner_content_layout=layout.SimpleBoxLayoutRule(
                x_align=layout.AxisAlignment.ALIGN_MIN, y_align=layout.AxisAlignment.ALIGN_MID,
                margins=layout.Margins(left=62, right=2, top=2, bottom=2)),
        )
        stamp = TextStamp(writer, style, text_params={"url": verification_url},
                          box=layout.BoxConstraints(width=300, height=58))
        stamp.apply(0, 40, 14)
    located = locate_placeholders(pdf_bytes)
    for name, box in ((NUMBER_FIELD, number_box or located.get(NUMBER_FIELD)),
                      (DATE_FIELD, date_box or located.get(DATE_FIELD))):
        if box is not None:
            _add_text_field(writer, name, box)
    out = io.BytesIO()
    writer.write(out)
    return out.getvalue()


def _add_text_field(writer, name: str, box: Box) -> None:
    root = writer.root
    if "/AcroForm" not in root:
        root["/AcroForm"] = writer.add_object(generic.DictionaryObject({generic.NameObject("/Fields"): generic.ArrayObject()}))
        writer.update_root()
    form = root["/AcroForm"]
    page_ref = _page_ref_of(writer, box.page)
    empty = writer.add_object(_appearance_stream(writer, "", box))
    field = generic.DictionaryObject({
        generic.NameObject("/FT"): generic.NameObject("/Tx"),
        generic.NameObject("/T"): generic.TextStringObject(name),
        generic.NameObject("/V"): generic.TextStringObject(""),
        generic.NameObject("/DA"): generic.TextStringObject("/Helv 12 Tf 0 g"),
        generic.NameObject("/Ff"): generic.NumberObject(1),  # read-only for viewers; filled by the platform
        generic.NameObject("/Type"): generic.NameObject("/Annot"),
        generic.NameObject("/Subtype"): generic.NameObject("/Widget"),
        generic.NameObject("/F"): generic.NumberObject(4),
        generic.NameObject("/Rect"): generic.ArrayObject(generic.FloatObject(v) for v in (box.x1, box.y1, box.x2, box.y2)),
        generic.NameObject("/P"): page_ref,
        generic.NameObject("/AP"): generic.DictionaryObject({generic.NameObject("/N"): empty}),
    })
    field_ref = writer.add_object(field)
    fields_array = form["/Fields"]
    fields_array.append(field_ref)
    writer.update_container(fields_array)
    page = page_ref.get_object()
    annots = page.get("/Annots")
    if annots is None:
        page["/Annots"] = generic.ArrayObject([field_ref])
        writer.update_container(page)
    else:
        annots = annots.get_object() if isinstance(annots, generic.IndirectObject) else annots
        annots.append(field_ref)
        writer.update_container(annots)


def _page_ref_of(writer, page: int):
    count = int(writer.root["/Pages"]["/Count"])
    page_obj, _ = writer.find_page_for_modification(page % count)
    return page_obj


# The filled number is upright, the date italic, as the lines they complete (print.css: .place-date).
FIELD_FONTS = {NUMBER_FIELD: FONT, DATE_FIELD: FONT_ITALIC}


def _appearance_stream(writer, text: str, box: Box, font: Path = FONT):
    """A form XObject showing ``text`` on white (hiding the dotted placeholder below) in the size and
    on the baseline of the line the field was made over (:func:`placement.line_metrics`), at the
    left where the blank began; a text longer than the field is made smaller, never cut off."""
    if not text:
        return init_xobject_dictionary(command_stream=b"", box_width=box.width, box_height=box.height,
                                       resources=generic.DictionaryObject())
    size, baseline = line_metrics(box)
    engine = font_engine(str(font), size).create_font_engine(writer)
    shaped = engine.shape(text)
    room = box.width - 2
    if shaped.x_advance * size > room:  # shrink to fit: the same text, smaller (the widths scale with it)
        size = room / shaped.x_advance
        engine = font_engine(str(font), size).create_font_engine(writer)
        shaped = engine.shape(text)
    stream = (f"q 1 g 0 0 {box.width:.2f} {box.height:.2f} re f Q "
              f"BT 0 g /F1 {size:.3f} Tf 1 0 0 1 1 {baseline:.3f} Tm ").encode() + shaped.graphics_ops + b" ET"
    resources = generic.DictionaryObject({generic.NameObject("/Font"): generic.DictionaryObject(
        {generic.NameObject("/F1"): engine.as_resource()})})
    return init_xobject_dictionary(command_stream=stream, box_width=box.width, box_height=box.height,
                                   resources=resources)


def fill_fields(writer, values: dict[str, str]) -> None:
    """Fill existing text fields (value and a new appearance stream) in the pending revision: a
    form-filling change that leaves earlier signatures valid."""
    for field_ref in writer.root["/AcroForm"]["/Fields"]:
        field = field_ref.get_object()
        name = str(field.get("/T", ""))
        if name not in values:
            continue
        rect = [float(v) for v in field["/Rect"]]
        box = Box(0, *rect)
        field["/V"] = generic.TextStringObject(values[name])
        stream = writer.add_object(_appearance_stream(writer, values[name], box, FIELD_FONTS.get(name, FONT)))
        field["/AP"] = generic.DictionaryObject({generic.NameObject("/N"): stream})
        writer.update_container(field)


def _words(pdf_bytes: bytes, first: int | None = None, last: int | None = None):
    """(page index, page height, words) per page (see :func:`placement.words`)."""
    return [(page, height, found) for page, _width, height, found in words(pdf_bytes, first, last)]


def stamp_lines(writer, box: Box, lines: list[str], rows: int = AUTHORITY_LINES) -> None:
    """Print ``lines`` centred in ``box`` (``rows`` lines high), one under the other down to its
    bottom, in bold 13 pt, on white (hiding the placeholder below)."""
    page = box.page % int(writer.root["/Pages"]["/Count"])
    # The page's own content is wrapped in q/Q first, as pyHanko does for a stamp: its last
    # transformation (WeasyPrint turns the page upside down) must not move the white box.
    writer.add_stream_to_page(page, writer.add_object(generic.StreamObject(stream_data=b"q")), prepend=True)
    writer.add_stream_to_page(page, writer.add_object(generic.StreamObject(stream_data=b"Q")))
    white = generic.StreamObject(stream_data=(
        f"q 1 g {box.x1:.2f} {box.y1:.2f} {box.width:.2f} {box.height:.2f} re f Q").encode())
    writer.add_stream_to_page(page, writer.add_object(white))
    line_height = box.height / max(len(lines), rows)
    first = max(rows - len(lines), 0)  # the last line at the bottom of the box
    for index, line in enumerate(lines, start=first):
        style = TextStampStyle(
            stamp_text="%(line)s", border_width=0,
            text_box_style=TextBoxStyle(font=font(str(FONT_BOLD), 13), font_size=13),
            inner_content_layout=layout.SimpleBoxLayoutRule(
                x_align=layout.AxisAlignment.ALIGN_MID, y_align=layout.AxisAlignment.ALIGN_MID,
                margins=layout.Margins(0, 0, 0, 0), inner_content_scaling=layout.InnerScaling.SHRINK_TO_FIT))
        # Taller than the line, centred on it: a stamp clips at its box, and Vietnamese capitals carry
        # their marks above the font's nominal height (Ủ, Ố).
        height = line_height + 12
        stamp = TextStamp(writer, style, text_params={"line": line},
                          box=layout.BoxConstraints(width=box.width, height=height))
        stamp.apply(page, box.x1, box.y2 - (index + 0.5) * line_height - height / 2)



# What later revisions may change (ISO 32000-2, 12.8.2.2 DocMDP and 12.8.2.4 FieldMDP): the first
# signature certifies the document and allows only filling in forms and signing existing fields (the
# clerk's number and date, the agency's seal); the seal (the last act of issuance, Decree
# 30/2020/NĐ-CP art. 15) locks every field and allows no change after it but validation data and
# document timestamps. A certified document may not gain new visible signature fields (pyHanko's
# difference analysis, stricter than Acrobat), so the seal's field is declared, empty and already
# locked, in the certified revision of a document prepared for issuance.
CERTIFICATION_PERMISSION = MDPPerm.FILL_FORMS
FINAL_LOCK = {"field_mdp_spec": fields.FieldMDPSpec(action=fields.FieldMDPAction.ALL),
              "doc_mdp_update_value": MDPPerm.NO_CHANGES}
SEAL_FIELD = "DauCoQuan"


def _has_signatures(writer) -> bool:
    return any(True for _ in fields.enumerate_sig_fields(writer.prev, filled_status=True))


def _field_names(writer) -> set[str]:
    form = writer.root.get("/AcroForm")
    if form is None:
        return set()
    return {str(ref.get_object().get("/T", "")) for ref in form.get_object()["/Fields"]}


def _field_spec(name: str, box: Box | None, page_count: int, lock: dict) -> fields.SigFieldSpec:
    if box is None:
        return fields.SigFieldSpec(sig_field_name=name, **lock)
    return fields.SigFieldSpec(sig_field_name=name, on_page=box.page % page_count,
                               box=(int(box.x1), int(box.y1), int(box.x2), int(box.y2)), **lock)


def sign(pdf_bytes: bytes, **options) -> bytes:
    """:func:`sign_async` from synchronous code: one signature, its own HTTP session."""
    return aio.run(sign_async(pdf_bytes, **options))


def sign_many(documents: list[tuple[bytes, dict]], *, concurrency: int = 8) -> list[bytes | Exception]:
    """Sign many documents at once (``(pdf_bytes, options of sign_async)`` each), ``concurrency``
    at a time in one event loop and one HTTP session: while one signature waits for its timestamp,
    the next is built. The result of each, in order, is its PDF or the exception it raised."""

    async def all_of_them():
        gate = asyncio.Semaphore(concurrency)

        async def one(pdf_bytes: bytes, options: dict):
            async with gate:
                return await sign_async(pdf_bytes, **options)

        async with revocation.http_session():
            return await asyncio.gather(*(one(pdf, options) for pdf, options in documents), return_exceptions=True)

    outcomes = aio.run(all_of_them())
    for outcome in outcomes:
        if isinstance(outcome, BaseException) and not isinstance(outcome, Exception):
            raise outcome  # KeyboardInterrupt, cancellation: not one document's failure
    return outcomes


async def sign_async(pdf_bytes: bytes, *, signer, field_name: str, box: Box | None = None,
                     appearance: Appearance | None = None, timestamper=None, validation_context=None,
                     fill: dict[str, str] | None = None, reason: str = "", location: str = "",
                     certify: bool | None = None, final: bool | None = None) -> bytes:
    """Apply one PAdES signature in an incremental update and return the new PDF.

    ``signer`` is a pyHanko signer (see :mod:`signing.signers`); with ``timestamper`` the signature
    gets an RFC 3161 timestamp, with ``validation_context`` the revocation data is embedded (B-LT);
    ``fill`` fills the text fields in the same revision.

    ``certify`` (default: the document carries no signature yet) makes this a certification
    signature allowing only form filling and signatures afterwards; ``final`` (default: a seal, or
    a signature that fills the number and date) locks all fields and allows no later change."""
    writer = IncrementalPdfFileWriter(io.BytesIO(pdf_bytes), strict=False)
    if certify is None:
        certify = not _has_signatures(writer)
    if final is None:
        final = bool(fill) or (appearance is not None and appearance.seal)
    if fill:
        fill_fields(writer, fill)
    count = int(writer.root["/Pages"]["/Count"])
    names = _field_names(writer)
    lock = FINAL_LOCK if final else {}
    field_spec = _field_spec(field_name, box, count, lock) if box is not None or lock else None
    if certify and box is not None and NUMBER_FIELD in names and SEAL_FIELD not in names | {field_name}:
        # The official's field first, then the seal's: widgets are painted in the page's order, and
        # the seal lies over the signature, as a stamp on paper does.
        fields.append_signature_field(writer, field_spec)
        fields.append_signature_field(writer, _field_spec(SEAL_FIELD, seal_box(box), count, FINAL_LOCK))
        field_spec = None  # pyHanko signs the empty field just made
    style = None
    params = None
    if box is not None and appearance is not None:
        style = stamp_style(appearance, box)
        params = {"ky_boi": appearance.name, "thoi_gian": local_time()}
    meta = signers.PdfSignatureMetadata(
        field_name=field_name, md_algorithm="sha256", subfilter=fields.SigSeedSubFilter.PADES,
        embed_validation_info=validation_context is not None, validation_context=validation_context,
        reason=reason or None, location=location or None, use_pades_lta=False, certify=certify,
        docmdp_permissions=MDPPerm.NO_CHANGES if final else CERTIFICATION_PERMISSION)
    pdf_signer = signers.PdfSigner(meta, signer, timestamper=timestamper, stamp_style=style,
                                   new_field_spec=field_spec)
    reserved = RESERVED_WITH_TS if timestamper is not None else RESERVED_BB
    if timestamper is None and validation_context is None:  # B-B: no network
        out = await pdf_signer.async_sign_pdf(writer, bytes_reserved=reserved, appearance_text_params=params)
    else:
        async with revocation.http_session():
            out = await pdf_signer.async_sign_pdf(writer, bytes_reserved=reserved, appearance_text_params=params)
    return out.getvalue()
