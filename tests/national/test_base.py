"""The one door to a national system (national.base) against a real simulator process: answers,
refusals, a system down or not configured, the circuit breaker, retries, and a log without bodies."""

import logging
import time

import pytest

from national import base
from tests.national.sims import serving
from tests.national_sim import start


@pytest.fixture
def npsp(tmp_path, settings):
    with serving("npsp", tmp_path, settings, reset_seconds=0.5) as sim:
        yield sim


def test_a_configured_system_answers_json(npsp):
    answer = base.call("npsp", "GET", "/api/thutuc")
    assert answer == {"thuTuc": []}


def test_not_configured_is_unavailable_with_a_message_for_the_official(settings):
    settings.NATIONAL_SYSTEMS = {**settings.NATIONAL_SYSTEMS, "npsp": {"url": "", "token": ""}}
    assert not base.configured("npsp")
    with pytest.raises(base.Unavailable) as caught:
        base.call("npsp", "GET", "/api/thutuc")
    assert caught.value.reason == "not configured"
    assert "National Public Service Portal" in caught.value.message or "Cổng Dịch vụ công" in caught.value.message


def test_a_wrong_token_is_refused_with_the_systems_code(npsp, settings):
    settings.NATIONAL_SYSTEMS = {**settings.NATIONAL_SYSTEMS, "npsp": {"url": npsp.url, "token": "wrong"}}
    with pytest.raises(base.Refused) as caught:
        base.call("npsp", "GET", "/api/thutuc")
    assert (caught.value.status, caught.value.code) == (401, "100")


def test_a_4xx_is_refused_and_does_not_count_against_the_breaker(npsp):
    for _ in range(base.FAIL_MAX + 1):
        with pytest.raises(base.Refused) as caught:
            base.call("npsp", "POST", "/api/hoso/KHONG-CO/trangthai", json={"trangThai": 4})
        assert caught.value.status == 404
    assert base.breaker_state("npsp") == "closed"


def test_a_system_down_is_unavailable(npsp):
    npsp.stop()
    with pytest.raises(base.Unavailable) as caught:
        base.call("npsp", "GET", "/api/thutuc")
    assert caught.value.reason == "ConnectionError"


def test_the_breaker_opens_after_three_failures_and_closes_when_the_system_is_back(npsp, tmp_path):
    npsp.stop()
    for _ in range(base.FAIL_MAX):
        with pytest.raises(base.Unavailable):
            base.call("npsp", "GET", "/api/thutuc")
    assert base.is_open("npsp")
    # Back on the same address, but the open breaker refuses without trying until its reset time.
    back = start("npsp", npsp.data, port=int(npsp.url.rsplit(":", 1)[1]), secret=npsp.secret)
    try:
        with pytest.raises(base.Unavailable) as caught:
            base.call("npsp", "GET", "/api/thutuc")
        assert caught.value.reason == "breaker open"
        time.sleep(0.6)  # reset_seconds: one call goes through, succeeds, and closes the breaker
        assert base.call("npsp", "GET", "/api/thutuc") == {"thuTuc": []}
        assert base.breaker_state("npsp") == "closed"
    finally:
        back.stop()


def test_a_failure_while_half_open_opens_the_breaker_again(npsp):
    npsp.stop()
    for _ in range(base.FAIL_MAX):
        with pytest.raises(base.Unavailable):
            base.call("npsp", "GET", "/api/thutuc")
    time.sleep(0.6)
    with pytest.raises(base.Unavailable) as caught:  # the one trial call, still no answer
        base.call("npsp", "GET", "/api/thutuc")
    assert caught.value.reason != "breaker open"
    assert base.is_open("npsp")


def test_an_idempotent_read_is_retried_after_back_off_a_post_is_not(npsp):
    base.call("npsp", "POST", "/test/loi", json={"count": 2, "status": 503})
    started = time.monotonic()
    assert base.call("npsp", "GET", "/api/thutuc") == {"thuTuc": []}  # two 503s, then the answer
    assert time.monotonic() - started >= 0.2  # backed off between attempts
    base.call("npsp", "POST", "/test/loi", json={"count": 1, "status": 503})
    with pytest.raises(base.Unavailable) as caught:
        base.call("npsp", "POST", "/api/thutuc/dongbo", json={"maDonVi": "01840", "thuTuc": []})
    assert caught.value.reason == "HTTP 503"
    assert base.call("npsp", "GET", "/api/thutuc") == {"thuTuc": []}  # the fault was spent once


def test_the_log_names_the_call_never_its_body(npsp, caplog):
    caplog.set_level(logging.INFO, logger="national")
    body = {"maDonVi": "01840", "thuTuc": [{"maTTHC": "1.001193", "tenTTHC": "Đăng ký khai sinh",
                                             "ghiChu": "006190000101 Lục Thị Mai"}]}
    base.call("npsp", "POST", "/api/thutuc/dongbo", json=body, idempotency_key="k-1")
    records = [r for r in caplog.records if r.name == "national"]
    assert records and records[0].segment == "api" and records[0].status == 200
    for record in records:
        text = record.getMessage() + " ".join(str(v) for v in vars(record).values())
        assert "006190000101" not in text and "Lục Thị Mai" not in text


def test_a_repeated_idempotency_key_has_effect_once(npsp):
    body = {"maDonVi": "01840", "thuTuc": [{"maTTHC": "1.001193", "tenTTHC": "Đăng ký khai sinh"}]}
    first = base.call("npsp", "POST", "/api/thutuc/dongbo", json=body, idempotency_key="cong-bo-1")
    again = base.call("npsp", "POST", "/api/thutuc/dongbo", json=body, idempotency_key="cong-bo-1")
    assert first == {"status": 1, "soLuong": 1} and again.get("lapLai") is True


def test_a_secret_that_starts_with_a_dash_is_still_a_secret(tmp_path):
    """token_urlsafe may begin with "-": the command line must not take it for an option."""
    sim = start("civil_status", tmp_path / "sim", secret="-vNH-snLQfsGCveBWryXOw")
    try:
        assert sim.url.startswith("http://127.0.0.1:")
    finally:
        sim.stop()
