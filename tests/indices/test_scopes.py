"""The scopes a reader may choose: the ward's chairman, whose ward took over three wards merged in
2025, is offered his ward first (the page opens on it), then the merged wards, each named with the day
it ended; never the province nor another commune of the province."""

from django.utils import timezone

from directory.models import AdministrativeUnit
from indices import policy
from indices.selectors import COMMUNE, PROVINCE


def test_the_units_in_force_come_first_and_the_ended_ones_say_when(demo):
    ward = demo.agencies["01840"].administrative_unit
    choices = policy.readable_scopes(demo.users["chutich.ducxuan"])
    communes = [(scope, name) for scope, name in choices if scope.kind == COMMUNE]
    assert communes[0] == (communes[0][0], ward.name) and communes[0][0].id == ward.pk
    assert choices[0][0].id == ward.pk  # the default of the page
    today = timezone.localdate()
    ended = AdministrativeUnit.objects.filter(pk__in=[scope.id for scope, _name in communes],
                                              valid_to__lt=today)
    assert ended.exists()  # the demo's wards merged into Đức Xuân
    for unit in ended:
        assert (unit.pk, f"{unit.name} (đến {unit.valid_to:%d/%m/%Y})") in [(s.id, n) for s, n in communes]
    current = [scope.id for scope, _name in communes if scope.id not in {unit.pk for unit in ended}]
    assert current == [ward.pk]
    assert PROVINCE not in [scope.kind for scope, _name in choices]
    assert demo.agencies["01837"].administrative_unit_id not in [scope.id for scope, _name in communes]
