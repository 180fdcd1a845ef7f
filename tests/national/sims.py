"""A national-system simulator run for one test, the platform pointed at it.

    with serving("npsp", tmp_path, settings, reset_seconds=0.5) as sim:
        ...

``reset_seconds`` shortens the wait of the system's circuit breaker (national.base) for the test.
"""

from collections.abc import Iterator
from contextlib import contextmanager

from tests import national_sim


@contextmanager
def serving(system: str, tmp_path, settings, *, reset_seconds: float | None = None
            ) -> Iterator[national_sim.RunningSimulator]:
    sim = national_sim.start(system, tmp_path / system)
    entry = sim.settings()
    if reset_seconds is not None:
        entry["reset_seconds"] = reset_seconds
    settings.NATIONAL_SYSTEMS = {**settings.NATIONAL_SYSTEMS, system: entry}
    try:
        yield sim
    finally:
        sim.stop()
