"""Public reads of the catalog."""

from django.db.models import QuerySet

from egov.text import fold

from .models import Procedure


def search(*, q: str = "", field: str = "", agency: int | None = None, kind: str = "",
           level: str = "") -> QuerySet[Procedure]:
    """Accent-insensitive: "dang ky khai sinh" finds "Đăng ký khai sinh" on every database."""
    procedures = (Procedure.objects.filter(active=True, current__isnull=False)
                  .select_related("current", "current__field").order_by("code"))
    for term in fold(q).split():
        procedures = procedures.filter(search_key__contains=term)
    if field:
        procedures = procedures.filter(current__field__code=field)
    if agency:
        procedures = procedures.filter(current__agencies__id=agency)
    if kind:
        procedures = procedures.filter(current__kind=kind)
    if level:
        procedures = procedures.filter(current__level=level)
    return procedures.distinct()


def by_code(code: str) -> Procedure | None:
    return (Procedure.objects.filter(code=code, active=True, current__isnull=False)
            .select_related("current", "current__field").prefetch_related("current__papers", "current__agencies")
            .first())
