"""Closed-loop HTTP load generator (aiohttp), run as its own process by bench/submit_lookup.py.

    python -m bench.loadgen SPEC.json   → one JSON document on stdout

SPEC: ``base`` (http://127.0.0.1:PORT), ``kind`` (submit | insert | lookup | select),
``connections``, ``warmup_s``, ``duration_s``, ``sessions`` (list of {cookie, token}: one per
connection, like that many browsers), ``drafts`` (submit: draft ids, each used once), ``codes``
(lookup/select: dossier codes), ``pids`` (optional {name: pid}: CPU of those processes and of their
children is read from /proc over the measured phase), ``memory`` (optional list of names among
``pids``: the resident memory of those processes and their children is sampled over the measured
phase).

Every request's latency is recorded. A request counts as an error unless it answers what the real
client expects: the submit a 302 to *its* receipt, the insert a 302, the lookup a 200 page showing
the dossier, the select a 200 naming the code. Redirects are never followed.
"""

import asyncio
import json
import math
import os
import random
import sys
import time
from collections import Counter

import aiohttp

TICKS = os.sysconf("SC_CLK_TCK")


def _proc_cpu(pid: int) -> float:
    """User + system CPU seconds of one process (0 if it is gone)."""
    try:
        with open(f"/proc/{pid}/stat") as handle:
            fields = handle.read().rsplit(")", 1)[1].split()
    except OSError:
        return 0.0
    return (int(fields[11]) + int(fields[12])) / TICKS


def _children(pid: int) -> list[int]:
    found = []
    for entry in os.listdir("/proc"):
        if not entry.isdigit():
            continue
        try:
            with open(f"/proc/{entry}/stat") as handle:
                fields = handle.read().rsplit(")", 1)[1].split()
        except OSError:
            continue
        if int(fields[1]) == pid:
            found.append(int(entry))
    return found


def family_cpu(pid: int) -> float:
    """CPU seconds of a process and its children (gunicorn's master and workers, a Celery worker and its pool)."""
    return sum(_proc_cpu(p) for p in [pid, *_children(pid)])


def _rss_kib(pid: int) -> int:
    """Resident set size (VmRSS) of one process in KiB (0 if it is gone)."""
    try:
        with open(f"/proc/{pid}/status") as handle:
            for line in handle:
                if line.startswith("VmRSS:"):
                    return int(line.split()[1])
    except OSError:
        pass
    return 0


def _machine_busy() -> tuple[float, float]:
    """(busy, total) CPU seconds of the whole machine since boot, from /proc/stat."""
    with open("/proc/stat") as handle:
        values = [int(v) for v in handle.readline().split()[1:]]
    idle = values[3] + values[4]  # idle + iowait
    total = sum(values[:8])
    return (total - idle) / TICKS, total / TICKS


def _cmdline(pid: int) -> str:
    try:
        with open(f"/proc/{pid}/cmdline", "rb") as handle:
            return handle.read().replace(b"\0", b" ").decode(errors="replace")
    except OSError:
        return ""


class CpuWatch:
    """CPU used over the measured phase by the server (gunicorn master and workers), by the
    PostgreSQL backends serving the benchmark's database (their process title names it), by this
    process, and by the whole machine (other users of the machine show up as the difference)."""

    def __init__(self, pids: dict[str, int], database: str = ""):
        self.pids = pids
        self.database = database
        self.start: dict[str, dict[int, float]] = {}

    def _snapshot(self) -> dict[str, dict[int, float]]:
        snap = {}
        for name, pid in self.pids.items():
            family = [pid, *_children(pid)]
            if name == "postgres" and self.database:
                family = [p for p in family if f" {self.database} " in _cmdline(p)]
            snap[name] = {p: _proc_cpu(p) for p in family}
        snap["loadgen"] = {os.getpid(): time.process_time()}
        busy, total = _machine_busy()
        snap["machine"] = {0: busy, 1: total}
        return snap

    def begin(self) -> None:
        self.start = self._snapshot()

    def end(self, seconds: float) -> dict[str, float]:
        stop = self._snapshot()
        cores = {}
        for name, values in stop.items():
            if name == "machine":
                continue
            used = sum(value - self.start.get(name, {}).get(pid, 0.0) for pid, value in values.items())
            cores[name] = round(used / seconds, 2)
        busy = stop["machine"][0] - self.start["machine"][0]
        total = stop["machine"][1] - self.start["machine"][1]
        cpus = os.cpu_count() or 1
        cores["machine_busy"] = round(busy / total * cpus, 2) if total else None
        if total:
            cores["others_on_machine"] = round(max(0.0, cores["machine_busy"] - sum(
                v for k, v in cores.items() if k not in {"machine_busy"})), 2)
        return cores


class MemoryWatch:
    """Resident memory (VmRSS) of each named process with its children, every ``every`` seconds over the
    measured phase: per name, the sum over the family (peak and mean), how many processes it had and
    its largest process. Pages shared by forked processes are counted in each of them, as VmRSS does."""

    def __init__(self, pids: dict[str, int], every: float = 0.5):
        self.pids, self.every = pids, every
        self.totals: dict[str, list[int]] = {name: [] for name in pids}
        self.largest = dict.fromkeys(pids, 0)
        self.processes = dict.fromkeys(pids, 0)

    def sample(self) -> None:
        for name, pid in self.pids.items():
            sizes = [size for size in map(_rss_kib, [pid, *_children(pid)]) if size]
            if sizes:
                self.totals[name].append(sum(sizes))
                self.largest[name] = max(self.largest[name], max(sizes))
                self.processes[name] = max(self.processes[name], len(sizes))

    async def run(self, clock: dict) -> None:
        await asyncio.sleep(max(0.0, clock["measure"] - time.perf_counter()))
        while time.perf_counter() < clock["end"]:
            await asyncio.to_thread(self.sample)  # /proc is read off the event loop
            await asyncio.sleep(self.every)

    def summary(self) -> dict[str, dict]:
        mib = 1024
        return {name: {"processes": self.processes[name], "samples": len(totals),
                       "peak_mib": round(max(totals) / mib, 1), "mean_mib": round(sum(totals) / len(totals) / mib, 1),
                       "largest_process_peak_mib": round(self.largest[name] / mib, 1)}
                for name, totals in self.totals.items() if totals}


def _percentile(sorted_values: list[float], q: float) -> float:
    if not sorted_values:
        return float("nan")
    rank = max(1, math.ceil(q * len(sorted_values)))
    return sorted_values[rank - 1]


def _request(kind: str, spec: dict, session: dict, work: dict):
    """(method, path, body, headers, check) for the next request, or None when out of work."""
    base = spec["base"]
    if kind in {"submit", "insert"}:
        headers = {
            "Cookie": session["cookie"],
            "Content-Type": "application/x-www-form-urlencoded",
            "Origin": base,
        }
        if kind == "submit":
            if not work["drafts"]:
                return None
            draft = work["drafts"].pop()
            path = f"/dossiers/my/{draft}/submit/"
            headers["Referer"] = f"{base}/dossiers/my/{draft}/review/"
            expected = f"/dossiers/my/{draft}/receipt/"
            body = f"csrfmiddlewaretoken={session['token']}"
        else:
            path = "/bench/insert"
            headers["Referer"] = f"{base}/bench/form"
            expected = "/bench/done"
            body = f"csrfmiddlewaretoken={session['token']}&payload=bench+row"

        def check(status, response_headers, _text, expected=expected):
            return status == 302 and response_headers.get("Location") == expected

        return "POST", path, body, headers, check
    code = work["rng"].choice(work["codes"])
    if kind == "lookup":
        path = f"/dossiers/lookup/?code={code}"

        def check(status, _headers, text):
            return status == 200 and 'id="h-result"' in text
    else:
        path = f"/bench/select?code={code}"

        def check(status, _headers, text, code=code):
            return status == 200 and code in text

    return "GET", path, None, {}, check


async def _worker(index: int, http: aiohttp.ClientSession, spec: dict, work: dict, clock: dict, samples: list,
                  failures: Counter, statuses: Counter) -> None:
    session = spec["sessions"][index % len(spec["sessions"])] if spec.get("sessions") else {}
    while True:
        now = time.perf_counter()
        if now >= clock["end"]:
            return
        request = _request(spec["kind"], spec, session, work)
        if request is None:
            work["exhausted"] = True
            return
        method, path, body, headers, check = request
        started = time.perf_counter()
        ok, status = False, "exception"
        try:
            async with http.request(method, spec["base"] + path, data=body, headers=headers,
                                    allow_redirects=False) as response:
                text = await response.text(errors="replace")
                status = response.status
                ok = check(status, response.headers, text)
        except (TimeoutError, aiohttp.ClientError) as error:
            status = type(error).__name__
        ended = time.perf_counter()
        samples.append((started, ended, ok))
        statuses[status] += 1
        if not ok:
            failures[f"{method} {path.split('?')[0]} -> {status}"] += 1


async def run(spec: dict) -> dict:
    connections = spec["connections"]
    work = {"drafts": list(reversed(spec.get("drafts", []))), "codes": spec.get("codes", []),
            "rng": random.Random(spec.get("seed", 1)), "exhausted": False}
    samples: list[tuple[float, float, bool]] = []
    failures: Counter = Counter()
    statuses: Counter = Counter()
    pids = {name: int(pid) for name, pid in spec.get("pids", {}).items()}
    watch = CpuWatch(pids, spec.get("database", ""))
    memory = MemoryWatch({name: pids[name] for name in spec.get("memory", []) if name in pids})
    connector = aiohttp.TCPConnector(limit=connections, limit_per_host=connections)
    timeout = aiohttp.ClientTimeout(total=spec.get("timeout_s", 30))
    async with aiohttp.ClientSession(connector=connector, timeout=timeout, cookie_jar=aiohttp.DummyCookieJar(),
                                     auto_decompress=False) as http:
        begin = time.perf_counter()
        clock = {"measure": begin + spec["warmup_s"], "end": begin + spec["warmup_s"] + spec["duration_s"]}

        cpu_started = asyncio.Event()

        async def cpu_begin():
            await asyncio.sleep(max(0.0, clock["measure"] - time.perf_counter()))
            watch.begin()
            cpu_started.set()

        cpu_task = asyncio.create_task(cpu_begin())
        memory_task = asyncio.create_task(memory.run(clock))
        await asyncio.gather(*(_worker(i, http, spec, work, clock, samples, failures, statuses)
                               for i in range(connections)))
        finished = min(time.perf_counter(), clock["end"])
        cpu = watch.end(finished - clock["measure"]) if cpu_started.is_set() else {}
        cpu_task.cancel()
        memory_task.cancel()
    measured = [s for s in samples if s[0] >= clock["measure"]]
    # Out of drafts before the end: the measured phase ends with the last answer.
    window = spec["duration_s"] if not work["exhausted"] else max(
        0.001, max((s[1] for s in measured), default=clock["measure"]) - clock["measure"])
    completed = [s for s in measured if s[1] <= clock["measure"] + window]
    latencies = sorted((s[1] - s[0]) * 1000 for s in measured)
    return {
        "kind": spec["kind"],
        "connections": connections,
        "warmup_s": spec["warmup_s"],
        "duration_s": round(window, 2),
        "warmup_requests": len(samples) - len(measured),
        "requests": len(measured),
        "rps": round(len(completed) / window, 1),
        "p50_ms": round(_percentile(latencies, 0.50), 2),
        "p90_ms": round(_percentile(latencies, 0.90), 2),
        "p99_ms": round(_percentile(latencies, 0.99), 2),
        "max_ms": round(latencies[-1], 2) if latencies else None,
        "mean_ms": round(sum(latencies) / len(latencies), 2) if latencies else None,
        "errors": sum(1 for s in samples if not s[2]),
        "ok_total": sum(1 for s in samples if s[2]),
        "failures": dict(failures.most_common(10)),
        "statuses": {str(k): v for k, v in statuses.items()},
        "exhausted": work["exhausted"],
        "cpu_cores": cpu,
        "memory": memory.summary(),
    }


def main() -> None:
    with open(sys.argv[1]) as handle:
        spec = json.load(handle)
    result = asyncio.run(run(spec))
    json.dump(result, sys.stdout)
    sys.stdout.write("\n")


if __name__ == "__main__":
    main()
