"""The API keeps the promises of its OpenAPI document: schemathesis generates requests for every
operation from /api/v1/openapi.json and sends them to the application in-process (WSGI). Every
answer must be documented for its operation (status code, content type, body schema) and none
may be a server error. Bounded and derandomised, so a run is repeatable and short."""

import pytest
import schemathesis
from django.core import signals
from django.core.handlers.wsgi import WSGIHandler
from django.db import close_old_connections
from hypothesis import HealthCheck, settings
from schemathesis.checks import not_a_server_error
from schemathesis.specs.openapi.checks import (
    content_type_conformance,
    response_schema_conformance,
    status_code_conformance,
)

from api import services as tokens
from api.auth import AddressThrottle, UserThrottle
from api.main import api
from tests.factories import make_procedure

CHECKS = [not_a_server_error, status_code_conformance, content_type_conformance, response_schema_conformance]


schema = schemathesis.openapi.from_wsgi("/api/v1/openapi.json", WSGIHandler())


@pytest.fixture
def _connection_kept():
    """Django closes the database connection when a request ends; its test client stops that, and
    so must a test that calls the WSGI application directly, or the test's transaction is lost."""
    for signal in (signals.request_started, signals.request_finished):
        signal.disconnect(close_old_connections)
    yield
    for signal in (signals.request_started, signals.request_finished):
        signal.connect(close_old_connections)


@pytest.fixture
def bearer(demo, monkeypatch, _connection_kept):
    """A catalog with one open procedure and a citizen's token. Throttling is off, or most answers
    would be 429 once the one test address has made a hundred requests."""
    make_procedure(agencies=[demo.agencies["01840"]])
    for throttle in api.throttle:
        assert isinstance(throttle, AddressThrottle | UserThrottle)
        monkeypatch.setattr(throttle, "allow_request", lambda request: True)
    raw = tokens.create_token(user=demo.users["congdan@example.vn"], name="cổng quốc gia")[1]
    return {"Authorization": f"Bearer {raw}"}


@schema.parametrize()
@settings(max_examples=20, derandomize=True, deadline=None, database=None,
          suppress_health_check=list(HealthCheck))
def test_every_answer_is_documented_and_no_request_breaks_the_server(case, bearer):
    case.call_and_validate(headers=bearer, checks=CHECKS)
