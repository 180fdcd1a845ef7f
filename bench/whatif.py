"""What-if experiment, off by default: ``BENCH_WHATIF_OWN_ROW_LOCK=1`` in the server's environment
makes every ``select_for_update()`` on dossiers lock the dossier row only (``of=("self",)``) instead
of also the rows joined by ``select_related`` (procedure version, agency). It changes nothing in the
application's code; it is applied in the benchmark server only (bench/urls.py), to measure what
that one-line change would be worth. See docs/benchmarks.md.
"""

import os

from django.db.models import QuerySet

ENV = "BENCH_WHATIF_OWN_ROW_LOCK"


def apply() -> bool:
    if os.environ.get(ENV) != "1":
        return False
    from dossiers.models import Dossier

    original = QuerySet.select_for_update
    if getattr(original, "_bench_whatif", False):
        return True

    def select_for_update(self, nowait=False, skip_locked=False, of=(), no_key=False):
        if not of and self.model is Dossier:
            of = ("self",)
        return original(self, nowait=nowait, skip_locked=skip_locked, of=of, no_key=no_key)

    select_for_update._bench_whatif = True
    QuerySet.select_for_update = select_for_update
    return True
