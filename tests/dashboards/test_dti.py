"""The DTI total adds up the province's inputs through the year's indicator tree, each node capped
at its maximum; a component indicator without a figure scores nothing and is counted as missing."""

from decimal import Decimal

import pytest
from django.core.exceptions import PermissionDenied, ValidationError

from dashboards import dti, services
from dashboards.models import DtiIndicator


def _node(code, max_points, parent=None):
    return DtiIndicator.objects.create(year=2030, code=code, name=code, parent=parent, max_points=Decimal(max_points))


@pytest.fixture
def tree_2030(demo):
    government = _node("A", "100")
    institutions = _node("A.1", "50", government)
    plan, rules = _node("A.1.1", "30", institutions), _node("A.1.2", "30", institutions)
    online = _node("A.2", "50", government)
    economy = _node("B", "40")
    share = _node("B.1", "40", economy)
    admin = demo.users["quantri.tinh"]
    services.enter_dti_input(user=admin, indicator=plan, points=Decimal("30"))
    services.enter_dti_input(user=admin, indicator=rules, points=Decimal("25"))
    services.enter_dti_input(user=admin, indicator=online, points=Decimal("42.5"))
    return {"share": share, "admin": admin, "institutions": institutions}


def test_the_total_adds_the_inputs_up_the_tree_each_node_capped(tree_2030):
    tree = dti.tree(2030)
    a, b = tree.pillars
    # A.1 = min(30 + 25, 50) = 50 (capped); A = min(50 + 42.5, 100) = 92.5
    assert [c.points for c in a.children] == [Decimal("50"), Decimal("42.5")]
    assert a.points == Decimal("92.5")
    # B.1 has no figure: B = 0, one indicator missing
    assert (b.points, b.missing) == (Decimal("0"), 1)
    # total 92.5 + 0 = 92.5 of 140 points
    assert (tree.points, tree.max_points, tree.missing) == (Decimal("92.5"), Decimal("140"), 1)


def test_a_later_input_replaces_the_figure(tree_2030):
    services.enter_dti_input(user=tree_2030["admin"], indicator=tree_2030["share"], points=Decimal("12"))
    # B = 12; total 92.5 + 12 = 104.5
    assert dti.tree(2030).points == Decimal("104.5")


def test_only_the_province_it_department_enters_figures_on_leaves(tree_2030, demo):
    with pytest.raises(PermissionDenied):
        services.enter_dti_input(user=demo.users["giamdoc.stp"], indicator=tree_2030["share"], points=Decimal(1))
    with pytest.raises(ValidationError):
        services.enter_dti_input(user=tree_2030["admin"], indicator=tree_2030["institutions"], points=Decimal(1))
    with pytest.raises(ValidationError):
        services.enter_dti_input(user=tree_2030["admin"], indicator=tree_2030["share"], points=Decimal(41))
