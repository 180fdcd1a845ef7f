"""The soak: production mode under a mixed load for ``--duration`` seconds while things break.

    bench/soak.sh [--duration 600] [--citizens 4] [--grace 300]

bench/cluster.py brings up production mode on loopback: PostgreSQL and Redis of its own, the S3
stand-in, two application servers (gunicorn), TWO Celery workers and beat, the simulators (payment
and SMS gateways, exchange axis, national systems), the test PKI on SoftHSM2. Then, at once:

- citizens over HTTP: register (the e-mail's link followed), sign in, submit dossiers with two
  papers, pay half of them at the payment gateway, look them up; each request to either server;
- officials through the platform's services (the doors their pages call; the second factor from
  the demo's TOTP devices): accept, prepare the result and forward, approve, sign in batches (the
  batch runs in a worker), issue, return the result;
- Sở Tư pháp issues documents and sends them to the ward of Đức Xuân through the exchange axis;
- API clients: a citizen's application on /api/v1 with its token, a system on the LGSP (/dmdc);
- garbage: malformed requests all along.

Faults on a schedule, each at least once: kill -9 a gunicorn worker; kill -9 a Celery worker while
it runs a task; restart Redis (no persistence: the broker's queue and the cache are lost); restart
PostgreSQL (pg_ctl restart, every connection cut); stop the payment/SMS gateways for a minute; stop
the exchange axis for half a minute.

After the load and a grace period for the outbox, the checks: every acknowledged submission
exists once with all its papers; every payment the gateway confirmed is recorded once and the
platform reconciles with the gateway; the outbox drained, notifications delivered, slips rendered;
every document exchanged received exactly once; no orphan file left; the audit trail verifies
(``egov audit-verify``, after the sealer caught up). A table of it all; exit status 1 on any loss.
"""

from __future__ import annotations

import argparse
import datetime as dt
import os
import platform
import sys
import threading
import time
from pathlib import Path

sys.path.insert(0, str(Path(__file__).resolve().parent.parent))

from bench.cluster import Cluster  # noqa: E402 - after the checkout is on the path


def log(text: str) -> None:
    print(f"[soak {time.strftime('%H:%M:%S', time.gmtime())}Z] {text}", file=sys.stderr, flush=True)


class Faults(threading.Thread):
    """The schedule of faults, as fractions of the duration; each survived fault is recorded."""

    def __init__(self, cluster: Cluster, duration: float, stop: threading.Event):
        super().__init__(daemon=True, name="faults")
        self.cluster, self.duration, self.stop = cluster, duration, stop
        self.done: list[tuple[str, str]] = []
        self.windows: list[tuple[float, float]] = []  # (start, end) of each fault, monotonic
        self.failed: list[str] = []
        outage = min(60.0, duration / 6)
        self.schedule = [
            (0.10, "kill -9 a gunicorn worker (server 1)", lambda: self.cluster.kill_web_worker(0)),
            (0.20, "kill -9 a Celery worker mid-task (worker 1)", lambda: self._worker(0)),
            (0.30, "restart Redis (queue and cache lost)", self.cluster.restart_redis),
            (0.42, "restart PostgreSQL (pg_ctl restart -m fast)", self.cluster.restart_postgres),
            (0.52, f"payment and SMS gateways stopped for {outage:.0f} s", lambda: self._outage("gateways", outage)),
            (0.70, f"exchange axis stopped for {outage / 2:.0f} s", lambda: self._outage("axis", outage / 2)),
            (0.80, "kill -9 a gunicorn worker (server 2)", lambda: self.cluster.kill_web_worker(-1)),
            (0.85, "kill -9 a Celery worker mid-task (worker 2)", lambda: self._worker(1)),
        ]

    def _worker(self, index: int) -> str:
        return "caught mid-task" if self.cluster.kill_worker(index) else "no task running within 20 s"

    def _outage(self, name: str, seconds: float) -> None:
        self.cluster.stop_simulator(name)
        self.stop.wait(seconds)
        self.cluster.start_simulator(name)

    def run(self) -> None:
        started = time.monotonic()
        for fraction, name, action in self.schedule:
            if self.stop.wait(max(0.0, started + fraction * self.duration - time.monotonic())):
                return
            log(f"fault: {name}")
            begin = time.monotonic()
            try:
                detail = action()
                self.done.append((name, detail if isinstance(detail, str) else ""))
            except Exception as error:
                self.failed.append(f"{name}: {type(error).__name__}: {error}")
            self.windows.append((begin, time.monotonic() + 20))  # what follows a fault settles within it


def _table(rows: list[tuple[str, str]]) -> str:
    width = max(len(name) for name, _ in rows)
    return "\n".join(f"| {name:<{width}} | {value} |" for name, value in rows)


def main(argv: list[str] | None = None) -> int:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--duration", type=float, default=600, help="seconds of load (default 600)")
    parser.add_argument("--citizens", type=int, default=4, help="citizens submitting at once")
    parser.add_argument("--grace", type=float, default=300, help="seconds the outbox may take to drain after")
    parser.add_argument("--exchange-every", type=float, default=30, help="seconds between documents exchanged")
    args = parser.parse_args(argv)

    begun = time.monotonic()
    with Cluster(servers_wanted=2, workers_wanted=2, signing=True) as cluster:
        os.environ.update(cluster.env)
        import django

        django.setup()
        from bench import soak_load as load
        from bench import soak_world as world

        setup = world.prepare()
        ledger, stop = load.Ledger(), threading.Event()
        servers = [server.url for server in cluster.servers]
        actors = [load.Citizen(servers=servers, gateways=cluster.gateways_url, world=setup, ledger=ledger, stop=stop,
                               inbox=cluster.messages, seed=n) for n in range(args.citizens)]
        garbage = load.Garbage(servers=servers, ledger=ledger, stop=stop)
        actors += [load.Officials(world=setup, ledger=ledger, stop=stop),
                   load.Exchange(ledger=ledger, stop=stop, every=args.exchange_every),
                   load.ApiClient(servers=servers, world=setup, ledger=ledger, stop=stop), garbage]
        faults = Faults(cluster, args.duration, stop)
        log(f"load for {args.duration:.0f} s: {args.citizens} citizens, officials, exchange, API clients, garbage")
        load_started = time.monotonic()
        for actor in [*actors, faults]:
            actor.start()
        while time.monotonic() - load_started < args.duration:
            time.sleep(min(30.0, args.duration - (time.monotonic() - load_started)))
            log(f"{sum(ledger.requests.values())} requests, {len(ledger.acknowledged)} submissions acknowledged, "
                f"{len(ledger.paid)} payments, {dict(ledger.officials)}; most failed: {ledger.errors.most_common(3)}")
        stop.set()
        for actor in [*actors, faults]:
            actor.join(timeout=120)
        faults.join()
        log("load stopped; waiting for the outbox, the exchange and the sealer")

        drain_started = time.monotonic()
        world.until(lambda: world.outbox_drained()[0] == 0, args.grace)
        world.until(lambda: world.exchange_received(ledger.documents_sent), args.grace)
        drained_in = time.monotonic() - drain_started
        checks = {
            "submissions": world.check_submissions(ledger.acknowledged),
            "payments": world.check_payments(ledger.paid),
            "side effects": world.check_side_effects(ledger.acknowledged),
            "exchange": world.check_exchange(ledger.documents_sent),
            "orphan files": world.check_orphans(),
        }
        time.sleep(15)  # the sealer's schedule (AUDIT_SEAL_SECONDS=10) seals what the checks wrote
        audit = "ok"
        try:
            verified = cluster.manage("audit_verify").strip().splitlines()[-1]
        except Exception as error:
            audit, verified = "FAILED", str(error)[-500:]
        checks["audit trail"] = {"problems": [] if audit == "ok" else [verified]}

        garbage_5xx = [entry for entry in garbage.server_errors
                       if not any(start <= entry[0] <= end for start, end in faults.windows)]
        problems = [problem for check in checks.values() for problem in check["problems"]]
        problems += [f"fault not carried out: {failure}" for failure in faults.failed]
        # A load that did nothing proves nothing.
        problems += [f"the load did nothing: no {what}" for what, n in (
            ("submission acknowledged", len(ledger.acknowledged)), ("payment confirmed", len(ledger.paid)),
            ("document exchanged", len(ledger.documents_sent)), ("result returned", ledger.officials["returned"]))
            if not n]
        problems += [f"garbage answered {status} outside a fault: {what}" for _t, what, status in garbage_5xx]
        for problem in problems:
            print(f"LOSS: {problem}")

        sub, pay, side, ex, orphan = (checks[k] for k in ("submissions", "payments", "side effects", "exchange",
                                                           "orphan files"))
        requests_total = sum(ledger.requests.values())
        errors_total = sum(ledger.errors.values())
        rows = [
            ("date", dt.date.today().isoformat()),
            ("machine", f"{os.cpu_count()} vCPU, {platform.system()} {platform.machine()}, Python "
                        f"{platform.python_version()}"),
            ("load", f"{args.duration:.0f} s, {args.citizens} citizens, 2 servers × 2 gunicorn workers × 4 threads, "
                     f"2 Celery workers × 2"),
            ("requests", f"{requests_total:,} ({errors_total:,} failed and retried)"),
            ("accounts registered", str(len(ledger.registered))),
            ("submissions acknowledged / found complete", f"{sub['acknowledged']} / "
                                                           f"{sub['found'] - sum('dossier' in p for p in sub['problems'])}"),
            ("payments confirmed / recorded / at the gateway", f"{pay['confirmed']} / {pay['platform']} / {pay['gateway']}"
                                                                f" (open payments asked of the gateway at the end: "
                                                                f"{pay['settled_by_reconciliation'] or 0})"),
            ("officials' actions", ", ".join(f"{k} {v}" for k, v in sorted(ledger.officials.items()))),
            ("side effects done / given up", f"{side['outbox_done']} / {side['outbox_dead']} (drained "
                                             f"{drained_in:.0f} s after the load)"),
            ("status changes of the dossiers / notifications", f"{side['events']} / "
                                                               + ", ".join(f"{k} {v}" for k, v in
                                                                           sorted(side["deliveries"].items()))),
            ("slips", str(side["slips"])),
            ("documents exchanged / received once", f"{ex['sent']} / {ex['received']}"),
            ("orphan files swept / left", f"{orphan['swept']} / {len(orphan['problems'])}"),
            ("audit trail", f"{audit}: {verified}"),
            ("faults survived", f"{len(faults.done)} of {len(faults.schedule)}: "
                                + "; ".join(f"{n} ({d})" if d else n for n, d in faults.done)),
            ("garbage answered 5xx (outside / inside a fault)",
             f"{len(garbage_5xx)} / {len(garbage.server_errors) - len(garbage_5xx)}"),
            ("losses", str(len(problems))),
        ]
        print("\n" + _table([("what", "result"), ("---", "---"), *rows]))
        print("\nfailed requests by kind (each tried again):")
        for kind, n in sorted(ledger.errors.items(), key=lambda item: -item[1]):
            print(f"  {n:6}  {kind}")
        log(f"soak done in {time.monotonic() - begun:.0f} s")
        if problems and os.environ.get("SOAK_LOGS"):
            print(cluster.logs(40), file=sys.stderr)
    return 1 if problems else 0


if __name__ == "__main__":
    sys.exit(main())
