"""The submit and lookup benchmark (bench/submit_lookup.py, docs/benchmarks.md): the resident memory it
reads from /proc, the options a run of both modes hands to each mode, the two modes side by side; and,
under the production marker, one short run of the production mode (bench/cluster.py)."""

from __future__ import annotations

import json
import os
import subprocess
import sys
import time
from pathlib import Path

import pytest

BASE_DIR = Path(__file__).resolve().parent.parent


def test_memory_is_read_for_a_process_and_its_children():
    from bench.loadgen import MemoryWatch

    child = subprocess.Popen([sys.executable, "-c", "import time; time.sleep(60)"])
    try:
        time.sleep(0.2)
        watch = MemoryWatch({"tests": os.getpid(), "gone": child.pid + 10_000_000})
        watch.sample()
        watch.sample()
        memory = watch.summary()
    finally:
        child.kill()
        child.wait()
    assert set(memory) == {"tests"}  # a process that is not there is left out, not counted as 0
    assert memory["tests"]["processes"] >= 2 and memory["tests"]["samples"] == 2
    assert 0 < memory["tests"]["largest_process_peak_mib"] < memory["tests"]["peak_mib"]
    assert memory["tests"]["mean_mib"] <= memory["tests"]["peak_mib"]


def test_a_run_of_both_modes_hands_each_mode_the_options_given(tmp_path):
    from bench import submit_lookup

    given = submit_lookup._arguments(["--duration", "4", "--connections", "8", "--celery-concurrency", "3",
                                      "--profile", "--database", "egov_other"])
    assert given.mode == "both"
    child = submit_lookup._arguments(submit_lookup._child_argv(given, "production", tmp_path / "report.json"))
    assert child.mode == "production" and child.report_to == tmp_path / "report.json"
    assert {k: v for k, v in vars(child).items() if k not in {"mode", "report_to"}} == \
        {k: v for k, v in vars(given).items() if k not in {"mode", "report_to"}}


def _report(rps: float, memory: dict) -> dict:
    def phase(rate: float) -> dict:
        return {"rps": rate, "p50_ms": 10.0, "p99_ms": 30.0, "errors": 0, "requests": 100, "memory": memory}

    results = {"submit": phase(rps), "insert": phase(rps * 10), "lookup": phase(rps * 2), "select": phase(rps * 4)}
    from bench.submit_report import ratio

    return {"results": results, "machine": {"loadavg_at_start": [1.0, 1.0, 1.0]},
            "ratios": {"submit": ratio(results["submit"], results["insert"]),
                       "lookup": ratio(results["lookup"], results["select"])}}


def test_both_modes_are_printed_side_by_side_with_their_memory():
    from bench.submit_report import comparison

    gunicorn = {"processes": 3, "peak_mib": 430.0, "mean_mib": 428.5, "largest_process_peak_mib": 200.0}
    celery = {"processes": 3, "peak_mib": 530.0, "mean_mib": 529.0, "largest_process_peak_mib": 195.0}
    text = comparison({"embedded": _report(20, {"gunicorn": gunicorn}),
                       "production": _report(30, {"gunicorn": gunicorn, "celery": celery})})
    lines = text.splitlines()
    assert "embedded" in lines[1] and "production" in lines[1]
    assert [line.split()[:2] for line in lines if line.startswith("ratio")] == [["ratio", "ours/baseline"]] * 2
    assert "0.10" in next(line for line in lines if line.startswith("ratio"))
    assert "embedded    gunicorn 3 processes: peak 430.0, mean 428.5 (largest process 200.0)" in text
    assert "celery 3 processes: peak 530.0, mean 529.0" in text


@pytest.mark.production
def test_a_short_production_run_measures_the_four_endpoints_and_the_memory(tmp_path):
    from tests.exchange.installations import HarnessError, _pg_bin
    from tests.tools import MISSING, require

    require("redis-server")
    try:
        _pg_bin()
    except HarnessError:
        pytest.skip(f"{MISSING} initdb (Debian package postgresql)")
    report = tmp_path / "production.json"
    done = subprocess.run(
        [sys.executable, "-m", "bench.submit_lookup", "--mode", "production", "--duration", "3", "--warmup", "1",
         "--connections", "8", "--drafts", "100", "--report-to", str(report)],
        cwd=BASE_DIR, capture_output=True, text=True, timeout=600)
    assert done.returncode == 0, done.stderr[-4000:]
    measured = json.loads(report.read_text())
    assert measured["server"]["EGOV_PRODUCTION"] is True
    assert {kind: result["errors"] for kind, result in measured["results"].items()} == \
        {"insert": 0, "submit": 0, "lookup": 0, "select": 0}
    memory = measured["results"]["submit"]["memory"]
    assert memory["gunicorn"]["processes"] == 3  # the master and its two workers
    assert memory["celery"]["processes"] >= 2 and memory["celery"]["peak_mib"] > 0
    assert "celery" in measured["results"]["submit"]["cpu_cores"]
    assert "=== Production mode" in done.stdout
