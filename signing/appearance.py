"""How a signature looks on the page: the fonts (Liberation Serif, with Vietnamese marks), the
signer's image or the agency's seal, the verification QR code, and the stamp style that lays the
image over the signature box with "Ký bởi" and "Thời gian ký" under it. ``signing.pades`` applies it."""

from __future__ import annotations

import datetime as dt
import functools
import hashlib
import logging
import os
import tempfile
from dataclasses import dataclass
from pathlib import Path
from zoneinfo import ZoneInfo

from PIL import Image, ImageDraw, ImageFont
from pyhanko.pdf_utils import layout
from pyhanko.pdf_utils.font.opentype import GlyphAccumulatorFactory
from pyhanko.pdf_utils.images import PdfImage
from pyhanko.pdf_utils.text import TextBoxStyle
from pyhanko.stamp import TextStampStyle

from .placement import TEXT_BAND, Box, image_box

# fontTools warns about every font table it cannot subset (harmless).
logging.getLogger("fontTools.subset").setLevel(logging.ERROR)

FONT_DIR = Path(__file__).resolve().parent.parent / "egov" / "fonts"
FONT = FONT_DIR / "LiberationSerif-Regular.ttf"
FONT_BOLD = FONT_DIR / "LiberationSerif-Bold.ttf"
FONT_ITALIC = FONT_DIR / "LiberationSerif-Italic.ttf"
VN = ZoneInfo("Asia/Ho_Chi_Minh")


@dataclass(frozen=True)
class Appearance:
    """What the signature shows: the image (signature or seal) and the signer's name."""

    name: str
    image: Image.Image | None = None
    seal: bool = False


# --- images --------------------------------------------------------------------------------------

def default_signature_image(name: str) -> Image.Image:
    """A drawn signature placeholder in blue ink when the official uploaded no image."""
    img = Image.new("RGBA", (360, 160), (255, 255, 255, 0))
    draw = ImageDraw.Draw(img)
    points = [(20 + i * 8, 90 + int(30 * ((-1) ** i) * (0.4 + (i % 5) / 6))) for i in range(40)]
    draw.line(points, fill=(20, 40, 160, 255), width=4, joint="curve")
    draw.line([(30, 130), (330, 110)], fill=(20, 40, 160, 255), width=3)
    return img


def default_seal_image(agency_name: str, code: str) -> Image.Image:
    """A round red seal (con dấu) with the agency's name and identifier code."""
    size = 400
    img = Image.new("RGBA", (size, size), (255, 255, 255, 0))
    draw = ImageDraw.Draw(img)
    red = (200, 20, 20, 235)
    draw.ellipse((8, 8, size - 8, size - 8), outline=red, width=12)
    draw.ellipse((60, 60, size - 60, size - 60), outline=red, width=5)
    large = ImageFont.truetype(str(FONT_BOLD), 30)
    small = ImageFont.truetype(str(FONT_BOLD), 24)
    words = agency_name.upper().split()
    lines, line = [], ""
    for word in words:
        if len(line) + len(word) > 14 and line:
            lines.append(line)
            line = word
        else:
            line = f"{line} {word}".strip()
    lines.append(line)
    y = size / 2 - 20 * len(lines)
    for text in lines:
        draw.text((size / 2, y), text, fill=red, font=large, anchor="mm")
        y += 38
    draw.text((size / 2, y + 10), code, fill=red, font=small, anchor="mm")
    draw.text((size / 2, 36), "★", fill=red, font=small, anchor="mm")
    return img


def qr_image(url: str) -> Image.Image:
    import qrcode

    code = qrcode.QRCode(border=1, box_size=6, error_correction=qrcode.constants.ERROR_CORRECT_M)
    code.add_data(url)
    code.make(fit=True)
    return code.make_image(fill_color="black", back_color="white").get_image().convert("RGB")


@functools.lru_cache(maxsize=4)
def font(path: str, size: int) -> GlyphAccumulatorFactory:
    return GlyphAccumulatorFactory(thousand_units(path), font_size=size)


@functools.lru_cache(maxsize=4)
def thousand_units(path: str) -> str:
    """``path``, or a copy of the font scaled to 1000 units per em: pyHanko writes the glyph widths
    (``/W``) and kerning in the font's own units where PDF wants thousandths of an em, so a font of
    2048 units (Liberation) is drawn with every letter spaced twice too wide. Scaled once, kept in
    the temporary folder under a name that changes with the font file."""
    from fontTools.ttLib import TTFont
    from fontTools.ttLib.scaleUpem import scale_upem

    font = TTFont(path)
    if font["head"].unitsPerEm == 1000:
        return path
    source = Path(path)
    digest = hashlib.sha256(source.read_bytes()).hexdigest()[:16]
    target = Path(tempfile.gettempdir()) / "egov-fonts" / f"{source.stem}-{digest}-1000.ttf"
    if not target.exists():
        target.parent.mkdir(parents=True, exist_ok=True)
        scale_upem(font, 1000)
        partial = target.with_name(f"{target.name}.{os.getpid()}.part")
        font.save(str(partial))
        os.replace(partial, target)  # another process scaling it at the same time writes the same bytes
    return str(target)


def local_time(moment: dt.datetime | None = None) -> str:
    moment = (moment or dt.datetime.now(dt.UTC)).astimezone(VN)
    return moment.strftime("%H:%M:%S ngày %d/%m/%Y (GMT+7)")


# --- the stamp ------------------------------------------------------------------------------------

def fit_image(image: Image.Image, box: Box) -> Image.Image:
    """The signer's image cropped to its ink and laid on a transparent canvas of exactly ``box``'s
    shape, the ink as wide as the canvas when it is the wider of the two: so the image's left third
    is the box's left third, where the seal goes (:func:`placement.seal_box`)."""
    image = image.convert("RGBA")
    ink = image.getchannel("A").point(lambda a: 255 if a > 8 else 0).getbbox()
    if ink:
        image = image.crop(ink)
    aspect = box.width / box.height
    width, height = image.size
    if width / height >= aspect:
        canvas = Image.new("RGBA", (width, max(1, round(width / aspect))), (255, 255, 255, 0))
        canvas.paste(image, (0, (canvas.height - height) // 2))
    else:
        canvas = Image.new("RGBA", (max(1, round(height * aspect)), height), (255, 255, 255, 0))
        canvas.paste(image, ((canvas.width - width) // 2, 0))
    return canvas


def stamp_style(appearance: Appearance, box: Box | None = None) -> TextStampStyle:
    """The seal: its image alone (the agency is in it; its signature's details are in the signature).
    The official: the image over the whole signature but the text band at the bottom, where "Ký bởi"
    and "Thời gian ký" are written, made smaller rather than cut off when the name is long."""
    image = appearance.image
    if appearance.seal:
        return TextStampStyle(
            stamp_text=" ", border_width=0, text_box_style=TextBoxStyle(font=font(str(FONT), 5), font_size=5),
            background=PdfImage(image) if image is not None else None, background_opacity=1.0)
    if image is not None and box is not None:
        image = fit_image(image, image_box(box))
    return TextStampStyle(
        stamp_text="Ký bởi: %(ky_boi)s\nThời gian ký: %(thoi_gian)s", border_width=0,
        text_box_style=TextBoxStyle(font=font(str(FONT), 8), font_size=8, leading=9),
        background=PdfImage(image) if image is not None else None, background_opacity=1.0,
        background_layout=layout.SimpleBoxLayoutRule(
            x_align=layout.AxisAlignment.ALIGN_MIN, y_align=layout.AxisAlignment.ALIGN_MAX,
            margins=layout.Margins(bottom=TEXT_BAND)),
        inner_content_layout=layout.SimpleBoxLayoutRule(
            x_align=layout.AxisAlignment.ALIGN_MID, y_align=layout.AxisAlignment.ALIGN_MIN,
            margins=layout.Margins(left=1, right=1, bottom=1), inner_content_scaling=layout.InnerScaling.SHRINK_TO_FIT),
    )
