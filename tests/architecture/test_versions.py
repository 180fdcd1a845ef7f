"""Published versions keep history; two versions compare as added, removed and changed."""

import pytest

from architecture import services
from architecture.models import ArchitectureVersion, Component, Kind, Layer, Status
from architecture.versions import compare, freeze
from exchange.models import Partner

pytestmark = pytest.mark.django_db


def _nothing(difference) -> bool:
    return not difference["components"] and not difference["connections"]


def test_versions_are_numbered_in_order_and_frozen(demo):
    services.synchronise(acting_user=None)
    first = services.publish_version(acting_user=None, note="  đầu tiên  ")
    Component.objects.filter(key="module:dossiers").update(description="đã đổi")
    second = services.publish_version(acting_user=None)
    assert (first.number, second.number, first.note) == (1, 2, "đầu tiên")
    first.refresh_from_db()
    assert first.content["components"]["module:dossiers"]["description"] != "đã đổi"
    assert second.content["components"]["module:dossiers"]["description"] == "đã đổi"


def test_comparing_at_the_edges(demo):
    services.synchronise(acting_user=None)
    content = freeze()
    assert _nothing(compare(None, None))
    assert _nothing(compare(content, content))
    everything = compare(None, content)
    assert len(everything["components"].added) == len(content["components"])
    assert len(everything["connections"].added) == len(content["connections"])
    assert not everything["components"].removed and not everything["components"].changed
    gone = compare(content, {})
    assert len(gone["components"].removed) == len(content["components"]) and not gone["components"].added


def test_a_partner_added_between_versions_shows_as_added_and_its_removal_as_a_change(demo, settings):
    settings.EXCHANGE_AXIS_URL = "http://127.0.0.1:9/"
    services.synchronise(acting_user=None)
    before = services.publish_version(acting_user=None)
    partner = Partner.objects.create(code="000.00.00.G22", name="Bộ Tư pháp")
    services.synchronise(acting_user=None)
    after = services.publish_version(acting_user=None)
    difference = compare(before.content, after.content)
    assert [c.label for c in difference["components"].added] == ["Hệ thống quản lý văn bản của Bộ Tư pháp"]
    added_links = [c.label for c in difference["connections"].added]
    assert "Trục liên thông văn bản → Hệ thống quản lý văn bản của Bộ Tư pháp" in added_links
    assert not difference["components"].removed
    partner.delete()
    services.synchronise(acting_user=None)
    third = compare(after.content, freeze())
    retired = {c.key: c.fields for c in third["components"].changed}
    assert ("status", Status.IN_OPERATION, Status.RETIRED) in retired["org:000.00.00.G22"]


def test_a_hand_entered_component_is_compared_by_its_id(demo):
    hand = Component.objects.create(name="Kho dữ liệu đất đai", layer=Layer.DATA, kind=Kind.DATA_STORE,
                                    status=Status.PLANNED)
    before = freeze()
    hand.status = Status.IN_OPERATION
    hand.save()
    changed = compare(before, freeze())["components"].changed
    assert [(c.key, c.fields) for c in changed] == [(f"id:{hand.pk}", [("status", "planned", "in_operation")])]
    assert ArchitectureVersion.objects.count() == 0
