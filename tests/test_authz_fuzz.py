"""Authorization fuzzing generated from the URL configuration (issue 17).

Every route of the platform (walked from the URL resolver, so a new route is covered the day it is
added) is opened by people who must not see the records of Đức Xuân and of its citizen: an anonymous
visitor, another citizen, and officials of another agency (desk officer, specialist, leader). Each
parameter of a route is filled with the identifiers of those records (the dossier, its papers, slips and
events, an internal document; its code, its file hashes). Every answer must be a refusal or a page
that shows none of the records' personal data or identifiers (other than those the visitor typed in
the address), and never a server error.

A route whose parameters cannot be filled fails the test, and so does a route skipped without a reason
below: it is a rule to write, not a hole to leave.
"""

import re

import pytest
from django.test import Client
from django.urls import URLPattern, URLResolver, get_resolver

from tests.documents.search_helpers import make_document
from tests.dossier_scenarios import accepted, birth_procedure

ROLES_OUTSIDE = ["doanhnghiep@example.vn", "motcua.sxd", "chuyenvien.sxd", "giamdoc.sxd"]
DOCUMENT_MARKER = "Về việc kiểm tra nội bộ XK-7731"

# Routes not fuzzed here, each with its reason.
SKIPPED = {
    r"^admin/": "the Django admin: staff only, with its own permission checks (tests/test_admin_permissions.py)",
    r"^api/v1/": "the API: generated from its OpenAPI document (tests/test_openapi_contract.py, token scope tests)",
    r"^static/|^media/": "files served by whitenoise / never served by Django",
    r"^oidc/": "the OpenID Connect handshake (tests/test_oidc.py)",
    r"logout/$": "signing out: would end the session the fuzzing uses",
}
# Converters and the values they are filled with (see _values).
CONVERTER = re.compile(r"<(?:(?P<converter>\w+):)?(?P<name>\w+)>")


def _routes(patterns=None, prefix=""):
    for entry in patterns if patterns is not None else get_resolver().url_patterns:
        if isinstance(entry, URLResolver):
            yield from _routes(entry.url_patterns, prefix + str(entry.pattern))
        elif isinstance(entry, URLPattern):
            yield prefix + str(entry.pattern)


def _skipped(route: str) -> bool:
    return any(re.search(pattern, route) for pattern in SKIPPED)


def _urls(route: str, values: dict[str, list[str]]) -> list[str]:
    """The route with every parameter filled, once per identifier of the records (same converter)."""
    params = list(CONVERTER.finditer(route))
    if not params:
        return ["/" + route]
    kinds = {m.group("converter") or "str" for m in params}
    if not kinds <= set(values) or "(?P" in route:
        raise AssertionError(f"no values to fill {route!r}: add them to _values or a reason to SKIPPED")
    count = max(len(values[kind]) for kind in kinds)
    urls = []
    for i in range(count):
        url = route
        for match in params:
            choices = values[match.group("converter") or "str"]
            url = url.replace(match.group(0), choices[i % len(choices)], 1)
        urls.append("/" + url)
    return urls


@pytest.fixture
def records(demo):
    dossier = accepted(demo, birth_procedure(demo))
    document = make_document(demo, "01840", abstract=DOCUMENT_MARKER, created_by="vanthu.ducxuan")
    files = list(dossier.files.all())
    slips = list(dossier.slips.all())
    events = list(dossier.events.all())
    ints = [dossier.pk, document.pk, *[f.pk for f in files], *[s.pk for s in slips], *[e.pk for e in events]]
    strings = [dossier.code, *[f.sha256 for f in files]]
    values = {"int": [str(v) for v in dict.fromkeys(ints)], "str": strings, "slug": [dossier.code],
              "uuid": [str(dossier.submission_key or "00000000-0000-0000-0000-000000000000")],
              "path": [f.file.name for f in files]}
    profile = demo.users["congdan@example.vn"].profile
    markers = [dossier.code, profile.id_number, profile.phone, DOCUMENT_MARKER]
    return values, [m for m in markers if m]


def test_nobody_outside_sees_the_records_of_another_agency_or_citizen(records, sign_in):
    values, markers = records
    clients = {"anonymous": Client()}
    for username in ROLES_OUTSIDE:
        clients[username] = sign_in(username)
    leaks, errors, routes = [], [], 0
    for route in _routes():
        if _skipped(route):
            continue
        routes += 1
        for url in _urls(route, values):
            for who, client in clients.items():
                response = client.get(url, HTTP_ACCEPT_LANGUAGE="vi")
                if response.status_code >= 500:
                    errors.append(f"{who} GET {url}: {response.status_code}")
                    continue
                if response.status_code != 200 or response.get("Content-Type", "").startswith(("image/", "font/")):
                    continue
                body = response.content.decode("utf-8", errors="replace") if not response.streaming else \
                    b"".join(response.streaming_content).decode("utf-8", errors="replace")
                # A value the visitor put in the address is theirs already: only the others count.
                found = [marker for marker in markers if marker in body and marker not in url]
                if found:
                    leaks.append(f"{who} GET {url}: shows {found}")
    assert routes > 200  # the walk reached the whole URL configuration
    assert not errors, "\n".join(errors)
    assert not leaks, "\n".join(leaks)
