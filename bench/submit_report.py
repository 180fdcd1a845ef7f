"""What bench/submit_lookup.py prints: for each mode the table of the four endpoints with the ratios,
the in-process breakdown (embedded mode), CPU, memory and the database's lock samples; and, when both
modes ran, the two side by side."""

MEMORY_KINDS = ("gunicorn", "celery")  # the server and, in production mode, the worker: separately


def ratio(ours: dict, baseline: dict) -> dict:
    def div(a, b):
        return round(a / b, 3) if a and b else None

    return {"rps": div(ours["rps"], baseline["rps"]), "p50": div(ours["p50_ms"], baseline["p50_ms"]),
            "p99": div(ours["p99_ms"], baseline["p99_ms"])}


def _number(value, spec: str, width: int) -> str:
    return f"{value:>{width}{spec}}" if value is not None else f"{'-':>{width}}"


def table(results: dict, ratios: dict) -> str:
    lines = [f"{'endpoint':<24}{'req/s':>9}{'p50 ms':>10}{'p99 ms':>10}{'errors':>9}{'requests':>10}"]

    def row(label, r):
        lines.append(f"{label:<24}{r['rps']:>9.1f}{r['p50_ms']:>10.1f}{r['p99_ms']:>10.1f}{r['errors']:>9}"
                     f"{r['requests']:>10}")

    def ratio_row(q):
        lines.append(f"{'ratio ours/baseline':<24}{_number(q['rps'], '.2f', 9)}{_number(q['p50'], '.1f', 10)}"
                     f"{_number(q['p99'], '.1f', 10)}")

    row("submit (ours)", results["submit"])
    row("insert (baseline)", results["insert"])
    ratio_row(ratios["submit"])
    if "submit_whatif" in results:
        row("submit (what-if lock)", results["submit_whatif"])
        ratio_row(ratios["submit_whatif"])
    row("lookup (ours)", results["lookup"])
    row("select (baseline)", results["select"])
    ratio_row(ratios["lookup"])
    return "\n".join(lines)


def breakdown_table(breakdown: dict) -> str:
    lines = ["In-process, one request at a time (Django test client, no HTTP): ms and queries per request"]
    for name in ("submit", "insert", "lookup", "select"):
        b = breakdown[name]
        lines.append(f"  {name:<8} {b['ms_per_request']:>7.2f} ms  {b['queries_per_request']:>5.1f} queries  "
                     f"{b['db_ms_per_request']:>6.2f} ms in the database")
    lines.append("  submit steps (inclusive ms, queries issued directly in the step, their ms):")
    for label, s in breakdown["submit"]["steps"].items():
        if label == "request":
            continue
        lines.append(f"    {label:<58}{s['ms']:>7.2f} ms {s['queries']:>5.1f} q {s['db_ms']:>6.2f} ms")
    for label, held in breakdown["submit"]["lock_held_ms"].items():
        lines.append(f"  lock held: {label:<50}{held:>7.2f} ms")
    return "\n".join(lines)


def memory_line(memory: dict) -> str:
    """Resident memory of each kind of process during a phase (loadgen's MemoryWatch)."""
    parts = [f"{kind} {m['processes']} processes: peak {m['peak_mib']:.1f}, mean {m['mean_mib']:.1f} "
             f"(largest process {m['largest_process_peak_mib']:.1f})"
             for kind in MEMORY_KINDS if (m := memory.get(kind))]
    return "; ".join(parts) if parts else "not sampled"


def mode_text(report: dict, profiles: dict) -> str:
    """Everything one mode prints."""
    results, lines = report["results"], []
    lines += [f"=== {report['title']} ===",
              "  " + "; ".join(f"{key}: {value}" for key, value in report["server"].items()), "",
              report["table"], ""]
    if report.get("breakdown"):
        lines += [breakdown_table(report["breakdown"]), ""]
    for kind in ("submit", "insert", "lookup", "select"):
        cpu = results[kind].get("cpu_cores") or {}
        lines.append(f"  cpu cores used during {kind:<7}: " + ", ".join(f"{k} {v}" for k, v in cpu.items()))
    lines.append(f"  memory (RSS, MiB) during submit: {memory_line(results['submit'].get('memory') or {})}")
    for kind in ("submit", "insert", "submit_whatif"):
        db = results.get(kind, {}).get("database")
        if db:
            lines.append(f"  database during {kind} (mean backends per sample): {db['mean_backends']}")
            lines.append(f"    waiting on locks: {db['mean_lock_waits_by_lock']}")
            lines += [f"    {mean:>6.2f} waiting in: {statement}"
                      for statement, mean in db["mean_lock_waits_by_statement"].items()]
    if any(report.get("settle_s", {}).values()):
        lines.append("  waited before each phase for the Celery worker to finish the work left behind (s): "
                     + ", ".join(f"{kind} {seconds}" for kind, seconds in report["settle_s"].items()))
    for name, text in profiles.items():
        lines += [f"\ncProfile of 20 in-process {name} requests (bench/results/{name}.pstats):", text]
    postgres = report["postgres"]
    lines += [f"  one autocommitted INSERT round trip, p50: {report['commit_floor']}",
              f"  PostgreSQL {postgres['server_version']}: fsync={postgres['fsync']}, "
              f"synchronous_commit={postgres['synchronous_commit']}, shared_buffers={postgres['shared_buffers']}",
              f"  load average when the mode started: {report['machine']['loadavg_at_start']}",
              f"  ({report['total_seconds']} s for this mode)"]
    return "\n".join(lines)


def comparison(reports: dict) -> str:
    """The modes side by side: throughput, latency and ratios, and the memory under the submit load."""
    modes = list(reports)
    head = f"{'':<24}" + "".join(f"{mode:>30}" for mode in modes)
    sub = f"{'endpoint':<24}" + "".join(f"{'req/s':>10}{'p50 ms':>10}{'p99 ms':>10}" for _ in modes)
    lines = ["Both modes, the same load and the same requests", head, sub]

    def row(label, kind):
        cells = "".join(f"{r['rps']:>10.1f}{r['p50_ms']:>10.1f}{r['p99_ms']:>10.1f}"
                        for r in (reports[mode]["results"][kind] for mode in modes))
        lines.append(f"{label:<24}{cells}")

    def ratio_row(kind):
        cells = "".join(f"{_number(q['rps'], '.2f', 10)}{_number(q['p50'], '.1f', 10)}{_number(q['p99'], '.1f', 10)}"
                        for q in (reports[mode]["ratios"][kind] for mode in modes))
        lines.append(f"{'ratio ours/baseline':<24}{cells}")

    for ours, baseline, label in (("submit", "insert", "submit (ours)"), ("lookup", "select", "lookup (ours)")):
        row(label, ours)
        row(f"{baseline} (baseline)", baseline)
        ratio_row(ours)
    lines.append("resident memory (RSS) during submit, MiB:")
    for mode in modes:
        lines.append(f"  {mode:<11} {memory_line(reports[mode]['results']['submit'].get('memory') or {})}")
    lines.append("load average when each mode started: "
                 + ", ".join(f"{mode} {reports[mode]['machine']['loadavg_at_start']}" for mode in modes))
    return "\n".join(lines)
