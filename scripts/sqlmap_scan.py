"""sqlmap against the platform's public forms (run by scripts/sqlmap.sh; see docs/security.md).

A throw-away PostgreSQL database (bench.throwaway) with the demo directory, the procedure catalog
and one submitted dossier; gunicorn serves it (bench.submit_lookup.Server); sqlmap, in batch mode,
tries every parameter of the public procedure search (page and API), the public dossier lookup
(page, with its CSRF token, and API) and the sign-in form (with its CSRF token). Each target has a
time bound. Prints one line per target and exits 1 if sqlmap found any injection point, 2 if a
target could not be tested (sqlmap failed, ran out of time, or met 403/429 answers), 0 otherwise.
Options: --level, --risk, --timeout (seconds per target), --only TEXT (the targets whose name contains
it), --database, --keep-database."""

from __future__ import annotations

import argparse
import datetime as dt
import os
import re
import shutil
import socket
import subprocess
import sys
import tempfile
import time
from pathlib import Path

sys.path.insert(0, str(Path(__file__).resolve().parent.parent))

from bench.throwaway import add_database_arguments, database, log  # noqa: E402

FOUND = re.compile(r"sqlmap identified the following injection point", re.I)
CLEAN = re.compile(r"all tested parameters do not appear to be injectable|do not appear to be injectable", re.I)


def _prepare() -> dict[str, str]:
    from directory.demo import load_demo
    from dossiers import services
    from procedures.demo import load_catalog
    from tests.factories import BIRTH_VALUES, make_procedure, pdf_file, png_file

    demo = load_demo()
    load_catalog()
    citizen, agency = demo.users["congdan@example.vn"], demo.agencies["01840"]
    birth = make_procedure(agencies=[agency], code="9.990001")
    draft = services.start_draft(applicant=citizen, procedure=birth, agency=agency)
    services.save_draft(dossier=draft, applicant=citizen, form_values=BIRTH_VALUES)
    papers = list(birth.current.papers.all())
    services.attach_papers(dossier=draft, user=citizen, uploads={papers[0].pk: pdf_file(), papers[1].pk: png_file()})
    dossier = services.submit(dossier=draft, applicant=citizen)
    return {"code": dossier.code, "phone": dossier.applicant_phone or "0912345678"}


def _targets(base: str, facts: dict[str, str]) -> list[tuple[str, list[str]]]:
    code, phone = facts["code"], facts["phone"]
    return [
        ("procedure search (page)", ["-u", f"{base}/procedures/?q=khai+sinh&field=&kind=&level=&agency=1&page=1"]),
        ("procedure search (API)", ["-u", f"{base}/api/v1/procedures?q=khai+sinh&page=1&page_size=20"]),
        # sqlmap renews the value of the token field named by --csrf-token: the field must be in the data.
        ("dossier lookup (page)", ["-u", f"{base}/dossiers/lookup/", "--data",
                                   f"csrfmiddlewaretoken=x&code={code}&secret={phone}",
                                   "--csrf-token", "csrfmiddlewaretoken", "--csrf-url", f"{base}/dossiers/lookup/"]),
        # With a marker (*) sqlmap tests the marked places only: the code in the path and the answer.
        ("dossier lookup (API)", ["-u", f"{base}/api/v1/lookup/{code}*?secret={phone}*"]),
        ("sign-in form", ["-u", f"{base}/accounts/login/", "--data",
                          "csrfmiddlewaretoken=x&username=congdan%40example.vn&password=sai",
                          "--csrf-token", "csrfmiddlewaretoken", "--csrf-url", f"{base}/accounts/login/"]),
    ]


def _scan(sqlmap: str, name: str, args: list[str], *, level: int, risk: int, timeout: float, out: Path) -> str:
    argv = [sqlmap, *args, "--batch", f"--level={level}", f"--risk={risk}", "--dbms=PostgreSQL",
            "--time-sec=2", "--timeout=15", "--retries=1", "--flush-session", "--disable-coloring",
            # Random client addresses (believed through EGOV_TRUST_PROXY): the limits on guessing would
            # otherwise answer 429 after a few requests and hide what the parameter does.
            "--tamper=xforwardedfor", f"--output-dir={out}"]
    started = time.monotonic()
    log(f"sqlmap: {name}")
    try:
        done = subprocess.run(argv, capture_output=True, text=True, timeout=timeout)
        output = done.stdout + done.stderr
        status = ("INJECTABLE" if FOUND.search(output) else "not injectable" if CLEAN.search(output)
                  else f"NOT TESTED (sqlmap exited {done.returncode})")
    except subprocess.TimeoutExpired as expired:
        output = (expired.stdout or b"").decode(errors="replace") if isinstance(expired.stdout, bytes) \
            else (expired.stdout or "")
        status = "INJECTABLE" if FOUND.search(output) else f"NOT FINISHED within {timeout:.0f} s"
    (out / f"{re.sub(r'[^a-z]+', '-', name.lower()).strip('-')}.txt").write_text(output)
    techniques = len(re.findall(r"testing '", output))
    # sqlmap's closing summary of the HTTP errors it met, e.g. "403 (Forbidden) - 353 times"
    errors = ", ".join(f"{code}×{times}" for code, times in re.findall(r"(\d{3}) \([^)]*\) - (\d+) times",
                                                                       output))
    if re.search(r"\b(403|429) \([A-Z][^)]*\) - \d+ times", output) and status == "not injectable":
        status = "NOT TESTED (answers refused: 403/429)"
    return (f"{name:<26} {status}  ({time.monotonic() - started:.0f} s, {techniques} techniques tried"
            f"{', HTTP ' + errors if errors else ''})")


def _free_port() -> int:
    with socket.socket() as sock:
        sock.bind(("127.0.0.1", 0))
        return sock.getsockname()[1]


def main(argv: list[str] | None = None) -> int:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--level", type=int, default=2)
    parser.add_argument("--risk", type=int, default=2)
    parser.add_argument("--timeout", type=float, default=300, help="seconds per target (300)")
    parser.add_argument("--only", default="", help="only the targets whose name contains this, e.g. sign-in")
    add_database_arguments(parser, default="egov_sqlmap", variable="SQLMAP_DB")
    args = parser.parse_args(argv)
    sqlmap = shutil.which("sqlmap")
    if sqlmap is None:
        print("sqlmap: not installed (scripts/sqlmap.sh installs the Debian package)", file=sys.stderr)
        return 2
    version = subprocess.run([sqlmap, "--version"], capture_output=True, text=True).stdout.strip().splitlines()[0]
    from bench.submit_lookup import Server

    with database(args.database, keep=args.keep_database) as tmp:
        os.environ.update({"EGOV_TRUST_PROXY": "1", "AXES_FAILURE_LIMIT": "1000000", "EGOV_DEBUG": "0"})
        facts = _prepare()
        server = Server(_free_port(), workers=2, threads=4, tmp=tmp)
        server.start()
        out = Path(tempfile.mkdtemp(prefix="egov-sqlmap-"))
        lines = []
        try:
            for name, target in _targets(server.base, facts):
                if args.only not in name:
                    continue
                lines.append(_scan(sqlmap, name, target, level=args.level, risk=args.risk, timeout=args.timeout,
                                   out=out))
        finally:
            server.stop()
    print(f"\nsqlmap {version}, level {args.level}, risk {args.risk}, {dt.date.today().isoformat()} "
          f"(outputs in {out})")
    for line in lines:
        print("  " + line)
    if any("INJECTABLE" in line for line in lines):
        return 1
    return 2 if any("NOT " in line for line in lines) else 0


if __name__ == "__main__":
    raise SystemExit(main())
