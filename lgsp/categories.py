"""The shared categories (danh mục dùng chung) served the LGSP way: each has its fields
(``/dmdc/Metadata/<code>``), its rows (``/dmdc/Category/<code>``) and a version that goes up at every
change. Those another app keeps (administrative units and agencies in ``directory``, document types
and urgency in ``documents``, fields in ``procedures``) are read from it; the reference lists nobody
kept (ethnic groups, religions, nationalities, sex, marital status) are ``CategoryRow`` rows here,
the only ones a client may add to."""

from __future__ import annotations

import re
from collections.abc import Callable
from dataclasses import dataclass, field

from django.db import IntegrityError, transaction
from django.db.models import F
from django.utils import timezone
from django.utils.translation import gettext as _
from django.utils.translation import gettext_lazy, ngettext

from audit.context import Actor, acting_as
from directory.models import AdministrativeUnit, Agency
from documents.models import DocumentType, Urgency
from procedures.models import ProcedureField

from .models import CategoryRow, CategoryVersion, Client


@dataclass(frozen=True)
class Field:
    name: str
    type: str  # string, date, array
    description: str


CODE = Field("ma", "string", "Mã")
NAME = Field("ten", "string", "Tên")
FROM = Field("hieuLucTu", "date", "Hiệu lực từ ngày (YYYY-MM-DD), trống: từ trước")
TO = Field("hieuLucDen", "date", "Hiệu lực đến hết ngày (YYYY-MM-DD), trống: đang hiệu lực")


def _day(value) -> str | None:
    return value.isoformat() if value else None


def _units(history: bool) -> list[dict]:
    units = AdministrativeUnit.objects.select_related("parent").prefetch_related("successors")
    if not history:
        units = units.valid_on()
    return [{"ma": u.code, "ten": u.name, "cap": u.level, "maCha": u.parent.code if u.parent else None,
             "hieuLucTu": _day(u.valid_from), "hieuLucDen": _day(u.valid_to),
             "sapNhapVao": sorted(s.code for s in u.successors.all())} for u in units]


def _agencies(history: bool) -> list[dict]:
    agencies = Agency.objects.select_related("parent", "administrative_unit")
    if not history:
        agencies = agencies.valid_on()
    return [{"ma": a.code, "ten": a.name, "tenVietTat": a.abbreviation, "maCha": a.parent.code if a.parent else None,
             "maDonViHanhChinh": a.administrative_unit.code, "hieuLucTu": _day(a.valid_from),
             "hieuLucDen": _day(a.valid_to)} for a in agencies]


def _document_types(history: bool) -> list[dict]:
    return [{"ma": t.abbreviation, "ten": t.name} for t in DocumentType.objects.order_by("order", "abbreviation")]


def _urgency(history: bool) -> list[dict]:
    return [{"ma": value, "ten": str(label)} for value, label in Urgency.choices]


def _fields(history: bool) -> list[dict]:
    return [{"ma": f.code, "ten": f.name} for f in ProcedureField.objects.order_by("code")]


def _kept_rows(category: str) -> Callable[[bool], list[dict]]:
    def rows(history: bool) -> list[dict]:
        found = CategoryRow.objects.filter(category=category)
        if not history:
            today = timezone.localdate()
            found = found.filter(valid_to__isnull=True) | found.filter(valid_to__gte=today)
        return [{"ma": r.code, "ten": r.name, "hieuLucTu": _day(r.valid_from), "hieuLucDen": _day(r.valid_to)}
                for r in found.order_by("code", "valid_from")]
    return rows


@dataclass(frozen=True)
class Category:
    code: str
    title: str
    fields: tuple[Field, ...]
    rows: Callable[[bool], list[dict]]
    kept_here: bool = False  # rows in CategoryRow: a client with dmdc.write may add to them
    source: str = ""
    watched: tuple[type, ...] = field(default=())  # models whose changes raise its version


KEPT = (CODE, NAME, FROM, TO)
CATEGORIES: dict[str, Category] = {c.code: c for c in (
    Category("DonViHanhChinh", "Đơn vị hành chính (tỉnh, huyện đến 30/6/2025, xã)",
             (CODE, NAME, Field("cap", "string", "Cấp: province, district, commune"),
              Field("maCha", "string", "Mã đơn vị cấp trên"), FROM, TO,
              Field("sapNhapVao", "array", "Mã các đơn vị kế thừa khi sắp xếp, sáp nhập")),
             _units, source="directory", watched=(AdministrativeUnit,)),
    Category("CoQuan", "Cơ quan và mã định danh",
             (Field("ma", "string", "Mã định danh cơ quan"), NAME, Field("tenVietTat", "string", "Tên viết tắt"),
              Field("maCha", "string", "Mã định danh cơ quan cấp trên"),
              Field("maDonViHanhChinh", "string", "Mã đơn vị hành chính"), FROM, TO),
             _agencies, source="directory", watched=(Agency,)),
    Category("LoaiVanBan", "Loại văn bản", (Field("ma", "string", "Chữ viết tắt tên loại"), NAME), _document_types,
             source="documents", watched=(DocumentType,)),
    Category("DoKhan", "Mức độ khẩn", (CODE, NAME), _urgency, source="documents"),
    Category("LinhVuc", "Lĩnh vực thủ tục hành chính", (CODE, NAME), _fields, source="procedures",
             watched=(ProcedureField,)),
    Category("DanToc", "Dân tộc", KEPT, _kept_rows("DanToc"), kept_here=True),
    Category("TonGiao", "Tôn giáo", KEPT, _kept_rows("TonGiao"), kept_here=True),
    Category("QuocTich", "Quốc tịch", KEPT, _kept_rows("QuocTich"), kept_here=True),
    Category("GioiTinh", "Giới tính", KEPT, _kept_rows("GioiTinh"), kept_here=True),
    Category("TinhTrangHonNhan", "Tình trạng hôn nhân", KEPT, _kept_rows("TinhTrangHonNhan"), kept_here=True),
)}


def ensure_reference_rows() -> None:
    """The reference lists the data migration enters, entered again where they are missing (a
    database emptied since, as the tests' live server leaves it). Idempotent."""
    from .reference import all_rows

    for category, entries in all_rows().items():
        if not CategoryRow.objects.filter(category=category).exists():
            CategoryRow.objects.bulk_create([CategoryRow(category=category, code=code, name=name)
                                             for code, name in entries])


def find(code: str) -> Category | None:
    """The category named ``code`` (case does not matter, as in the LGSP guides)."""
    wanted = code.lower()
    return next((c for c in CATEGORIES.values() if c.code.lower() == wanted), None)


def version(category: Category) -> int:
    row = CategoryVersion.objects.filter(category=category.code).values_list("version", flat=True).first()
    return row or 1


def bump(code: str) -> None:
    """One more version of ``code``: called on every change of its rows, in the same transaction."""
    if not CategoryVersion.objects.filter(category=code).update(version=F("version") + 1, changed_at=timezone.now()):
        try:
            with transaction.atomic():
                CategoryVersion.objects.create(category=code, version=2)
        except IntegrityError:
            CategoryVersion.objects.filter(category=code).update(version=F("version") + 1, changed_at=timezone.now())


def metadata(category: Category) -> dict:
    return {"category": category.code, "name": category.title, "version": version(category),
            "writable": category.kept_here,
            "fields": [{"name": f.name, "type": f.type, "description": f.description} for f in category.fields]}


def rows(category: Category, *, history: bool = False) -> dict:
    data = category.rows(history)
    return {"category": category.code, "version": version(category), "total": len(data), "data": data}


@dataclass
class Added:
    added: list[str]
    duplicates: list[str]

    @property
    def message(self) -> str:
        parts = [ngettext("%(n)d row added.", "%(n)d rows added.", len(self.added)) % {"n": len(self.added)}]
        if self.duplicates:
            parts.append(ngettext("%(n)d row refused: its code already exists.",
                                  "%(n)d rows refused: their codes already exist.",
                                  len(self.duplicates)) % {"n": len(self.duplicates)})
        return " ".join(parts)


class BadRows(ValueError):
    """LGSP error 500: the data is incorrect (nothing was added)."""


CODE_PATTERN = re.compile(r"^[A-Za-z0-9._-]{1,20}$")
INVALID = gettext_lazy("Row %(i)d: a code (letters, digits, . _ -; at most 20) and a name (at most 200 characters) "
                       "are required.")


def _parse(data) -> list[tuple[str, str]]:
    if not isinstance(data, list) or not data or len(data) > 1000:
        raise BadRows(_("Send {\"data\": [{\"ma\": ..., \"ten\": ...}, ...]} with 1 to 1000 rows."))
    parsed = []
    for i, item in enumerate(data, start=1):
        code = item.get("ma") if isinstance(item, dict) else None
        name = item.get("ten") if isinstance(item, dict) else None
        if not (isinstance(code, str) and CODE_PATTERN.match(code.strip()) and isinstance(name, str)
                and 0 < len(name.strip()) <= 200):
            raise BadRows(INVALID % {"i": i})
        parsed.append((code.strip(), name.strip()))
    return parsed


@transaction.atomic
def add_rows(*, client: Client, category: Category, data, ip: str | None = None) -> Added:
    """Add rows to a category kept here. A code already in force, or twice in the request, is
    refused and counted; the others are added, audited in the client's name."""
    if not category.kept_here:
        raise BadRows(_("This category is kept by its own register and cannot be added to here."))
    parsed = _parse(data)
    existing = set(CategoryRow.objects.select_for_update().filter(
        category=category.code, valid_to__isnull=True).values_list("code", flat=True))
    result = Added(added=[], duplicates=[])
    today = timezone.localdate()
    with acting_as(Actor(user_id=None, label=f"client:{client.client_id}"[:150], ip=ip)):
        for code, name in parsed:
            if code in existing:
                result.duplicates.append(code)
                continue
            CategoryRow.objects.create(category=category.code, code=code, name=name, valid_from=today,
                                       added_by=client)
            existing.add(code)
            result.added.append(code)
    return result  # each row raised the version (lgsp.signals)
