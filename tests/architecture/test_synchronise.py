"""The generated part of the model follows the configuration; hand-entered rows are left alone."""

import pytest

from accounts.models import User
from api.services import create_token, revoke_token
from architecture import services
from architecture.discovery import discover, where
from architecture.models import Component, Connection, Kind, Layer, Status
from directory.models import Agency
from exchange.models import Dialect, Partner

pytestmark = pytest.mark.django_db


def test_every_project_module_is_a_generated_component_with_its_subsystem(demo):
    services.synchronise(acting_user=None)
    modules = {c.key: c for c in Component.objects.filter(kind=Kind.MODULE)}
    for label in ("dossiers", "documents", "exchange", "api", "signing", "payments", "notifications", "architecture"):
        assert f"module:{label}" in modules
    assert "module:egov" not in modules
    assert not any(key.startswith("module:django") or key.startswith("module:axes") for key in modules)
    assert modules["module:dossiers"].name == "Hồ sơ"
    assert modules["module:dossiers"].group == "Một cửa (thủ tục hành chính)"
    assert modules["module:signing"].layer == Layer.SECURITY
    assert all(component.generated for component in modules.values())


def test_configured_integrations_become_components_and_connections(demo, settings):
    settings.EXCHANGE_AXIS_URL = "https://user:secret@axis.example.vn:8443/edxml/?token=x"
    settings.EXCHANGE_SYSTEM_ID = "H19.99"
    settings.EMAIL_HOST = "smtp.example.vn"
    settings.OIDC_OP_ISSUER, settings.OIDC_ENABLED = "https://id.example.vn/realms/vneid", True
    settings.REDIS_URL = "redis://:pw@cache.example.vn:6379/0"
    settings.CELERY_BROKER_URL = "amqp://egov:pw@mq.example.vn:5672//"
    services.synchronise(acting_user=None)
    axis = Component.objects.get(key="ext:exchange-axis")
    assert axis.status == Status.IN_OPERATION
    assert "https://axis.example.vn:8443" in axis.description and "H19.99" in axis.description
    assert Connection.objects.filter(key="module:exchange->ext:exchange-axis", status=Status.IN_OPERATION).exists()
    assert Component.objects.get(key="ext:smtp").status == Status.IN_OPERATION
    assert Component.objects.get(key="ext:oidc").description.endswith("https://id.example.vn.")
    assert Component.objects.get(key="tech:broker").name == "Hàng đợi tác vụ (RabbitMQ)"
    assert Component.objects.get(key="tech:cache").name == "Bộ nhớ đệm (Redis)"
    # No credential, path or query of an address reaches the model.
    everything = " ".join(Component.objects.values_list("description", flat=True))
    assert "secret" not in everything and ":pw@" not in everything and "token=x" not in everything


def test_where_keeps_only_scheme_host_and_port():
    assert where("https://u:p@host.vn:8443/a/b?c=d#e") == "https://host.vn:8443"
    assert where("") == ""
    assert where("not a url") == ""


def test_an_agency_moved_to_another_system_appears_behind_the_axis(demo):
    services.synchronise(acting_user=None)
    agency = Agency.objects.get(code=demo.agencies["SXD"].code)
    assert not Component.objects.filter(key=f"org:{agency.code}").exists()
    agency.on_other_system = True
    agency.save()
    result = services.synchronise(acting_user=None)
    component = Component.objects.get(key=f"org:{agency.code}")
    assert component.owner == agency and agency.name in component.name
    assert component.name in result.created
    link = Connection.objects.get(key=f"ext:exchange-axis->org:{agency.code}")
    assert link.target == component and link.status == Status.IN_OPERATION
    # Without an axis address the axis is drawn, as planned.
    assert Component.objects.get(key="ext:exchange-axis").status == Status.PLANNED


def test_a_partner_and_an_api_token_holder_appear(demo):
    services.synchronise(acting_user=None)
    Partner.objects.create(code="000.00.00.G22", name="Bộ Tư pháp", dialect=Dialect.EDOC)
    business = User.objects.create_user(username="api-client", kind=User.Kind.BUSINESS, full_name="Nguyễn Văn Riêng")
    create_token(user=business, name="Phần mềm kế toán")
    services.synchronise(acting_user=None)
    partner = Component.objects.get(key="org:000.00.00.G22")
    assert partner.name == "Hệ thống quản lý văn bản của Bộ Tư pháp" and "eDoc" in partner.description
    clients = Component.objects.get(key="api-clients:business")
    assert clients.name == "Ứng dụng khách API: doanh nghiệp"
    assert "Nguyễn Văn Riêng" not in clients.description and "api-client" not in clients.description
    assert Connection.objects.filter(source=clients, target__key="module:api").exists()


def test_vanished_generated_components_are_retired_and_hand_entered_ones_untouched(demo):
    partner = Partner.objects.create(code="000.00.00.G22", name="Bộ Tư pháp")
    services.synchronise(acting_user=None)
    generated = Component.objects.get(key="org:000.00.00.G22")
    hand = Component.objects.create(name="Hệ thống một cửa của Bộ", layer=Layer.APPLICATION, kind=Kind.AGENCY_SYSTEM,
                                    status=Status.PLANNED, description="nhập tay")
    hand_link = Connection.objects.create(source=hand, target=generated, protocol="HTTPS")
    before = (hand.name, hand.status, hand.description, hand.updated_at)

    partner.delete()
    result = services.synchronise(acting_user=None)

    generated.refresh_from_db()
    assert generated.status == Status.RETIRED and generated.name in result.retired
    assert Connection.objects.get(key="ext:exchange-axis->org:000.00.00.G22").status == Status.RETIRED
    hand.refresh_from_db()
    hand_link.refresh_from_db()
    assert (hand.name, hand.status, hand.description, hand.updated_at) == before
    assert hand_link.status == Status.IN_OPERATION and not hand_link.generated

    # Back in the configuration, back in operation: the same row, by its stable key.
    Partner.objects.create(code="000.00.00.G22", name="Bộ Tư pháp")
    services.synchronise(acting_user=None)
    assert Component.objects.get(key="org:000.00.00.G22").pk == generated.pk
    assert Component.objects.get(pk=generated.pk).status == Status.IN_OPERATION


def test_a_revoked_token_leaves_its_group_retired(demo):
    business = User.objects.create_user(username="api-client", kind=User.Kind.BUSINESS)
    token, _ = create_token(user=business, name="Phần mềm kế toán")
    services.synchronise(acting_user=None)
    revoke_token(token=token)
    services.synchronise(acting_user=None)
    assert Component.objects.get(key="api-clients:business").status == Status.RETIRED


def test_synchronising_twice_changes_nothing_the_second_time(demo):
    services.synchronise(acting_user=None)
    again = services.synchronise(acting_user=None)
    assert (again.created, again.updated, again.retired) == ([], [], [])


def test_synchronising_in_english_writes_the_platform_language(demo):
    from django.utils import translation

    services.synchronise(acting_user=None)
    with translation.override("en"):
        result = services.synchronise(acting_user=None)
    assert result.updated == []
    assert Component.objects.get(key="module:dossiers").name == "Hồ sơ"


def test_discovery_names_no_person(demo):
    found = discover()
    text = " ".join(f"{c.name} {c.description}" for c in found.components)
    for user in User.objects.exclude(full_name=""):
        assert user.full_name not in text
