"""What the database does while bench/submit_lookup.py loads the server, and what it costs at best:
a 20 ms sampling of pg_stat_activity and pg_locks (:class:`DbSampler`), the cost of one autocommitted
INSERT (:func:`commit_floor`), the server's settings that set that cost (:func:`postgres_facts`) and
the postmaster's pid, whose children are the backends (:func:`postmaster_pid`)."""

import re
import threading
import time
from collections import Counter


def _normalise(query: str) -> str:
    query = re.sub(r"'[^']*'", "?", query or "")
    query = re.sub(r"\b\d+\b", "N", query)
    query = re.sub(r'"', "", query)
    return re.sub(r"\s+", " ", query)[:150]


class DbSampler(threading.Thread):
    """Samples pg_stat_activity and pg_locks every 20 ms: how many backends of the benchmark's
    database run, wait for a lock (which lock, which statement), wait for the WAL, or sit idle in a
    transaction (holding its locks) while Python works."""

    def __init__(self, database_url: str):
        super().__init__(daemon=True)
        self.url = database_url
        self.stop_event = threading.Event()
        self.samples = 0
        self.states: Counter = Counter()
        self.locks: Counter = Counter()
        self.statements: Counter = Counter()

    def run(self) -> None:
        import psycopg

        with psycopg.connect(self.url, autocommit=True) as conn:
            while not self.stop_event.wait(0.02):
                rows = conn.execute(
                    "SELECT state, wait_event_type, wait_event, query FROM pg_stat_activity "
                    "WHERE datname = current_database() AND pid <> pg_backend_pid() "
                    "AND backend_type = 'client backend'").fetchall()
                waiting = conn.execute(
                    "SELECT l.locktype, coalesce(l.relation::regclass::text, ''), l.mode FROM pg_locks l "
                    "JOIN pg_stat_activity a ON a.pid = l.pid "
                    "WHERE NOT l.granted AND a.datname = current_database()").fetchall()
                self.samples += 1
                for state, wait_type, wait_event, query in rows:
                    if state == "active":
                        if wait_type == "Lock":
                            self.states["active: waiting for a lock"] += 1
                            self.statements[_normalise(query)] += 1
                        elif wait_type in {"IO", "LWLock"}:
                            self.states[f"active: waiting {wait_type}:{wait_event}"] += 1
                        else:
                            self.states["active: running"] += 1
                    elif state and state.startswith("idle in transaction"):
                        self.states["idle in transaction (the app works, locks held)"] += 1
                for locktype, relation, mode in waiting:
                    self.locks[f"{locktype} {relation} {mode}".replace("  ", " ")] += 1

    def summary(self) -> dict:
        n = max(1, self.samples)
        return {"samples": self.samples,
                "mean_backends": {k: round(v / n, 2) for k, v in self.states.most_common()},
                "mean_lock_waits_by_lock": {k: round(v / n, 2) for k, v in self.locks.most_common(6)},
                "mean_lock_waits_by_statement": {k: round(v / n, 2) for k, v in self.statements.most_common(4)}}


def commit_floor(database_url: str, count: int = 200) -> dict:
    """Milliseconds of one autocommitted single-row INSERT from Python (p50), with the server's
    synchronous_commit (on: the commit waits for the WAL flush) and without (off): the floor
    under every write request on this machine."""
    import psycopg

    floor = {}
    with psycopg.connect(database_url, autocommit=True) as conn:
        for mode in ("on", "off"):
            conn.execute(f"SET synchronous_commit = {mode}")
            times = []
            for _ in range(count):
                begin = time.perf_counter()
                conn.execute("INSERT INTO bench_row (payload) VALUES ('floor')")
                times.append((time.perf_counter() - begin) * 1000)
            times.sort()
            floor[f"synchronous_commit={mode}"] = {"p50_ms": round(times[len(times) // 2], 2),
                                                   "p99_ms": round(times[int(len(times) * 0.99) - 1], 2)}
        conn.execute("TRUNCATE bench_row")
    return floor


def postgres_facts(database_url: str) -> dict:
    """The server's version and the settings that decide what a COMMIT waits for."""
    import psycopg

    with psycopg.connect(database_url, autocommit=True) as conn:
        return {name: conn.execute(f"SHOW {name}").fetchone()[0]
                for name in ("server_version", "fsync", "synchronous_commit", "shared_buffers")}


def _ppid(pid: int) -> int:
    with open(f"/proc/{pid}/stat") as handle:
        return int(handle.read().rsplit(")", 1)[1].split()[1])


def postmaster_pid(database_url: str) -> int | None:
    """The pid of the PostgreSQL server of ``database_url`` (the parent of a backend), if it runs here."""
    import psycopg

    with psycopg.connect(database_url, autocommit=True) as conn:
        backend = conn.execute("SELECT pg_backend_pid()").fetchone()[0]
        try:
            return _ppid(backend)
        except OSError:
            return None
