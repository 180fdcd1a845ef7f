"""How a signature looks on the page: the fonts (Liberation Serif, with Vietnamese marks), the
signer's image or the agency's seal, the verification QR code, and the stamp style that lays the
image over the signature box with "Ký bởi" and "Thời gian ký" under it. ``signing.pades`` applies it."""

from __future__ import annotations

import collections
import datetime as dt
import functools
import hashlib
import logging
import os
import tempfile
import threading
import zlib
from dataclasses import dataclass
from pathlib import Path
from zoneinfo import ZoneInfo

from PIL import Image, ImageDraw, ImageFont
from pyhanko.pdf_utils import generic, layout
from pyhanko.pdf_utils.images import PdfImage
from pyhanko.pdf_utils.text import TextBoxStyle
from pyhanko.stamp import TextStampStyle

from .fonts import CachedSubsetFactory
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


@functools.lru_cache(maxsize=16)
def font(path: str, size: float) -> CachedSubsetFactory:
    """The font engine factory for ``path`` at ``size`` (its subsets kept, see ``signing.fonts``)."""
    return CachedSubsetFactory(thousand_units(path), font_size=size)


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


@dataclass(frozen=True)
class _Encoded:
    """An image XObject's parts, Flate-compressed: colour (RGB or grey) and the soft mask."""

    width: int
    height: int
    grey: bool
    data: bytes
    mask: _Encoded | None = None

    def write(self, writer) -> generic.IndirectObject:
        """The XObject in ``writer``: what ``pyhanko.pdf_utils.images.pil_image`` writes."""
        entries = {
            generic.NameObject("/Type"): generic.NameObject("/XObject"),
            generic.NameObject("/Subtype"): generic.NameObject("/Image"),
            generic.NameObject("/Width"): generic.NumberObject(self.width),
            generic.NameObject("/Height"): generic.NumberObject(self.height),
            generic.NameObject("/ColorSpace"): generic.NameObject("/DeviceGray" if self.grey else "/DeviceRGB"),
            generic.NameObject("/BitsPerComponent"): generic.NumberObject(8),
            generic.NameObject("/Filter"): generic.NameObject("/FlateDecode"),
        }
        if self.mask is not None:
            entries[generic.NameObject("/SMask")] = self.mask.write(writer)
        return writer.add_object(generic.StreamObject(entries, encoded_data=self.data))


def _encode(image: Image.Image) -> _Encoded:
    mask = _encode(image.getchannel("A")) if image.mode in ("RGBA", "LA") else None
    plain = image.convert("L" if image.mode in ("L", "LA") else "RGB")
    return _Encoded(width=plain.width, height=plain.height, grey=plain.mode == "L",
                    data=zlib.compress(plain.tobytes()), mask=mask)


class KeptImage(PdfImage):
    """A ``PdfImage`` whose XObject is encoded once per image (:func:`kept_image`) and written into
    every signature from the kept bytes: fitting, splitting the alpha channel and compressing the
    signer's image took more time than the signature itself."""

    def __init__(self, image: Image.Image, encoded: _Encoded):
        super().__init__(image)
        self._encoded = encoded

    @property
    def image_ref(self) -> generic.IndirectObject:
        ref = self._image_ref
        if ref is None or ref.get_pdf_handler() is not self.writer:
            self._image_ref = ref = self._encoded.write(self.writer)
        return ref


_images: collections.OrderedDict[tuple, tuple[Image.Image, _Encoded]] = collections.OrderedDict()
_images_lock = threading.Lock()


def kept_image(image: Image.Image, fit_to: Box | None = None) -> PdfImage:
    """``image`` (fitted to ``fit_to``'s shape, :func:`fit_image`) as a :class:`KeptImage`; images
    of other modes (palette…) as pyHanko's own ``PdfImage``."""
    if image.mode not in ("RGB", "RGBA", "L", "LA") and fit_to is None:
        return PdfImage(image)
    key = (hashlib.sha256(image.tobytes()).digest(), image.mode, image.size,
           None if fit_to is None else (round(fit_to.width, 3), round(fit_to.height, 3)))
    with _images_lock:
        found = _images.get(key)
    if found is None:
        fitted = fit_image(image, fit_to) if fit_to is not None else image
        found = (fitted, _encode(fitted))
        with _images_lock:
            _images[key] = found
            while len(_images) > 32:
                _images.popitem(last=False)
    return KeptImage(*found)


def stamp_style(appearance: Appearance, box: Box | None = None) -> TextStampStyle:
    """The seal: its image alone (the agency is in it; its signature's details are in the signature).
    The official: the image over the whole signature but the text band at the bottom, where "Ký bởi"
    and "Thời gian ký" are written, made smaller rather than cut off when the name is long."""
    image = appearance.image
    if appearance.seal:
        return TextStampStyle(
            stamp_text=" ", border_width=0, text_box_style=TextBoxStyle(font=font(str(FONT), 5), font_size=5),
            background=kept_image(image) if image is not None else None, background_opacity=1.0)
    return TextStampStyle(
        stamp_text="Ký bởi: %(ky_boi)s\nThời gian ký: %(thoi_gian)s", border_width=0,
        text_box_style=TextBoxStyle(font=font(str(FONT), 8), font_size=8, leading=9),
        background=None if image is None else kept_image(image, image_box(box) if box is not None else None),
        background_opacity=1.0,
        background_layout=layout.SimpleBoxLayoutRule(
            x_align=layout.AxisAlignment.ALIGN_MIN, y_align=layout.AxisAlignment.ALIGN_MAX,
            margins=layout.Margins(bottom=TEXT_BAND)),
        inner_content_layout=layout.SimpleBoxLayoutRule(
            x_align=layout.AxisAlignment.ALIGN_MID, y_align=layout.AxisAlignment.ALIGN_MIN,
            margins=layout.Margins(left=1, right=1, bottom=1), inner_content_scaling=layout.InnerScaling.SHRINK_TO_FIT),
    )
