"""Demo items in the demo citizen's data store (invented): a birth certificate issued electronically, valid
without limit, and a marital-status certificate digitised at a desk that has expired, so that the page and
the offers show both states. Idempotent."""

from __future__ import annotations

import datetime as dt
import hashlib

from django.contrib.auth import get_user_model
from django.core.files.base import ContentFile
from django.utils import timezone

from .catalog import load_kinds
from .models import PaperKind, Source, StoredItem
from .services import valid_until

CITIZEN = "congdan@example.vn"
# A one-page PDF saying what it is, in the demo only.
PDF = (b"%PDF-1.4\n1 0 obj<</Type/Catalog/Pages 2 0 R>>endobj\n2 0 obj<</Type/Pages/Kids[3 0 R]/Count 1>>endobj\n"
       b"3 0 obj<</Type/Page/Parent 2 0 R/MediaBox[0 0 595 842]>>endobj\ntrailer<</Root 1 0 R>>\n%%EOF\n")
ITEMS = [("giay-khai-sinh", Source.RESULT, "UBND phường Đức Xuân", "12/GKS", 3650),
         ("xac-nhan-tinh-trang-hon-nhan", Source.DIGITISED, "UBND phường Đức Xuân", "", 250)]


def load_demo() -> int:
    """Put the demo items in the demo citizen's store unless there already; how many were added."""
    load_kinds(PaperKind)  # the migration loaded them, unless the database was flushed since
    owner = get_user_model().objects.filter(username=CITIZEN).first()
    if owner is None or StoredItem.objects.filter(owner=owner, dossier__isnull=True).exists():
        return 0
    added = 0
    for code, source, issuer, number, days_ago in ITEMS:
        kind = PaperKind.objects.filter(code=code).first()
        issued_on = timezone.localdate() - dt.timedelta(days=days_ago)
        item = StoredItem(owner=owner, kind=kind, title=kind.name if kind else code, source=source, issuer=issuer,
                          number=number, issued_on=issued_on, valid_until=valid_until(kind, issued_on),
                          extension="pdf", content_type="application/pdf", sha256=hashlib.sha256(PDF).hexdigest())
        item.file.save(f"{code}.pdf", ContentFile(PDF), save=False)
        item.save()
        added += 1
    return added
