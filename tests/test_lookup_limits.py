"""The public lookup's limit on wrong answers (tra cứu hồ sơ): ten per hour for one client
address and one dossier, counted in the shared cache, so that guessing from one address is
stopped while a stranger's guessing never locks the applicant out."""

import pytest
from django.core.cache import cache
from django.core.cache.backends.filebased import FileBasedCache
from django.test import Client, override_settings

from dossiers import selectors
from tests.factories import make_procedure, submit_birth

NAME = "Nguyễn Thị Hồng"
RIGHT = "0912 345 678"
STOPPED = "Nhập sai quá nhiều lần cho hồ sơ này"
STRANGER, OWNER = "203.0.113.7", "198.51.100.20"


@pytest.fixture
def dossier(demo):
    return submit_birth(demo, make_procedure(agencies=[demo.agencies["01840"]]))


def _look(dossier, secret, address) -> str:
    response = Client().post("/dossiers/lookup/", {"code": dossier.code, "secret": secret}, REMOTE_ADDR=address)
    assert response.status_code == 200
    return response.content.decode()


def _guess(dossier, times, address=STRANGER):
    for n in range(times):
        assert NAME not in _look(dossier, f"09000000{n:02d}", address)


def test_ten_wrong_answers_stop_that_address_even_with_the_right_answer(dossier):
    _guess(dossier, selectors.LOOKUP_FAILURE_LIMIT)
    page = _look(dossier, RIGHT, STRANGER)
    assert STOPPED in page and NAME not in page


def test_nine_wrong_answers_leave_the_address_free(dossier):
    _guess(dossier, selectors.LOOKUP_FAILURE_LIMIT - 1)
    assert NAME in _look(dossier, RIGHT, STRANGER)


def test_a_strangers_guessing_does_not_lock_the_applicant_out(dossier):
    _guess(dossier, selectors.LOOKUP_FAILURE_LIMIT + 3)
    page = _look(dossier, RIGHT, OWNER)
    assert NAME in page and STOPPED not in page


def test_a_strangers_guessing_does_not_lock_the_applicant_out_of_the_api(dossier):
    _guess(dossier, selectors.LOOKUP_FAILURE_LIMIT)
    url = f"/api/v1/lookup/{dossier.code}"
    assert Client().get(url, HTTP_X_LOOKUP_SECRET=RIGHT, REMOTE_ADDR=STRANGER).status_code == 429
    answer = Client().get(url, HTTP_X_LOOKUP_SECRET=RIGHT, REMOTE_ADDR=OWNER)
    assert answer.status_code == 200 and answer.json()["applicant_name"] == NAME


def test_wrong_answers_through_the_api_and_the_page_add_up(dossier):
    url = f"/api/v1/lookup/{dossier.code}"
    for _ in range(selectors.LOOKUP_FAILURE_LIMIT // 2):
        Client().get(url, HTTP_X_LOOKUP_SECRET="0999999999", REMOTE_ADDR=STRANGER)
    _guess(dossier, selectors.LOOKUP_FAILURE_LIMIT - selectors.LOOKUP_FAILURE_LIMIT // 2)
    assert STOPPED in _look(dossier, RIGHT, STRANGER)


def test_addresses_of_one_ipv6_network_count_together(dossier):
    for n in range(selectors.LOOKUP_FAILURE_LIMIT):
        _look(dossier, f"09000000{n:02d}", f"2001:db8:1:2::{n + 1:x}")
    assert STOPPED in _look(dossier, RIGHT, "2001:db8:1:2::ffff")
    assert NAME in _look(dossier, RIGHT, "2001:db8:1:3::1")


def test_the_counter_lives_in_the_configured_cache_shared_by_the_workers(dossier, tmp_path):
    location = str(tmp_path / "cache")
    shared = {"default": {"BACKEND": "django.core.cache.backends.filebased.FileBasedCache", "LOCATION": location}}
    with override_settings(CACHES=shared):
        _guess(dossier, selectors.LOOKUP_FAILURE_LIMIT)
        # Another worker process opening the same cache sees the stranger's failures...
        other_worker = FileBasedCache(location, {})
        key = selectors.lookup_failures_key(dossier, STRANGER)
        assert other_worker.get(key) == selectors.LOOKUP_FAILURE_LIMIT
        assert STOPPED in _look(dossier, RIGHT, STRANGER)
        # ...and the lock is nothing but that counter: gone from the cache, the address is free.
        cache.clear()
        assert NAME in _look(dossier, RIGHT, STRANGER)
