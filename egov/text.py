"""Text helpers for Vietnamese."""

import unicodedata


def fold(text: str) -> str:
    """Lower case without diacritics: "Đăng ký khai sinh" -> "dang ky khai sinh".

    Used to store and query search keys, so that citizens typing without accents find the
    same procedures on every database (SQLite and PostgreSQL alike, no extension needed)."""
    text = (text or "").replace("đ", "d").replace("Đ", "D")
    decomposed = unicodedata.normalize("NFKD", text)
    stripped = "".join(ch for ch in decomposed if not unicodedata.combining(ch))
    return " ".join(stripped.lower().split())
