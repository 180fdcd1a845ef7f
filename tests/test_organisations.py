"""Acting for others: an organisation's staff see and act on its dossiers and a removed member loses
that at once; a person acting under an authorisation receives the notices and the result, and the
public lookup answers to their phone or ID number as well as the applicant's."""

import re

import pytest
from django.core import mail
from django.core.exceptions import PermissionDenied, ValidationError
from django.test import Client

from accounts import organisations
from accounts.models import OrganisationMember, User
from dossiers import recipients, selectors, services, workflow
from dossiers.errors import TransitionRefused
from dossiers.models import Dossier
from notifications.models import Notification
from tests.factories import BIRTH_VALUES, make_procedure, pdf_file, png_file

BASE = "http://testserver/"
TAX_CODE = "4700123456"


@pytest.fixture
def business(demo):
    return demo.users["doanhnghiep@example.vn"]


@pytest.fixture
def citizen(demo):
    return demo.users["congdan@example.vn"]


@pytest.fixture
def organisation(business):
    return organisations.create_organisation(acting_user=business, name="Công ty TNHH Nông sản Ba Bể",
                                             tax_code=TAX_CODE, address="Xã Chợ Rã")


def portal_user(email: str, kind=User.Kind.CITIZEN) -> User:
    user = User.objects.create(username=email, email=email, full_name=email.split("@")[0].title(), kind=kind,
                               email_verified=True)
    user.set_password("Ba-Be-Nong-San-2026")
    user.save()
    return user


def signed_in(user: User) -> Client:
    client = Client()
    client.force_login(user, backend="accounts.backends.UsernameOrEmailBackend")
    return client


def submitted(demo, applicant, *, organisation=None, contact=None) -> Dossier:
    procedure = make_procedure(agencies=[demo.agencies["01840"]], code=f"9.0019{submitted.count:02d}")
    submitted.count += 1
    draft = services.start_draft(applicant=applicant, procedure=procedure, agency=demo.agencies["01840"])
    details = {**(contact or {}), **({"organisation": organisation} if organisation is not None else {})}
    services.save_draft(dossier=draft, applicant=applicant, form_values=BIRTH_VALUES, contact=details)
    papers = list(procedure.current.papers.all())
    services.attach_papers(dossier=draft, user=applicant, uploads={papers[0].pk: pdf_file(), papers[1].pk: png_file()})
    return services.submit(dossier=draft, applicant=applicant)


submitted.count = 0


# --- the organisation and its staff ----------------------------------------------------------------------

def test_a_business_registers_its_organisation_and_administers_it(business, citizen, organisation):
    member = OrganisationMember.objects.get(organisation=organisation)
    assert (member.user, member.role, member.active) == (business, "admin", True)
    with pytest.raises(PermissionDenied):  # a citizen's account registers no organisation
        organisations.create_organisation(acting_user=citizen, name="Hộ kinh doanh", tax_code="4700999999")
    other = portal_user("ketoan@example.vn", kind=User.Kind.BUSINESS)
    with pytest.raises(ValidationError) as refused:  # one organisation per tax code
        organisations.create_organisation(acting_user=other, name="Trùng", tax_code=TAX_CODE)
    assert "tax_code" in refused.value.message_dict
    with pytest.raises(ValidationError):
        organisations.create_organisation(acting_user=other, name="Sai mã", tax_code="47001")


def test_the_administrator_adds_an_existing_account_and_it_sees_the_organisations_dossiers(demo, business, citizen,
                                                                                           organisation):
    dossier = submitted(demo, business, organisation=organisation)
    assert not selectors.own_dossiers(citizen).filter(pk=dossier.pk).exists()
    member, invited = organisations.add_member(organisation=organisation, acting_user=business,
                                               email="CongDan@example.vn", base_url=BASE)
    assert (member.user, member.role, invited) == (citizen, "staff", False)
    assert selectors.own_dossiers(citizen).filter(pk=dossier.pk).exists()
    client = signed_in(citizen)
    assert dossier.code in client.get("/dossiers/my/").content.decode()
    assert client.get(f"/dossiers/my/{dossier.pk}/").status_code == 200
    with pytest.raises(ValidationError):  # already on the staff
        organisations.add_member(organisation=organisation, acting_user=business, email=citizen.email, base_url=BASE)


def test_staff_answer_a_supplement_request_and_withdraw_for_the_organisation(demo, business, citizen, organisation):
    dossier = submitted(demo, business, organisation=organisation)
    organisations.add_member(organisation=organisation, acting_user=business, email=citizen.email, base_url=BASE)
    workflow.request_supplement(dossier=dossier, acting_user=demo.users["motcua.ducxuan"], missing=["Giấy chứng sinh"])
    client = signed_in(citizen)
    paper = dossier.procedure_version.papers.order_by("order")[1]
    response = client.post(f"/dossiers/my/{dossier.pk}/supplement/", {f"paper-{paper.pk}": png_file(),
                                                                        "note": "Đã bổ sung"})
    assert response.status_code == 302
    dossier.refresh_from_db()
    assert dossier.status == "submitted"
    withdrawn = services.withdraw(dossier=dossier, applicant=citizen, reason="Doanh nghiệp đổi kế hoạch")
    assert withdrawn.status == "withdrawn" and withdrawn.events.last().actor == citizen


def test_a_removed_member_loses_the_organisations_dossiers_at_once(demo, business, citizen, organisation):
    dossier = submitted(demo, business, organisation=organisation)
    member, _invited = organisations.add_member(organisation=organisation, acting_user=business,
                                                email=citizen.email, base_url=BASE)
    client = signed_in(citizen)
    assert client.get(f"/dossiers/my/{dossier.pk}/").status_code == 200
    organisations.remove_member(organisation=organisation, acting_user=business, member=member)
    assert client.get(f"/dossiers/my/{dossier.pk}/").status_code == 404
    assert dossier.code not in client.get("/dossiers/my/").content.decode()
    paper = dossier.files.first()
    assert client.get(f"/dossiers/files/{paper.pk}/").status_code == 404
    with pytest.raises(TransitionRefused):
        services.withdraw(dossier=dossier, applicant=citizen, reason="Không còn làm việc ở công ty")
    assert client.get(f"/accounts/organisations/{organisation.pk}/").status_code == 404
    # A staff member who submitted for the organisation loses it too.
    organisations.add_member(organisation=organisation, acting_user=business, email=citizen.email, base_url=BASE)
    own = submitted(demo, citizen, organisation=organisation)
    assert selectors.acts_for_applicant(citizen, own)
    organisations.remove_member(organisation=organisation, acting_user=business,
                                member=OrganisationMember.objects.get(organisation=organisation, user=citizen))
    assert not selectors.acts_for_applicant(User.objects.get(pk=citizen.pk), own)
    assert selectors.acts_for_applicant(business, own)


def test_only_an_administrator_manages_the_staff_and_one_always_remains(demo, business, citizen, organisation):
    organisations.add_member(organisation=organisation, acting_user=business, email=citizen.email, base_url=BASE)
    with pytest.raises(PermissionDenied):
        organisations.add_member(organisation=organisation, acting_user=citizen, email="ai@example.vn", base_url=BASE)
    staff_page = signed_in(citizen).post(f"/accounts/organisations/{organisation.pk}/members/",
                                         {"email": "ai@example.vn", "role": "staff"})
    assert staff_page.status_code == 404 and not User.objects.filter(email="ai@example.vn").exists()
    admin = OrganisationMember.objects.get(organisation=organisation, user=business)
    with pytest.raises(ValidationError):
        organisations.remove_member(organisation=organisation, acting_user=business, member=admin)
    with pytest.raises(ValidationError) as refused:  # an official never acts for a business
        organisations.add_member(organisation=organisation, acting_user=business,
                                 email=demo.users["motcua.ducxuan"].email, base_url=BASE)
    assert "email" in refused.value.message_dict
    stranger = signed_in(portal_user("nguoila@example.vn"))
    assert stranger.get(f"/accounts/organisations/{organisation.pk}/").status_code == 404


def test_an_unknown_address_is_invited_and_sets_its_password(business, organisation, django_capture_on_commit_callbacks):
    client = signed_in(business)
    with django_capture_on_commit_callbacks(execute=True):
        response = client.post(f"/accounts/organisations/{organisation.pk}/members/",
                               {"email": "nhanvien.moi@example.vn", "role": "staff"})
    assert response.status_code == 302
    invited = User.objects.get(email="nhanvien.moi@example.vn")
    assert not invited.is_active and not invited.has_usable_password()
    assert organisations.is_active_member(invited, organisation.pk) is False  # inactive accounts act for nobody
    [message] = mail.outbox
    assert message.to == ["nhanvien.moi@example.vn"]
    assert message.subject == "Bạn được mời làm việc cho Công ty TNHH Nông sản Ba Bể"
    link = re.search(r"http://\S+", message.body).group(0)
    page = Client().get(link)
    assert page.status_code == 200 and "Kích hoạt tài khoản" in page.content.decode()
    done = Client().post(link, {"full_name": "Lò Văn Sáng", "password1": "Sang-Ba-Be-2026",
                                "password2": "Sang-Ba-Be-2026"})
    assert done.status_code == 302
    invited.refresh_from_db()
    assert invited.is_active and invited.email_verified and invited.full_name == "Lò Văn Sáng"
    assert organisations.is_active_member(invited, organisation.pk)
    assert Client().get(link).status_code == 400  # used once
    listed = client.get(f"/accounts/organisations/{organisation.pk}/").content.decode()
    assert "Lò Văn Sáng" in listed


# --- who hears about a dossier -------------------------------------------------------------------------------

def test_the_organisations_staff_are_told_in_the_app_and_a_former_member_is_not(demo, business, citizen,
                                                                                organisation, settings):
    settings.SMS_GATEWAY_URL = ""  # in the app only here
    organisations.add_member(organisation=organisation, acting_user=business, email=citizen.email, base_url=BASE)
    dossier = submitted(demo, citizen, organisation=organisation)  # a staff member submits for the organisation
    assert recipients.accounts_told(dossier) == sorted([business.pk, citizen.pk])
    organisations.remove_member(organisation=organisation, acting_user=business,
                                member=OrganisationMember.objects.get(organisation=organisation, user=citizen))
    assert recipients.accounts_told(dossier) == [business.pk]
    from notifications.services import notify_dossier_event

    notify_dossier_event(dossier.events.last().pk)
    assert list(Notification.objects.filter(dossier=dossier).values_list("user_id", flat=True)) == [business.pk]


REPRESENTATIVE = {"representative_name": "Trần Văn Bình", "representative_id_number": "006090012345",
                  "representative_phone": "0987654321", "authorisation": "Giấy ủy quyền số 12/2026 ngày 20/11/2026"}


def test_the_person_acting_under_an_authorisation_receives_the_notices_and_the_result(demo, citizen):
    alone = submitted(demo, citizen)
    assert recipients.result_contact(alone) == recipients.Contact(
        name="Nguyễn Thị Hồng", phone="0912345678", email="congdan@example.vn", representative=False)
    acting = submitted(demo, citizen, contact=REPRESENTATIVE)
    assert recipients.result_contact(acting) == recipients.Contact(
        name="Trần Văn Bình", phone="0987654321", email="congdan@example.vn", representative=True)
    without_phone = submitted(demo, citizen, contact={**REPRESENTATIVE, "representative_phone": ""})
    assert recipients.result_contact(without_phone).phone == "0912345678"  # reachable through the applicant


@pytest.mark.django_db(transaction=True)
def test_the_representatives_phone_gets_the_sms(settings, live_server):
    from directory.demo import load_demo
    from simulators.sms.models import SimulatedSms

    settings.SMS_GATEWAY_URL = f"{live_server.url}/simulators/sms/send"
    settings.EGOV_SIMULATORS = True
    settings.SMS_API_KEY = settings.SMS_SIMULATOR_API_KEY = "demo-key"
    settings.SMS_SECRET_KEY = settings.SMS_SIMULATOR_SECRET_KEY = "demo-secret"
    settings.SMS_BRANDNAME = "UBND TINH"
    demo = load_demo()
    dossier = submitted(demo, demo.users["congdan@example.vn"], contact=REPRESENTATIVE)
    assert list(SimulatedSms.objects.values_list("phone", flat=True)) == ["0987654321"]
    assert dossier.code in SimulatedSms.objects.get().content


# --- the public lookup ------------------------------------------------------------------------------------------

def look(dossier, secret, address="198.51.100.20") -> str:
    response = Client().post("/dossiers/lookup/", {"code": dossier.code, "secret": secret}, REMOTE_ADDR=address)
    assert response.status_code == 200
    return response.content.decode()


def test_the_lookup_answers_to_the_representative_as_well_as_the_applicant(demo, citizen):
    dossier = submitted(demo, citizen, contact=REPRESENTATIVE)
    for secret in ("0987 654 321", "+84987654321", "006090012345", "0912345678", "006190001234"):
        assert "Nguyễn Thị Hồng" in look(dossier, secret), secret
    assert "Nguyễn Thị Hồng" not in look(dossier, "0987654320")
    # Ten wrong answers from one address stop it there, the representative's right answer included.
    for n in range(selectors.LOOKUP_FAILURE_LIMIT):
        look(dossier, f"09000000{n:02d}", address="203.0.113.7")
    page = look(dossier, "0987654321", address="203.0.113.7")
    assert "Nguyễn Thị Hồng" not in page and "Nhập sai quá nhiều lần" in page


def test_the_api_takes_and_shows_who_acts_for_the_applicant(demo, citizen):
    """Submitted through the API with the representative in ``contact``; the dossier's contact shows them."""
    import json
    import uuid

    from api import services as tokens

    token = tokens.create_token(user=citizen, name="ứng dụng của đại lý")[1]
    procedure = make_procedure(agencies=[demo.agencies["01840"]], code="9.001999")
    papers = list(procedure.current.papers.all())
    response = Client().post("/api/v1/dossiers", {
        "procedure": procedure.code, "agency": demo.agencies["01840"].code,
        "form": json.dumps(BIRTH_VALUES, ensure_ascii=False), "contact": json.dumps(REPRESENTATIVE, ensure_ascii=False),
        f"paper_{papers[0].pk}": pdf_file(), f"paper_{papers[1].pk}": png_file()},
        HTTP_AUTHORIZATION=f"Bearer {token}", HTTP_IDEMPOTENCY_KEY=str(uuid.uuid4()))
    assert response.status_code == 201, response.content
    contact = response.json()["contact"]
    assert {name: contact[name] for name in REPRESENTATIVE} == REPRESENTATIVE
    refused = Client().post("/api/v1/dossiers", {
        "procedure": procedure.code, "agency": demo.agencies["01840"].code,
        "form": json.dumps(BIRTH_VALUES, ensure_ascii=False),
        "contact": json.dumps({"representative_name": "Trần Văn Bình"}, ensure_ascii=False)},
        HTTP_AUTHORIZATION=f"Bearer {token}", HTTP_IDEMPOTENCY_KEY=str(uuid.uuid4()))
    assert refused.status_code == 422 and "authorisation" in refused.json()["errors"]


def test_only_its_staff_apply_for_an_organisation_and_the_draft_page_offers_it(demo, business, citizen, organisation):
    procedure = make_procedure(agencies=[demo.agencies["01840"]], code="9.001999")
    # A citizen who is not on the staff cannot file a dossier in the organisation's name.
    draft = services.start_draft(applicant=citizen, procedure=procedure, agency=demo.agencies["01840"])
    with pytest.raises(PermissionDenied):
        services.save_draft(dossier=draft, applicant=citizen, form_values=BIRTH_VALUES,
                            contact={"organisation": organisation})
    page = signed_in(citizen).get(f"/dossiers/my/{draft.pk}/edit/")
    assert page.status_code == 200 and "org-organisation" not in page.content.decode()  # nothing to choose
    form = {"applicant_name": "Nguyễn Thị Hồng", "applicant_phone": "0912345678", "org-organisation": organisation.pk,
            **BIRTH_VALUES}
    signed_in(citizen).post(f"/dossiers/my/{draft.pk}/edit/", form)
    draft.refresh_from_db()
    assert draft.organisation is None  # a forged choice is not taken
    # Its administrator chooses it on the draft page.
    mine = services.start_draft(applicant=business, procedure=procedure, agency=demo.agencies["01840"])
    client = signed_in(business)
    assert "org-organisation" in client.get(f"/dossiers/my/{mine.pk}/edit/").content.decode()
    client.post(f"/dossiers/my/{mine.pk}/edit/", {**form, "applicant_name": "Trần Văn Nam"})
    mine.refresh_from_db()
    assert mine.organisation == organisation
