"""An expiring licence alerts its owner agency's administrators once per threshold (90, 30, 7
days), however often the daily task runs."""

import datetime as dt

import time_machine
from django.utils import timezone

from itplanning import services
from itplanning.models import AssetAlert, AssetKind
from itplanning.tasks import alert_expiring_assets
from notifications.models import Notification

EXPIRY = dt.date(2027, 6, 30)


def _at(day: dt.date):
    return time_machine.travel(timezone.make_aware(dt.datetime.combine(day, dt.time(7, 0))), tick=False)


def _licence(demo, agency="STP", user="quantri.stp", expires_on=EXPIRY):
    return services.create_asset(user=demo.users[user], kind=AssetKind.LICENCE, name="Bản quyền hệ điều hành máy chủ",
                                 agency=demo.agencies[agency], expires_on=expires_on)


def _told(user) -> list[str]:
    return list(Notification.objects.filter(user=user, key__startswith="itasset:").values_list("title", flat=True))


def test_an_expiring_licence_alerts_once_per_threshold(demo):
    asset = _licence(demo)
    admin = demo.users["quantri.stp"]
    with _at(EXPIRY - dt.timedelta(days=91)):
        alert_expiring_assets()
    assert _told(admin) == []
    with _at(EXPIRY - dt.timedelta(days=90)):
        alert_expiring_assets()
        alert_expiring_assets()  # the task runs twice: nothing more
    assert len(_told(admin)) == 1
    with _at(EXPIRY - dt.timedelta(days=45)):
        alert_expiring_assets()
    assert len(_told(admin)) == 1
    with _at(EXPIRY - dt.timedelta(days=30)):
        alert_expiring_assets()
    with _at(EXPIRY - dt.timedelta(days=29)):
        alert_expiring_assets()
    assert len(_told(admin)) == 2
    with _at(EXPIRY - dt.timedelta(days=7)):
        alert_expiring_assets()
        alert_expiring_assets()
    titles = _told(admin)
    assert len(titles) == 3 and "7" in titles[0]  # newest first
    assert sorted(AssetAlert.objects.filter(asset=asset).values_list("threshold_days", flat=True)) == [7, 30, 90]
    # another agency's administrator hears nothing
    assert Notification.objects.filter(key__startswith="itasset:").exclude(user=admin).count() == 0


def test_an_asset_listed_late_gets_one_alert_for_the_tightest_threshold(demo):
    with _at(EXPIRY - dt.timedelta(days=5)):
        _licence(demo)
        alert_expiring_assets()
    assert len(_told(demo.users["quantri.stp"])) == 1


def test_a_renewed_licence_is_alerted_again(demo):
    asset = _licence(demo)
    with _at(EXPIRY - dt.timedelta(days=10)):
        alert_expiring_assets()
        services.update_asset(user=demo.users["quantri.stp"], asset=asset, expires_on=EXPIRY.replace(year=2028))
    with _at(EXPIRY.replace(year=2028) - dt.timedelta(days=90)):
        alert_expiring_assets()
    assert len(_told(demo.users["quantri.stp"])) == 2


def test_an_agency_without_administrator_has_the_province_told(demo):
    _licence(demo, agency="SXD", user="giamdoc.sxd")
    with _at(EXPIRY - dt.timedelta(days=30)):
        alert_expiring_assets()
    assert len(_told(demo.users["quantri.tinh"])) == 1
    assert _told(demo.users["giamdoc.sxd"]) == []
