"""Online payment of fees (thanh toán trực tuyến) through the gateway adapter, against the local
gateway simulator over real HTTP: pay, notify, return, query; forged and replayed notifications;
refunds; the electronic receipt; reconciliation."""

import datetime as dt
import hashlib
import hmac
import io
import re
import subprocess
from urllib.parse import parse_qsl, quote_plus, urlsplit

import pytest
import requests
from django.conf import settings
from django.core.exceptions import PermissionDenied, ValidationError
from django.core.management import call_command
from django.test import Client
from django.utils import timezone
from openpyxl import load_workbook

from audit.models import AuditEntry
from directory.demo import DEMO_PASSWORD
from dossiers import workflow as dossier_workflow
from payments import gateway, services
from payments.models import Payment, PaymentNotification, PaymentStatus, Refund, RefundCause
from payments.receipts import amount_in_words
from tests.factories import make_procedure, submit_birth


@pytest.fixture(scope="session")
def demo_password_hash() -> str:
    from django.contrib.auth.hashers import make_password

    return make_password(DEMO_PASSWORD)


@pytest.fixture
def demo(db, demo_password_hash, monkeypatch):
    """The demo directory; in live-server tests the database was flushed, so it is loaded again
    (with one precomputed password hash instead of one Argon2 run per user)."""
    import django.contrib.auth.base_user as base_user

    from directory.demo import load_demo

    real = base_user.make_password
    monkeypatch.setattr(base_user, "make_password", lambda password, *args, **kwargs: (
        demo_password_hash if password == DEMO_PASSWORD and not args and not kwargs else real(password, *args,
                                                                                               **kwargs)))
    loaded = load_demo()
    monkeypatch.undo()
    return loaded


@pytest.fixture
def citizen(demo):
    return demo.users["congdan@example.vn"]


@pytest.fixture
def birth(demo):
    return make_procedure(agencies=[demo.agencies["01840"]])


def _gateway_number(payment) -> str:
    """The transaction number the gateway itself issued for this payment (never blank or "0")."""
    from paysim.models import GatewayTransaction

    number = GatewayTransaction.objects.get(txn_ref=payment.txn_ref).transaction_no
    assert number not in ("", "0")
    return number


@pytest.fixture
def dossier(birth, demo):
    return submit_birth(demo, birth)  # two copies at 8,000 đ: 16,000 đ


def _start(dossier, citizen) -> Payment:
    services.start_payment(dossier=dossier, user=citizen, ip="203.0.113.7")
    return Payment.objects.get(dossier=dossier, status=PaymentStatus.PENDING)


def _signed(params: dict) -> dict:
    """Signed as the protocol says, written out here rather than taken from the adapter."""
    data = "&".join(f"{quote_plus(k)}={quote_plus(v)}" for k, v in sorted(params.items()) if v != "")
    digest = hmac.new(settings.PAYMENT_SECRET.encode(), data.encode(), hashlib.sha512).hexdigest()
    return {**params, "v_SecureHash": digest}


def _notification(payment: Payment, **changes) -> dict:
    params = {"v_Amount": str(payment.amount * 100), "v_TxnRef": payment.txn_ref, "v_ResponseCode": "00",
              "v_TransactionNo": "14000042", "v_BankCode": "NCB", "v_PayDate": "20261125103000",
              "v_Merchant": settings.PAYMENT_MERCHANT_ID, "v_TransactionStatus": "00",
              "v_OrderInfo": payment.order_info}
    params.update(changes)
    return _signed(params)


def _ipn(client, params) -> dict:
    response = client.get("/payments/ipn", params)
    assert response.status_code == 200
    return response.json()


def _pdf_text(content: bytes) -> str:
    return subprocess.run(["pdftotext", "-enc", "UTF-8", "-", "-"], input=content, capture_output=True,
                          check=True, timeout=60).stdout.decode()


# --- The payment link --------------------------------------------------------------------

def test_payment_url_carries_the_protocol_parameters_signed_over_the_sorted_encoded_query(dossier, citizen):
    url = services.start_payment(dossier=dossier, user=citizen, ip="203.0.113.7")
    parts = urlsplit(url)
    assert url.startswith(settings.PAYMENT_GATEWAY_URL + "pay?")
    params = dict(parse_qsl(parts.query))
    payment = Payment.objects.get(dossier=dossier)
    assert params["v_Version"] == "2.1.0" and params["v_Command"] == "pay" and params["v_CurrCode"] == "VND"
    assert params["v_Merchant"] == settings.PAYMENT_MERCHANT_ID
    assert params["v_Amount"] == "1600000"  # 16,000 đ × 100
    assert params["v_TxnRef"] == payment.txn_ref and params["v_IpAddr"] == "203.0.113.7"
    assert params["v_OrderInfo"] == f"Thanh toan ho so {dossier.code}" and params["v_OrderInfo"].isascii()
    assert params["v_ReturnUrl"].endswith("/payments/return") and params["v_IpnUrl"].endswith("/payments/ipn")
    created = dt.datetime.strptime(params["v_CreateDate"], "%Y%m%d%H%M%S")
    expires = dt.datetime.strptime(params["v_ExpireDate"], "%Y%m%d%H%M%S")
    assert expires - created == dt.timedelta(minutes=15)
    assert abs(created - timezone.localtime().replace(tzinfo=None)) < dt.timedelta(minutes=1)  # Vietnam time
    given = params.pop("v_SecureHash")
    assert _signed(params)["v_SecureHash"] == given


def test_starting_again_returns_the_open_payment(dossier, citizen):
    first = services.start_payment(dossier=dossier, user=citizen, ip="203.0.113.7")
    second = services.start_payment(dossier=dossier, user=citizen, ip="203.0.113.7")
    assert first == second
    assert Payment.objects.filter(dossier=dossier).count() == 1


def test_an_expired_link_is_closed_before_a_new_one_is_opened(dossier, citizen, monkeypatch):
    old = _start(dossier, citizen)
    Payment.objects.filter(pk=old.pk).update(expires_at=timezone.now() - dt.timedelta(minutes=1))
    monkeypatch.setattr(services, "query_gateway", lambda payment: gateway.QueryAnswer(
        response_code="91", transaction_status="", amount=None, transaction_no="", bank_code="", pay_date=None))
    new = _start(dossier, citizen)
    old.refresh_from_db()
    assert old.status == PaymentStatus.EXPIRED and new.pk != old.pk


def test_an_expired_link_is_not_replaced_while_the_gateway_cannot_be_asked(dossier, citizen, settings):
    old = _start(dossier, citizen)
    Payment.objects.filter(pk=old.pk).update(expires_at=timezone.now() - dt.timedelta(minutes=1))
    settings.PAYMENT_GATEWAY_URL = "http://127.0.0.1:9/paysim/"
    with pytest.raises(ValidationError):
        services.start_payment(dossier=dossier, user=citizen, ip="203.0.113.7")
    assert list(Payment.objects.filter(dossier=dossier).values_list("status", flat=True)) == [PaymentStatus.PENDING]


def test_only_the_applicant_can_start_a_payment(dossier, demo, sign_in):
    for other in (demo.users["doanhnghiep@example.vn"], demo.users["motcua.ducxuan"]):
        with pytest.raises(PermissionDenied):
            services.start_payment(dossier=dossier, user=other, ip="203.0.113.7")
    response = sign_in("doanhnghiep@example.vn").post(f"/payments/dossier/{dossier.pk}/pay/")
    assert response.status_code == 404
    assert not Payment.objects.filter(dossier=dossier).exists()


def test_a_partial_procedure_pays_at_the_counter(demo, citizen, sign_in):
    partial = make_procedure(agencies=[demo.agencies["01840"]], kind="partial")
    dossier = submit_birth(demo, partial)
    assert not services.payable(dossier)
    with pytest.raises(ValidationError) as refused:
        services.start_payment(dossier=dossier, user=citizen, ip="203.0.113.7")
    assert "tại Bộ phận một cửa" in refused.value.messages[0]
    client = sign_in("congdan@example.vn")
    page = client.get(f"/dossiers/my/{dossier.pk}/").content.decode()
    assert "tại Bộ phận một cửa" in page and "Thanh toán trực tuyến</button>" not in page
    response = client.post(f"/payments/dossier/{dossier.pk}/pay/", follow=True)
    assert "tại Bộ phận một cửa" in response.content.decode()
    assert not Payment.objects.exists()


def test_a_dossier_without_fees_has_nothing_to_pay(demo, citizen):
    free = make_procedure(agencies=[demo.agencies["01840"]], fees=[{"name": "Miễn lệ phí", "rule": {"type": "free"}}])
    dossier = submit_birth(demo, free)
    assert dossier.fee_amount == 0
    with pytest.raises(ValidationError) as refused:
        services.start_payment(dossier=dossier, user=citizen, ip="203.0.113.7")
    assert "không có khoản phí" in refused.value.messages[0]


# --- The gateway's notification (IPN) ----------------------------------------------------

def test_a_forged_notification_is_refused_logged_and_audited(dossier, citizen, client, caplog):
    payment = _start(dossier, citizen)
    forged = {**_notification(payment), "v_SecureHash": "0" * 128}
    assert _ipn(client, forged) == {"RspCode": "97", "Message": "Invalid signature"}
    tampered = {**_notification(payment), "v_TransactionNo": "99999"}  # signed, then changed
    assert _ipn(client, tampered)["RspCode"] == "97"
    payment.refresh_from_db()
    assert payment.status == PaymentStatus.PENDING and payment.paid_at is None
    assert list(PaymentNotification.objects.values_list("verdict", flat=True)) == ["97", "97"]
    assert AuditEntry.objects.filter(summary__event="notification_rejected").count() == 2
    assert "rejected" in caplog.text and citizen.email not in caplog.text


def test_a_confirmed_notification_marks_the_payment_paid_and_a_replay_changes_nothing(dossier, citizen, client):
    payment = _start(dossier, citizen)
    params = _notification(payment)
    assert _ipn(client, params) == {"RspCode": "00", "Message": "Confirm Success"}
    payment.refresh_from_db()
    assert payment.status == PaymentStatus.PAID
    assert payment.gateway_transaction_no == "14000042" and payment.bank_code == "NCB"
    assert timezone.localtime(payment.paid_at).strftime("%Y%m%d%H%M%S") == "20261125103000"
    assert payment.receipt_no
    before = (payment.paid_at, payment.receipt_no, payment.updated_at)
    assert _ipn(client, params) == {"RspCode": "02", "Message": "Order already confirmed"}
    assert _ipn(client, _notification(payment, v_ResponseCode="24", v_TransactionStatus="02"))["RspCode"] == "02"
    payment.refresh_from_db()
    assert (payment.paid_at, payment.receipt_no, payment.updated_at) == before
    assert payment.status == PaymentStatus.PAID
    assert list(PaymentNotification.objects.order_by("id").values_list("verdict", flat=True)) == ["00", "02", "02"]
    assert AuditEntry.objects.filter(summary__event="payment_paid", object_id=str(payment.pk)).count() == 1
    assert AuditEntry.objects.filter(summary__event="notification_rejected").count() == 2
    assert not services.payable(dossier)


def test_a_notification_with_another_amount_never_pays(dossier, citizen, client):
    payment = _start(dossier, citizen)
    assert _ipn(client, _notification(payment, v_Amount="100"))["RspCode"] == "04"
    assert _ipn(client, _notification(payment, v_Amount=str(payment.amount)))["RspCode"] == "04"  # forgot × 100
    payment.refresh_from_db()
    assert payment.status == PaymentStatus.PENDING
    assert AuditEntry.objects.filter(summary__event="notification_rejected").count() == 2


def test_a_notification_for_an_unknown_reference_is_answered_not_found(dossier, citizen, client):
    payment = _start(dossier, citizen)
    assert _ipn(client, _notification(payment, v_TxnRef="261125NOSUCHREF"))["RspCode"] == "01"
    assert PaymentNotification.objects.get().payment is None


def test_a_cancellation_notification_leaves_the_dossier_unpaid(dossier, citizen, client):
    payment = _start(dossier, citizen)
    assert _ipn(client, _notification(payment, v_ResponseCode="24", v_TransactionStatus="02"))["RspCode"] == "00"
    payment.refresh_from_db()
    assert payment.status == PaymentStatus.CANCELLED and payment.paid_at is None
    assert services.payable(dossier)


def test_a_return_with_a_bad_signature_changes_nothing(dossier, citizen, client):
    payment = _start(dossier, citizen)
    response = client.get("/payments/return", {**_notification(payment), "v_SecureHash": "ab" * 64})
    assert response.status_code == 400 and "xác minh được phản hồi" in response.content.decode()
    payment.refresh_from_db()
    assert payment.status == PaymentStatus.PENDING


def test_the_return_alone_never_marks_a_payment_paid(dossier, citizen, client, settings):
    payment = _start(dossier, citizen)
    settings.PAYMENT_GATEWAY_URL = "http://127.0.0.1:9/paysim/"  # the query cannot confirm it either
    response = client.get("/payments/return", _notification(payment))
    assert response.status_code == 200 and "đang chờ xác nhận" in response.content.decode()
    payment.refresh_from_db()
    assert payment.status == PaymentStatus.PENDING


# --- Refunds, receipt --------------------------------------------------------------------

def test_a_refund_is_recorded_when_a_paid_dossier_is_refused(dossier, citizen, demo, client, sign_in):
    payment = _start(dossier, citizen)
    _ipn(client, _notification(payment))
    officer = demo.users["motcua.ducxuan"]
    dossier_workflow.refuse_at_intake(dossier=dossier, acting_user=officer, reasons="Hồ sơ không thuộc thẩm quyền")
    refund = Refund.objects.get(payment=payment)
    assert refund.amount == 16000 and refund.cause == RefundCause.REFUSED and refund.status == "recorded"
    assert AuditEntry.objects.filter(summary__event="refund_recorded", object_id=str(refund.pk)).exists()
    assert services.refund_refused_dossier(dossier_id=dossier.pk) == [refund]  # idempotent
    assert Refund.objects.count() == 1
    page = sign_in("congdan@example.vn").get(f"/dossiers/my/{dossier.pk}/").content.decode()
    assert "hoàn trả" in page


def test_a_refused_dossier_without_payment_records_no_refund(dossier, citizen, demo):
    _start(dossier, citizen)
    dossier_workflow.refuse_at_intake(dossier=dossier, acting_user=demo.users["motcua.ducxuan"], reasons="x")
    assert not Refund.objects.exists()


def test_a_second_payment_of_the_same_dossier_is_owed_back(dossier, citizen, client):
    first = _start(dossier, citizen)
    Payment.objects.filter(pk=first.pk).update(status=PaymentStatus.EXPIRED)  # its link ran out
    second = _start(dossier, citizen)
    _ipn(client, _notification(second))
    assert _ipn(client, _notification(first, v_TransactionNo="14000043"))["RspCode"] == "00"  # paid late anyway
    first.refresh_from_db()
    assert first.status == PaymentStatus.PAID and first.refund.cause == RefundCause.DUPLICATE


def test_the_receipt_is_only_for_the_applicant_and_officials_in_scope(dossier, citizen, client, sign_in):
    payment = _start(dossier, citizen)
    assert sign_in("congdan@example.vn").get(f"/payments/{payment.pk}/receipt.pdf").status_code == 404  # not paid
    _ipn(client, _notification(payment))
    url = f"/payments/{payment.pk}/receipt.pdf"
    assert sign_in("doanhnghiep@example.vn").get(url).status_code == 404
    assert sign_in("motcua.sxd").get(url).status_code == 404  # another agency
    assert Client().get(url).status_code == 302  # to the login page
    response = sign_in("motcua.ducxuan").get(url)
    assert response.status_code == 200 and response["Content-Type"] == "application/pdf"
    assert AuditEntry.objects.filter(action="read", object_id=str(dossier.pk)).exists()
    text = _pdf_text(sign_in("congdan@example.vn").get(url).content)
    assert dossier.code in text and "Nguyễn Thị Hồng" in text


@pytest.mark.parametrize("amount, words", [
    (16000, "Mười sáu nghìn đồng"),
    (25000, "Hai mươi lăm nghìn đồng"),
    (105000, "Một trăm linh năm nghìn đồng"),
    (1_021_000, "Một triệu không trăm hai mươi mốt nghìn đồng"),
    (2_000_015, "Hai triệu không trăm mười lăm đồng"),
])
def test_amount_in_words(amount, words):
    assert amount_in_words(amount) == words


def _answer(code="00", status="00", amount=16000, transaction_no="14000042"):
    return gateway.QueryAnswer(response_code=code, transaction_status=status, amount=amount,
                               transaction_no=transaction_no, bank_code="NCB", pay_date=None)


def test_reconciliation_lists_matches_mismatches_and_missing(demo, citizen, birth, client, monkeypatch):
    from payments import reconciliation

    dossiers = [submit_birth(demo, birth) for _ in range(4)]
    payments = [_start(d, citizen) for d in dossiers]
    for payment in payments[:3]:
        _ipn(client, _notification(payment))
    answers = {
        payments[0].txn_ref: _answer(),  # paid on both sides
        payments[1].txn_ref: _answer(code="91", status="", amount=None),  # unknown to the gateway
        payments[2].txn_ref: _answer(amount=8000),  # another amount
        payments[3].txn_ref: _answer(),  # paid at the gateway, notification lost
    }
    monkeypatch.setattr(reconciliation, "query_gateway", lambda payment: answers[payment.txn_ref])
    report = reconciliation.build_report(payments=Payment.objects.order_by("id"), day=timezone.localdate(),
                                         agency=demo.agencies["01840"])
    assert [line.verdict for line in report.lines] == ["match", "missing", "mismatch", "mismatch"]
    assert dict(report.counts) == {"match": 1, "missing": 1, "mismatch": 2}


def test_reconcile_keeps_a_payment_open_while_the_gateway_cannot_be_asked(dossier, citizen, settings):
    payment = _start(dossier, citizen)
    settings.PAYMENT_GATEWAY_URL = "http://127.0.0.1:9/paysim/"
    assert services.reconcile(older_than=dt.timedelta(0)) == {"unreachable": 1}
    payment.refresh_from_db()
    assert payment.status == PaymentStatus.PENDING


# --- The simulator refuses what the real gateway would refuse ----------------------------

def test_the_gateway_refuses_a_payment_link_with_a_bad_signature(dossier, citizen, client):
    url = services.start_payment(dossier=dossier, user=citizen, ip="203.0.113.7")
    tampered = url.replace("v_Amount=1600000", "v_Amount=100")
    parts = urlsplit(tampered)
    response = client.get(f"{parts.path}?{parts.query}")
    assert response.status_code == 400 and "chữ ký không hợp lệ" in response.content.decode()
    from paysim.models import GatewayTransaction

    assert not GatewayTransaction.objects.exists()


# --- The whole flow over real HTTP (live server: database flushed after each test) -------

def _token(html: str) -> str:
    return re.search(r'name="csrfmiddlewaretoken" value="([^"]+)"', html).group(1)


def _browser(base: str, username: str) -> requests.Session:
    session = requests.Session()
    page = session.get(f"{base}/accounts/login/", timeout=10)
    response = session.post(f"{base}/accounts/login/", allow_redirects=False, timeout=10, data={
        "csrfmiddlewaretoken": _token(page.text), "username": username, "password": DEMO_PASSWORD})
    assert response.status_code == 302, response.text[:300]
    return session


def _to_gateway(session, base, dossier) -> requests.Response:
    """The applicant presses "Pay online" and lands on the gateway's payment page."""
    page = session.get(f"{base}/dossiers/my/{dossier.pk}/", timeout=10)
    assert "Thanh toán trực tuyến" in page.text and "Chưa thanh toán" in page.text
    response = session.post(f"{base}/payments/dossier/{dossier.pk}/pay/", allow_redirects=False, timeout=10,
                            data={"csrfmiddlewaretoken": _token(page.text)})
    assert response.status_code == 302
    assert response.headers["Location"].startswith(settings.PAYMENT_GATEWAY_URL + "pay?")
    gateway_page = session.get(response.headers["Location"], timeout=10)
    assert gateway_page.status_code == 200
    return gateway_page


def _press(session, base, gateway_page, action: str) -> requests.Response:
    form_action = re.search(r'<form method="post" action="([^"]+)"', gateway_page.text).group(1)
    return session.post(base + form_action, allow_redirects=False, timeout=30, data={
        "csrfmiddlewaretoken": _token(gateway_page.text), "bank": "NCB", "action": action})


@pytest.fixture
def live(live_server, settings):
    settings.PAYMENT_GATEWAY_URL = live_server.url + "/paysim/"
    settings.EGOV_PUBLIC_URL = live_server.url
    return live_server.url


def test_paying_through_the_gateway_marks_the_dossier_paid_and_issues_a_receipt(live, dossier):
    browser = _browser(live, "congdan@example.vn")
    gateway_page = _to_gateway(browser, live, dossier)
    assert "16.000" in gateway_page.text and f"Thanh toan ho so {dossier.code}" in gateway_page.text
    back = _press(browser, live, gateway_page, "pay")
    assert back.status_code == 302 and back.headers["Location"].startswith(f"{live}/payments/return?")
    payment = Payment.objects.get(dossier=dossier)
    # Paid by the gateway's notification, before the browser came back.
    assert payment.status == PaymentStatus.PAID and payment.gateway_transaction_no == _gateway_number(payment)
    assert PaymentNotification.objects.filter(channel="ipn", verdict="00", payment=payment).count() == 1
    result = browser.get(back.headers["Location"], timeout=10)
    assert result.status_code == 200 and "Đã ghi nhận khoản thanh toán 16.000 đ" in result.text
    page = browser.get(f"{live}/dossiers/my/{dossier.pk}/", timeout=10).text
    assert "Đã thanh toán" in page and "Thanh toán trực tuyến</button>" not in page
    receipt = browser.get(f"{live}/payments/{payment.pk}/receipt.pdf", timeout=60)
    assert receipt.status_code == 200 and receipt.headers["Content-Type"] == "application/pdf"
    text = _pdf_text(receipt.content)
    for expected in (dossier.code, "BIÊN LAI THU PHÍ, LỆ PHÍ", "Nguyễn Thị Hồng", "Mười sáu nghìn đồng",
                     "Phí cấp bản sao", "16.000", payment.gateway_transaction_no, "Thủ tục đăng ký khai sinh"):
        assert expected in text, expected
    # The gateway's page for a finished transaction does not take a second payment.
    again = browser.post(f"{live}/payments/dossier/{dossier.pk}/pay/", timeout=10, data={
        "csrfmiddlewaretoken": _token(page)})
    assert "đã được thanh toán" in again.text
    assert Payment.objects.filter(dossier=dossier).count() == 1


def test_a_payment_cancelled_at_the_gateway_is_not_paid(live, dossier):
    browser = _browser(live, "congdan@example.vn")
    back = _press(browser, live, _to_gateway(browser, live, dossier), "cancel")
    payment = Payment.objects.get(dossier=dossier)
    assert payment.status == PaymentStatus.CANCELLED and payment.paid_at is None
    assert "đã hủy" in browser.get(back.headers["Location"], timeout=10).text
    page = browser.get(f"{live}/dossiers/my/{dossier.pk}/", timeout=10).text
    assert "Chưa thanh toán" in page and "Thanh toán trực tuyến</button>" in page


def test_a_lost_notification_is_settled_by_reconciliation(live, dossier, demo, sign_in, settings, tmp_path):
    settings.EGOV_PUBLIC_URL = "http://127.0.0.1:9"  # our notify and return URLs cannot be reached
    browser = _browser(live, "congdan@example.vn")
    back = _press(browser, live, _to_gateway(browser, live, dossier), "pay")
    assert back.headers["Location"].startswith("http://127.0.0.1:9/payments/return?")
    payment = Payment.objects.get(dossier=dossier)
    assert payment.status == PaymentStatus.PENDING
    assert not PaymentNotification.objects.filter(channel="ipn").exists()

    out = io.StringIO()
    call_command("payments", "reconcile", "--older-than", "0", stdout=out)
    assert "paid: 1" in out.getvalue()
    payment.refresh_from_db()
    assert payment.status == PaymentStatus.PAID and payment.gateway_transaction_no == _gateway_number(payment)
    assert AuditEntry.objects.filter(summary__event="payment_paid", summary__via="query").exists()

    # The day's report for the agency: officials in scope only, on screen and in Excel.
    agency = demo.agencies["01840"]
    query = {"day": timezone.localdate().isoformat(), "agency": agency.pk}
    officer = sign_in("motcua.ducxuan")
    page = officer.get("/payments/reconciliation/", query).content.decode()
    assert payment.txn_ref in page and "khớp" in page
    book = load_workbook(io.BytesIO(officer.get("/payments/reconciliation/", {**query, "format": "xlsx"}).content))
    rows = [[str(cell) for cell in row] for row in book.active.iter_rows(values_only=True)]
    line = next(row for row in rows if row[0] == payment.txn_ref)
    assert line[1] == dossier.code and line[4] == "16000" and line[8] == "khớp"
    assert payment.txn_ref not in sign_in("motcua.sxd").get("/payments/reconciliation/", query).content.decode()
    assert sign_in("congdan@example.vn").get("/payments/reconciliation/", query).status_code == 404

    output = tmp_path / "report.xlsx"
    call_command("payments", "report", "--agency", agency.code, "--output", str(output), stdout=out)
    sheet = load_workbook(output).active
    [line] = [row for row in sheet.iter_rows(values_only=True) if row[0] == payment.txn_ref]
    assert (line[1], line[4], line[8]) == (dossier.code, 16000, "khớp")


def test_the_query_api_answers_signed_and_refuses_a_bad_signature(live, dossier, citizen):
    payment = _start(dossier, citizen)
    answer = services.query_gateway(payment)  # the adapter checks the answer's signature
    assert answer.response_code == "91" and not answer.paid  # the payer never reached the gateway
    body = {"v_RequestId": "r1", "v_Version": "2.1.0", "v_Command": "querydr", "v_Merchant": "BACKAN01",
            "v_TxnRef": payment.txn_ref, "v_TransactionDate": "20261125100000", "v_CreateDate": "20261125100000",
            "v_IpAddr": "127.0.0.1", "v_OrderInfo": "x", "v_SecureHash": "00"}
    refused = requests.post(f"{live}/paysim/querydr", json=body, timeout=10).json()
    assert refused["v_ResponseCode"] == "97"
