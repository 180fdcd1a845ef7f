"""The API's flows keep the promises of its OpenAPI document, call after call: schemathesis builds a
state machine from the document's links (api/links.py) — search procedures → read one → submit a
dossier for it → read, track, withdraw it or answer a supplement request; list dossiers → read one
→ download a file — and walks chains of those calls against the test database, in-process (WSGI).
Every answer must be documented for its operation (status, content type, headers, body schema)
and none may be a server error.

The links are in the document itself, not configured here: a client reads the same flows from it
(schemathesis adds a few it infers from the schemas, such as a file's download address).
A generated submission rarely fills a real e-form and its papers, so the catalog holds one
procedure whose e-form and papers are all optional; the link from a procedure to the submission
supplies the procedure's and agency's codes, and the walk reaches dossiers that really exist.
Each scenario starts from the same database (a savepoint rolled back at its end) holding one
dossier the citizen submitted before, so the walk is the same on every run and database.
Bounded (a fixed number of derandomised scenarios of a few steps), so a run is short and repeatable.
"""

from collections import Counter

import pytest
import schemathesis
from django.core.handlers.wsgi import WSGIHandler
from django.db import transaction
from hypothesis import HealthCheck, settings
from schemathesis import GenerationMode
from schemathesis.specs.openapi.checks import response_headers_conformance

from api import services as tokens
from api.main import api
from procedures.models import Procedure
from tests.factories import make_procedure, submit_birth
from tests.test_openapi_contract import CHECKS, _connection_kept  # noqa: F401 (a fixture)

# The citizen's flows (the e-office's documents and tasks are an official's: the contract test).
schema = schemathesis.openapi.from_wsgi("/api/v1/openapi.json", WSGIHandler()).include(
    tag=["procedures", "dossiers", "lookup"])
# Valid requests only, without NUL characters: a flow goes on from a success (the contract test sends
# invalid ones and NULs, which are refused with 422).
schema.config.generation.update(modes=[GenerationMode.POSITIVE], allow_x00=False)
SCENARIOS = settings(max_examples=100, stateful_step_count=8, derandomize=True, deadline=None, database=None,
                     suppress_health_check=list(HealthCheck))
OPTIONAL_FORM = {"type": "object", "properties": {"note": {"type": "string", "title": "Ghi chú"}}}


class ApiFlows(schema.as_state_machine()):  # type: ignore[misc]
    """Every call with the citizen's token; every answer checked against the document."""

    headers: dict[str, str] = {}
    seen: Counter = Counter()
    refusals: list[str] = []  # why a submission was refused, for the failure message

    def setup(self):
        """Each scenario starts from the same database: what one scenario submitted must not change
        what the next draws (Hypothesis replays scenarios, and a list that was empty the first time
        would give it other data: "FlakyStrategyDefinition")."""
        self._scenario = transaction.atomic()
        # As a test case's own block: the services' durable blocks (a withdrawal) may open inside it.
        self._scenario._from_testcase = True
        self._scenario.__enter__()

    def teardown(self):
        transaction.set_rollback(True)
        self._scenario.__exit__(None, None, None)
        super().teardown()

    def get_call_kwargs(self, case):
        return {"headers": self.headers}

    def after_call(self, response, case):
        super().after_call(response, case)
        operation = case.operation.definition.raw.get("operationId")
        ApiFlows.seen[(operation, response.status_code)] += 1
        if operation == "submitDossier" and response.status_code == 422 and len(ApiFlows.refusals) < 3:
            ApiFlows.refusals.append(response.text[:500])

    def validate_response(self, response, case, additional_checks=None, **kwargs):
        case.validate_response(response, checks=[*CHECKS, response_headers_conformance], transport_kwargs=kwargs, recorder=self.recorder)


@pytest.fixture
def catalog(demo, monkeypatch, settings, tmp_path, _connection_kept):  # noqa: F811 (the fixture imported above)
    """One procedure anyone can apply for with nothing but its code and agency, a citizen's token and
    a dossier the citizen submitted before (each scenario starts from it: the list leads to it).
    Throttling is off, or most answers would be 429 once the one test address has made a hundred
    requests."""
    settings.MEDIA_ROOT = tmp_path / "media"
    submit_birth(demo, make_procedure(agencies=[demo.agencies["01840"]]))
    ours = make_procedure(agencies=[demo.agencies["01840"]], code="9.000777", fees=[], schema=OPTIONAL_FORM,
                          papers=[("Giấy tờ khác (nếu có)", False, ["pdf"])])
    # The only one found, so that a search leads to it: a demo procedure's papers are required.
    Procedure.objects.exclude(pk=ours.pk).update(active=False)
    for throttle in api.throttle:
        monkeypatch.setattr(throttle, "allow_request", lambda request: True)
    raw = tokens.create_token(user=demo.users["congdan@example.vn"], name="ứng dụng di động")[1]
    monkeypatch.setattr(ApiFlows, "headers", {"Authorization": f"Bearer {raw}"})
    monkeypatch.setattr(ApiFlows, "seen", Counter())
    monkeypatch.setattr(ApiFlows, "refusals", [])


def test_the_documents_links_are_the_api_flows(client):
    document = client.get("/api/v1/openapi.json").json()
    links = {(path, method, status): set(response.get("links", {}))
             for path, operations in document["paths"].items()
             for method, operation in operations.items()
             for status, response in operation["responses"].items()}
    assert links["/api/v1/procedures/{code}", "get", "200"] == {"SubmitDossier"}
    assert links["/api/v1/dossiers", "post", "201"] == {"GetDossier", "WithdrawDossier", "AnswerSupplement",
                                                        "TrackDossier"}


def test_chains_of_calls_along_the_links_break_nothing_and_keep_the_document(catalog):
    ApiFlows.run(settings=SCENARIOS)
    seen = ApiFlows.seen
    # The walk went from the catalog to the submission, and from the list to a dossier that exists
    # and its files. Whether a generated submission is accepted varies with the constants Hypothesis
    # draws from the modules a run has loaded (the whole suite loads more): a 201 answer and its
    # links are checked when one comes, and the submission itself by tests/test_api.py.
    assert seen["getProcedure", 200] and any(op == "submitDossier" for op, _ in seen), sorted(seen.items())
    assert seen["getDossier", 200] and seen["downloadDossierFile", 200], (sorted(seen.items()), ApiFlows.refusals)
    assert not any(status >= 500 for (_operation, status) in seen), dict(seen)
