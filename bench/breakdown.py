"""Where one request's time goes, measured in-process, one request at a time (no contention).

The same requests as the load phases go through Django's test client (the whole middleware stack,
no HTTP, no gunicorn), with timers wrapped around the steps of the submit path and a database
execute-wrapper counting queries and their time. Only this process is instrumented: the
application's code is not changed.
"""

import contextlib
import cProfile
import io
import pstats
import time
from contextlib import ExitStack, contextmanager

from django.db import connection
from django.test import Client


class Steps:
    """Inclusive wall time, calls and the queries issued directly inside each named step."""

    def __init__(self):
        self.totals: dict[str, dict] = {}
        self.stack: list[str] = []
        self.marks: dict[str, float] = {}

    def _slot(self, name: str) -> dict:
        return self.totals.setdefault(name, {"ms": 0.0, "calls": 0, "queries": 0, "db_ms": 0.0})

    @contextmanager
    def step(self, name: str):
        self.stack.append(name)
        started = time.perf_counter()
        try:
            yield
        finally:
            slot = self._slot(name)
            slot["ms"] += (time.perf_counter() - started) * 1000
            slot["calls"] += 1
            self.stack.pop()

    def wrap(self, name: str, fn, mark: str | None = None):
        def wrapper(*args, **kwargs):
            if mark and mark not in self.marks:
                self.marks[mark] = time.perf_counter()
            with self.step(name):
                return fn(*args, **kwargs)

        return wrapper

    def execute(self, execute, sql, params, many, context):
        started = time.perf_counter()
        try:
            return execute(sql, params, many, context)
        finally:
            slot = self._slot(self.stack[-1] if self.stack else "(outside the steps)")
            slot["queries"] += 1
            slot["db_ms"] += (time.perf_counter() - started) * 1000


@contextmanager
def _patched(obj, name: str, value):
    original = getattr(obj, name)
    setattr(obj, name, value)
    try:
        yield
    finally:
        setattr(obj, name, original)


def _instrument_submit(stack: ExitStack, steps: Steps) -> None:
    import audit.registry
    import dossiers.services
    import notifications.services

    for module, name, label, mark in (
        (dossiers.services, "submit", "services.submit (transaction, commit, on-commit work)", None),
        (dossiers.services, "_checked", "_checked (form validation, papers present)", None),
        (dossiers.services, "next_code", "next_code (daily sequence row lock)", "lock_sequence"),
        (audit.registry, "_changed_fields", "audit: changed fields (no SELECT if read under lock)", None),
        (audit.registry, "record", "audit: entry INSERT (no shared row, ADR 0048)", None),
        (notifications.services, "notify_dossier_event", "notification task (eager, after commit)", None),
    ):
        stack.enter_context(_patched(module, name, steps.wrap(label, getattr(module, name), mark)))
    commit = connection.commit

    def timed_commit():
        with steps.step("COMMIT"):
            commit()
        if steps.stack and steps.stack[-1].startswith("services.submit"):
            steps.marks.setdefault("committed", time.perf_counter())

    stack.enter_context(_patched(connection, "commit", timed_commit))


def _measure(name: str, calls, instrument=None) -> dict:
    """Run ``calls`` (callables returning a response check) one after the other."""
    steps = Steps()
    held = {"lock_sequence": 0.0}
    with ExitStack() as stack:
        if instrument:
            instrument(stack, steps)
        stack.enter_context(connection.execute_wrapper(steps.execute))
        for call in calls:
            steps.marks = {}
            with steps.step("request"):
                call()
            for lock in held:
                if lock in steps.marks and "committed" in steps.marks:
                    held[lock] += (steps.marks["committed"] - steps.marks[lock]) * 1000
    count = len(calls)
    per_request = {label: {"ms": round(v["ms"] / count, 2), "calls": round(v["calls"] / count, 2),
                           "queries": round(v["queries"] / count, 2), "db_ms": round(v["db_ms"] / count, 2)}
                   for label, v in steps.totals.items()}
    total_queries = sum(v["queries"] for v in steps.totals.values()) / count
    result = {"endpoint": name, "requests": count, "ms_per_request": per_request["request"]["ms"],
              "queries_per_request": round(total_queries, 1),
              "db_ms_per_request": round(sum(v["db_ms"] for v in steps.totals.values()) / count, 2),
              "steps": per_request}
    if instrument:
        result["lock_held_ms"] = {
            "daily sequence row (next_code → COMMIT)": round(held["lock_sequence"] / count, 2),
        }
    return result


def run(*, user, drafts: list[int], codes: list[str], profile_dir: str | None = None,
        profile_drafts: list[int] = (), warm: int = 5) -> dict:
    """Submit ``drafts`` one by one (the first ``warm`` unmeasured), then as many baseline inserts,
    lookups and selects."""
    signed_in, anonymous = Client(), Client()
    signed_in.force_login(user)

    def expect(response, status: int) -> None:
        if response.status_code != status:
            raise RuntimeError(f"breakdown: {response.status_code} instead of {status}")

    def submit_call(pk: int):
        return lambda: expect(signed_in.post(f"/dossiers/my/{pk}/submit/"), 302)

    def insert_call():
        expect(signed_in.post("/bench/insert", {"payload": "bench row"}), 302)

    def lookup_call(code: str):
        return lambda: expect(anonymous.get("/dossiers/lookup/", {"code": code}), 200)

    def select_call(code: str):
        return lambda: expect(anonymous.get("/bench/select", {"code": code}), 200)

    measured = drafts[warm:]
    lookup_codes = (codes * (len(measured) // max(1, len(codes)) + 1))[:len(measured)]
    # The console e-mail backend (embedded default) prints one message per submission: not here.
    with contextlib.redirect_stdout(io.StringIO()):
        # First-request costs (templates, translations, connections) are not what we look for.
        for pk in drafts[:warm]:
            submit_call(pk)()
        for code in codes[:warm]:
            lookup_call(code)()
            select_call(code)()
            insert_call()
        results = {"submit": _measure("submit", [submit_call(pk) for pk in measured], _instrument_submit)}
        results["insert"] = _measure("insert", [insert_call] * len(measured))
        results["lookup"] = _measure("lookup", [lookup_call(c) for c in lookup_codes])
        results["select"] = _measure("select", [select_call(c) for c in lookup_codes])
        if profile_dir:
            # Separately from the timings above: the profiler's own overhead would distort them.
            results["profiles"] = {
                "submit": _profile(f"{profile_dir}/submit.pstats", [submit_call(pk) for pk in profile_drafts]),
                "lookup": _profile(f"{profile_dir}/lookup.pstats", [lookup_call(c) for c in lookup_codes[:20]]),
            }
    return results


def _profile(path: str, calls) -> str:
    profiler = cProfile.Profile()
    profiler.enable()
    for call in calls:
        call()
    profiler.disable()
    profiler.dump_stats(path)
    out = io.StringIO()
    pstats.Stats(path, stream=out).sort_stats("cumulative").print_stats(35)
    return out.getvalue()
