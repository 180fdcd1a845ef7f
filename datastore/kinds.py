"""Which kind of paper a procedure's paper or result is (``PaperKind``), read from its name: the
catalogue names papers in words ("Bản sao Giấy khai sinh", "Giấy khai sinh (trường hợp …)"), so a name
is of a kind when, without its words about copies and in lower case without diacritics, it begins with
one of the kind's names. A name matching no kind is of no kind: such items stay in the store but are
not offered for reuse (a declaration form or an authorisation is never taken from another dossier)."""

from __future__ import annotations

import re
import unicodedata

from .models import PaperKind

COPY_WORDS = re.compile(r"^(?:(?:01|02|mot|hai)\s+)?(?:ban\s+(?:sao|chinh|chup|dien\s+tu)"
                        r"(?:\s+co\s+chung\s+thuc)?(?:\s+(?:hoac|va)\s+ban\s+(?:sao|chinh|chup))?)\s*(?:cua\s+)?")
SPACES = re.compile(r"[^a-z0-9]+")


def plain(name: str) -> str:
    """Lower case, without diacritics, words separated by one space: "Giấy  khai sinh" → "giay khai sinh"."""
    text = unicodedata.normalize("NFD", name.replace("Đ", "D").replace("đ", "d"))
    text = "".join(ch for ch in text if unicodedata.category(ch) != "Mn").lower()
    return SPACES.sub(" ", text).strip()


def without_copy_words(name: str) -> str:
    return COPY_WORDS.sub("", plain(name)).strip()


def kind_for(name: str, kinds: list[PaperKind] | None = None) -> PaperKind | None:
    """The kind whose longest name begins the paper's name, or None."""
    text = without_copy_words(name)
    best: tuple[int, PaperKind | None] = (0, None)
    for kind in kinds if kinds is not None else PaperKind.objects.all():
        for alias in [kind.name, *kind.names]:
            key = plain(alias)
            if key and (text == key or text.startswith(key + " ")) and len(key) > best[0]:
                best = (len(key), kind)
    return best[1]
