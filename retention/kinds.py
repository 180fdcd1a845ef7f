"""Each kind of record: its parts (the models it covers) and the disposals it allows."""

from __future__ import annotations

from collections.abc import Callable

from . import log_parts
from .common import Part
from .dossier_parts import SETTLED, UNSETTLED, Drafts, FinishedDossiers
from .models import Disposal, Kind

A, E, N = Disposal.ARCHIVE, Disposal.ERASE, Disposal.ANONYMISE

# kind: (the parts, the disposals a policy of this kind may name)
KINDS: dict[str, tuple[Callable[[], list[Part]], frozenset[str]]] = {
    Kind.DOSSIER_SETTLED: (lambda: [FinishedDossiers(SETTLED)], frozenset({A, N})),
    Kind.DOSSIER_UNSETTLED: (lambda: [FinishedDossiers(UNSETTLED)], frozenset({A, N})),
    Kind.DRAFT: (lambda: [Drafts()], frozenset({E})),
    Kind.INTEGRATION_CALLS: (log_parts.integration_calls, frozenset({E})),
    Kind.NOTIFICATIONS: (log_parts.notifications, frozenset({E})),
    Kind.SESSIONS: (log_parts.sessions, frozenset({E})),
    Kind.LOGIN_ATTEMPTS: (log_parts.login_attempts, frozenset({E})),
    Kind.POPULATION_CONSENTS: (log_parts.population_consents, frozenset({N})),
}


def parts(kind: str) -> list[Part]:
    return KINDS[kind][0]()


def allows(kind: str, disposal: str) -> bool:
    return kind in KINDS and disposal in KINDS[kind][1]
