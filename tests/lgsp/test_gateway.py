"""The gateway's door for every call: the service must be granted, the quota holds (429 with
Retry-After, counted in the shared cache), and every call — refused ones too — is in the log,
without personal data or query values."""

import uuid

import pytest
from django.core.cache.backends.redis import RedisCache

from lgsp.models import CallLog

from .conftest import call, token_of

pytestmark = pytest.mark.django_db
CATEGORY = "/dmdc/Category/DanToc"


def test_a_client_without_the_scope_is_refused(make_client):
    client, secret = make_client(scopes=["dmdc.read"])
    token = token_of(client, secret)
    refused = call("POST", CATEGORY, token, body={"data": [{"ma": "99", "ten": "Thử"}]})
    assert refused.status_code == 403 and refused.json()["errorCode"] == 103
    assert call("GET", "/dmdc/Metadata/DanToc", token).status_code == 200


def test_no_token_or_a_forged_one_is_refused_with_code_100(reader):
    for token in (None, "not-a-token", reader[1] + "x"):
        refused = call("GET", CATEGORY, token)
        assert refused.status_code == 401 and refused.json()["errorCode"] == 100
        assert refused["WWW-Authenticate"].startswith("Bearer")


def test_over_its_minute_quota_a_client_gets_429_with_retry_after(make_client):
    client, secret = make_client(per_minute=3)
    token = token_of(client, secret)
    assert [call("GET", CATEGORY, token).status_code for _ in range(3)] == [200, 200, 200]
    refused = call("GET", CATEGORY, token)
    assert refused.status_code == 429 and refused.json()["errorCode"] == 429
    assert 1 <= int(refused["Retry-After"]) <= 60


def test_over_its_daily_quota_a_client_waits_until_midnight(make_client):
    client, secret = make_client(per_minute=100, per_day=2)
    token = token_of(client, secret)
    assert [call("GET", CATEGORY, token).status_code for _ in range(2)] == [200, 200]
    refused = call("GET", CATEGORY, token)
    assert refused.status_code == 429 and 0 < int(refused["Retry-After"]) <= 86_400


def test_one_clients_quota_does_not_touch_another(make_client):
    first, first_secret = make_client(per_minute=1)
    second, second_secret = make_client(per_minute=1, name="Hệ thống khác")
    a, b = token_of(first, first_secret), token_of(second, second_secret)
    assert call("GET", CATEGORY, a).status_code == 200
    assert call("GET", CATEGORY, a).status_code == 429
    assert call("GET", CATEGORY, b).status_code == 200


def test_the_quota_is_counted_in_redis_where_every_worker_reads_it(make_client, settings):
    prefix = f"test-lgsp-{uuid.uuid4().hex[:8]}"  # this run's own keys: the other database's pass may run now
    settings.CACHES = {**settings.CACHES, "default": {
        "BACKEND": "django.core.cache.backends.redis.RedisCache", "LOCATION": "redis://127.0.0.1:6379/9",
        "KEY_PREFIX": prefix}}
    other = RedisCache("redis://127.0.0.1:6379/9", {"KEY_PREFIX": prefix})  # as another worker connects
    try:
        client, secret = make_client(per_minute=2)
        token = token_of(client, secret)
        assert [call("GET", CATEGORY, token).status_code for _ in range(3)] == [200, 200, 429]
        # Another worker: its own connection to the same Redis sees the same count.
        counted = [key for key in other._cache.get_client().keys(f"{prefix}:*lgsp:m:*")]
        assert counted and int(other._cache.get_client().get(counted[0])) == 3
    finally:  # not clear(): that would empty the whole Redis database under the other pass
        redis = other._cache.get_client()
        for key in redis.keys(f"{prefix}:*"):
            redis.delete(key)


def test_every_call_is_in_the_log_refused_ones_too_without_query_values(make_client):
    client, secret = make_client(per_minute=4)
    token = token_of(client, secret)
    statuses = [call("GET", f"{CATEGORY}?lichSu=1&cccd=001099012345", token).status_code for _ in range(4)]
    statuses.append(call("POST", CATEGORY, token, body={"data": []}).status_code)
    statuses.append(call("GET", "/dmdc/Metadata/Khong", token).status_code)
    logged = list(CallLog.objects.filter(client=client).order_by("at", "pk"))
    assert [row.status for row in logged] == statuses == [200, 200, 200, 200, 403, 429]
    assert {row.service for row in logged} == {"dmdc:category:DanToc", "dmdc:metadata:Khong"}
    assert all(row.response_bytes > 0 for row in logged)
    assert logged[0].response_bytes > 1000 and logged[-1].lgsp_code == 429
    assert not any("001099012345" in row.service or "lichSu" in row.service for row in logged)


@pytest.mark.django_db(transaction=True)
def test_outside_a_transaction_the_log_row_is_written_in_one_round_trip(make_client):
    """The path a real request takes (no test transaction around it): PostgreSQL's asynchronous
    commit for the log row alone, the caller's connection left in autocommit."""
    from django.db import connection

    client, secret = make_client()
    token = token_of(client, secret)
    assert call("GET", CATEGORY, token).status_code == 200
    assert call("GET", "/dmdc/Metadata/Khong", token).status_code == 404
    assert [(row.service, row.status) for row in CallLog.objects.filter(client=client).order_by("pk")] == [
        ("dmdc:category:DanToc", 200), ("dmdc:metadata:Khong", 404)]
    assert connection.get_autocommit() and not connection.in_atomic_block
    if connection.vendor == "postgresql":
        with connection.cursor() as cursor:
            cursor.execute("SHOW synchronous_commit")
            assert cursor.fetchone()[0] == "on"  # SET LOCAL ended with the log's transaction
