"""Text in signature appearances and stamps without subsetting the font for every signature.

pyHanko's font engine (``GlyphAccumulator``) reads the font file, parses it and, when the PDF is
written, subsets it with fontTools: ~50 ms of every visible signature, ~90 % of its time, to embed
the same few dozen glyphs again and again. :class:`CachedSubsetFactory` makes engines that

* share one parsed font per file and process (HarfBuzz face for shaping, the glyph widths, the
  names), read in full once so that threads can share it;
* embed a subset made once per set of glyphs and kept (``SUBSET_CACHE_SIZE`` sets per process):
  the glyphs of the text plus every digit and the usual punctuation, so the time and date in
  "Thời gian ký" do not make a new subset every second; a signer's name adds its letters.

The PDF objects are pyHanko's own (Type 0 font, CIDFontType2 with identity CID-to-GID map, /W
from the glyphs used, ToUnicode, ActualText spans): only where the font program comes from differs.
Relies on ``GlyphAccumulator`` internals of pyHanko 0.38 (its ``shape`` and attribute names);
``tests/test_signing_cache.py`` compares the shaping with pyHanko's own engine.
"""

from __future__ import annotations

import collections
import io
import threading
import zlib
from dataclasses import dataclass

import uharfbuzz as hb
from fontTools import subset, ttLib
from pyhanko.pdf_utils import generic
from pyhanko.pdf_utils.font.api import FontEngine
from pyhanko.pdf_utils.font.opentype import (
    CIDFontType2,
    GlyphAccumulator,
    GlyphAccumulatorFactory,
    _build_type0_font_from_cidfont,
    _read_ps_name,
)

# Always in the embedded subset: digits and punctuation of times, dates and numbers.
BASE_TEXT = "0123456789 .,:;/()+-–_%#*\"'"
SUBSET_CACHE_SIZE = 64
# Tables every engine reads (metrics, names, the font descriptor); loaded once, before sharing.
_TABLES = ("head", "hhea", "maxp", "OS/2", "post", "name", "cmap", "hmtx")


@dataclass(frozen=True)
class _Face:
    """One font file, parsed once per process and only read afterwards."""

    path: str
    data: bytes
    tt: ttLib.TTFont
    hb_font: hb.Font
    ps_name: str
    units_per_em: int
    glyph_order: tuple[str, ...]
    widths: tuple[int, ...]
    reverse_cmap: dict
    base_gids: frozenset[int]


_faces: dict[str, _Face] = {}
_subsets: collections.OrderedDict[tuple[str, frozenset[int]], bytes] = collections.OrderedDict()
_lock = threading.Lock()
subsets_made = 0  # how many subsets this process has made (tests, benchmark)


def face(path: str) -> _Face | None:
    """The shared parsed font; ``None`` for a CFF-flavoured font (pyHanko's engine handles those)."""
    found = _faces.get(path)
    if found is not None:
        return found
    with _lock:
        found = _faces.get(path)
        if found is None:
            with open(path, "rb") as handle:
                data = handle.read()
            tt = ttLib.TTFont(io.BytesIO(data))
            if "CFF " in tt:
                return None
            for tag in _TABLES:
                tt[tag]  # noqa: B018 - decompile now, not lazily in some thread later
            order = tuple(tt.getGlyphOrder())
            metrics = tt["hmtx"].metrics
            cmap = tt.getBestCmap()
            base = frozenset(order.index(cmap[ord(c)]) for c in BASE_TEXT if ord(c) in cmap)
            found = _Face(path=path, data=data, tt=tt, hb_font=hb.Font(hb.Face(data)), ps_name=_read_ps_name(tt),
                          units_per_em=tt["head"].unitsPerEm, glyph_order=order,
                          widths=tuple(metrics[name][0] for name in order),
                          reverse_cmap=tt["cmap"].buildReversed(), base_gids=base)
            _faces[path] = found
        return found


def font_program(found: _Face, gids: frozenset[int]) -> bytes:
    """The Flate-compressed TrueType program of ``found`` subset to ``gids`` and the base glyphs,
    with pyHanko's subsetting options (glyph ids kept, layout tables dropped); made once per set."""
    global subsets_made
    key = (found.path, gids | found.base_gids)
    with _lock:
        program = _subsets.get(key)
        if program is not None:
            _subsets.move_to_end(key)
            return program
    options = subset.Options(layout_closure=False)
    options.drop_tables += ["GPOS", "GDEF", "GSUB"]
    options.retain_gids = True
    tt = ttLib.TTFont(io.BytesIO(found.data))  # subsetting rewrites the font it is given
    subsetter = subset.Subsetter(options=options)
    subsetter.populate(gids=sorted(key[1]))
    subsetter.subset(tt)
    out = io.BytesIO()
    tt.save(out)
    program = zlib.compress(out.getvalue())
    with _lock:
        subsets_made += 1
        _subsets[key] = program
        while len(_subsets) > SUBSET_CACHE_SIZE:
            _subsets.popitem(last=False)
    return program


class _KeptProgramFont(CIDFontType2):
    """pyHanko's CIDFontType2 whose font file is the kept subset."""

    program: bytes = b""

    def set_font_file(self, writer):
        stream = generic.StreamObject({generic.NameObject("/Filter"): generic.NameObject("/FlateDecode")},
                                      encoded_data=self.program)
        ref = writer.add_object(stream)
        self._font_descriptor[generic.NameObject("/FontFile2")] = ref
        return ref


class CachedSubsetAccumulator(GlyphAccumulator):
    """pyHanko's ``GlyphAccumulator`` (shaping, ActualText, ToUnicode) on a shared :class:`_Face`,
    embedding a kept subset (:func:`font_program`) instead of subsetting its own copy."""

    def __init__(self, writer, found: _Face, font_size, obj_stream=None):
        FontEngine.__init__(self, writer, found.ps_name, embedded_subset=True, obj_stream=obj_stream,
                            font_size=font_size)
        self._face = found
        self.hb_font = found.hb_font
        self.tt = found.tt
        self._font_ref = writer.allocate_placeholder()
        self.cff_charset = None
        self.use_raw_gids = True
        self.cidfont_obj = _KeptProgramFont(found.tt, found.ps_name, self.subset_prefix)
        self.features = None
        self.units_per_em = found.units_per_em
        self._glyphs: dict[int, tuple[int, int]] = {}
        self._cid_to_unicode: dict[int, str] = {}
        self.ot_language_tag = self.ot_script_tag = self.writing_direction = self.bcp47_lang_code = None
        self._subset_created = self._write_prepared = False

    @property
    def _reverse_cmap(self):
        return self._face.reverse_cmap

    def _get_cid_and_width(self, glyph_id: int) -> tuple[int, int]:
        found = self._glyphs.get(glyph_id)
        if found is None:  # TrueType with identity CID-to-GID map: the CID is the glyph id
            found = self._glyphs[glyph_id] = (glyph_id, self._face.widths[glyph_id])
        return found

    def prepare_write(self):
        if self._write_prepared:
            return
        self.cidfont_obj.program = font_program(self._face, frozenset(self._glyphs))
        type0 = _build_type0_font_from_cidfont(
            writer=self.writer, cidfont_obj=self.cidfont_obj,
            widths_by_cid_iter=iter(sorted(self._glyphs.values(), key=lambda t: t[0])),
            obj_stream=self.obj_stream, vertical=False)
        type0["/ToUnicode"] = self.writer.add_object(self._format_tounicode_cmap())
        self.writer.add_object(type0, self.obj_stream, idnum=self._font_ref.idnum)
        self._write_prepared = True


@dataclass(frozen=True)
class CachedSubsetFactory(GlyphAccumulatorFactory):
    """A drop-in ``GlyphAccumulatorFactory`` (``TextBoxStyle(font=...)``) making
    :class:`CachedSubsetAccumulator` engines; pyHanko's own for a font it cannot share."""

    def create_font_engine(self, writer, obj_stream=None):
        found = face(self.font_file)
        if found is None:
            return super().create_font_engine(writer, obj_stream)
        if obj_stream is None and writer.stream_xrefs and self.create_objstream_if_needed:
            obj_stream = writer.prepare_object_stream()
        return CachedSubsetAccumulator(writer, found, self.font_size, obj_stream=obj_stream)


def clear() -> None:
    global subsets_made
    with _lock:
        _faces.clear()
        _subsets.clear()
        subsets_made = 0
