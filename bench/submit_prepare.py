"""The data of bench/submit_lookup.py, made in the benchmark's own process with Django set up against
the mode's database: the baseline's table, the demo directory, the test procedure, drafts ready to
submit, and signed-in sessions as browsers hold them. The same code in both modes, so that the
server of each mode is sent the same requests."""

import time

from bench.throwaway import log

BASELINE_TABLE = ("CREATE TABLE IF NOT EXISTS bench_row (id bigserial PRIMARY KEY, payload text, "
                  "created_at timestamptz NOT NULL DEFAULT now())")


def baseline_table() -> None:
    """The table of the insert baseline (bench/baseline.py); the platform's migrations do not make it."""
    from django.db import connection

    with connection.cursor() as cursor:
        cursor.execute(BASELINE_TABLE)


def prepare(drafts_wanted: int, sessions_wanted: int) -> dict:
    """The demo (loaded if it is not), the test procedure for UBND phường Đức Xuân, ``drafts_wanted``
    drafts of the demo citizen and ``sessions_wanted`` signed-in sessions."""
    from directory.demo import load_demo
    from tests.factories import make_procedure

    started = time.perf_counter()
    demo = load_demo()
    citizen = demo.users["congdan@example.vn"]
    agency = demo.agencies["01840"]  # UBND phường Đức Xuân
    procedure = make_procedure(agencies=[agency])
    papers = list(procedure.current.papers.filter(required=True).order_by("order"))
    log(f"demo directory and procedure {procedure.code} ready in {time.perf_counter() - started:.1f} s")
    ctx = {"citizen": citizen, "procedure": procedure, "agency": agency, "papers": papers}
    started = time.perf_counter()
    ctx["drafts"] = drafts(ctx, drafts_wanted)
    elapsed = time.perf_counter() - started
    log(f"{drafts_wanted} drafts prepared in {elapsed:.1f} s ({elapsed / max(1, drafts_wanted) * 1000:.1f} ms each)")
    ctx["sessions"] = sessions(citizen, sessions_wanted)
    return ctx


def drafts(ctx: dict, count: int) -> list[int]:
    """``count`` drafts ready to submit: form filled, both required papers attached (a PDF, a PNG)."""
    from dossiers import services
    from tests.factories import BIRTH_VALUES, pdf_file, png_file

    citizen, papers = ctx["citizen"], ctx["papers"]
    made = []
    for _ in range(count):
        dossier = services.start_draft(applicant=citizen, procedure=ctx["procedure"], agency=ctx["agency"])
        services.save_draft(dossier=dossier, applicant=citizen, form_values=BIRTH_VALUES)
        services.attach_papers(dossier=dossier, user=citizen, uploads={papers[0].pk: pdf_file(), papers[1].pk: png_file()})
        made.append(dossier.pk)
    return made


def sessions(citizen, count: int) -> list[dict]:
    """One signed-in session per connection, as that many browsers of the citizen would have, each
    with its CSRF cookie and the masked token a form of the platform would carry. (If all connections
    shared one session, every request would queue on its row.)"""
    from django.conf import settings
    from django.middleware.csrf import get_token
    from django.test import Client, RequestFactory

    made = []
    for _ in range(count):
        client = Client()
        client.force_login(citizen)
        request = RequestFactory().get("/")
        token = get_token(request)
        cookie = (f"{settings.SESSION_COOKIE_NAME}={client.cookies[settings.SESSION_COOKIE_NAME].value}; "
                  f"{settings.LANGUAGE_COOKIE_NAME}=vi; {settings.CSRF_COOKIE_NAME}={request.META['CSRF_COOKIE']}")
        made.append({"cookie": cookie, "token": token})
    return made
