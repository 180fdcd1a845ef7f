"""Text helpers for Vietnamese."""

import unicodedata

from django.utils.translation import gettext as _


def fold(text: str) -> str:
    """Lower case without diacritics: "Đăng ký khai sinh" -> "dang ky khai sinh".

    Used to store and query search keys, so that citizens typing without accents find the
    same procedures on every database (SQLite and PostgreSQL alike, no extension needed)."""
    text = (text or "").replace("đ", "d").replace("Đ", "D")
    decomposed = unicodedata.normalize("NFKD", text)
    stripped = "".join(ch for ch in decomposed if not unicodedata.combining(ch))
    return " ".join(stripped.lower().split())


NUL = "\x00"
# How JSON writes a NUL: in a JSON body, or in the JSON of a multipart field, it decodes to one (the
# text "\u0000" itself is refused too, rare enough to be no loss).
JSON_NUL = "\\u0000"


def holds_nul(text: str, *, json: bool = False) -> bool:
    """No text the platform keeps holds a NUL character, and PostgreSQL refuses one in a query."""
    return NUL in text or (json and JSON_NUL in text)


def nul_refused() -> str:
    return _("This value contains a NUL character, which is not allowed.")
