import pytest

from zhijia.audit.models import AuditEvent
from zhijia.core.errors import NotFound, PermissionDenied, ValidationFailed
from zhijia.organizations import selectors
from zhijia.organizations.models import Employer, Organization
from zhijia.organizations.services import org_move


def _tree() -> dict[str, tuple[str, int, int]]:
    return {o.code: (o.path, o.depth, o.numchild) for o in Organization.objects.all()}


def _fresh(org: Organization) -> Organization:
    return Organization.objects.get(pk=org.pk)


def test_moving_a_street_carries_its_whole_subtree_to_the_other_district(world):
    # given street X (a community with its joint union, and union A) under district X
    city_staff = world.actor("city_staff")
    assert selectors.count_under(world.district_x) == 4
    assert selectors.count_under(world.district_y) == 2

    # when the city moves street X under district Y
    moved = org_move(actor=city_staff, org_id=world.street_x.pk, new_parent_id=world.district_y.pk)

    # then the street and every node below it now lie under district Y, at the same depths
    district_x, district_y = _fresh(world.district_x), _fresh(world.district_y)
    assert selectors.is_under(moved, district_y)
    for node in (world.community_x, world.joint_x, world.union_a):
        fresh = _fresh(node)
        assert fresh.path.startswith(moved.path), node.code
        assert fresh.depth == node.depth, node.code
        assert selectors.is_under(fresh, district_y)
        assert not selectors.is_under(fresh, district_x)
    # the parents' child counts and the counts under both districts follow
    assert district_x.numchild == 0
    assert district_y.numchild == 2
    assert selectors.count_under(district_x) == 0
    assert selectors.count_under(district_y) == 6
    # the employer still belongs to union A: rows elsewhere point at nodes by id
    assert Employer.objects.get(pk=world.employer_a.pk).union_id == world.union_a.pk
    assert {e.name for e in selectors.employer_list(actor=world.actor("district_y_staff"))} == {"X甲公司", "Y乙公司"}


def test_after_a_move_each_district_sees_what_it_now_holds(world):
    org_move(actor=world.actor("city_staff"), org_id=world.street_x.pk, new_parent_id=world.district_y.pk)

    x_codes = set(selectors.org_list(actor=world.actor("district_x_staff")).values_list("code", flat=True))
    y_codes = set(selectors.org_list(actor=world.actor("district_y_staff")).values_list("code", flat=True))

    assert x_codes == {"T-X"}
    assert y_codes == {"T-Y", "T-YS", "T-UB", "T-XS", "T-XC", "T-XJ", "T-UA"}


def test_a_move_is_audited_with_the_old_and_new_parent(world):
    city_staff = world.actor("city_staff")
    old_path = world.street_x.path

    moved = org_move(actor=city_staff, org_id=world.street_x.pk, new_parent_id=world.district_y.pk)

    event = AuditEvent.objects.get(action="org.move")
    assert event.actor == city_staff
    assert event.org_id == moved.pk
    assert [p["id"] for p in event.changes["parent"]] == [world.district_x.pk, world.district_y.pk]
    assert event.changes["path"] == [old_path, moved.path]
    assert event.changes["subtree_size"] == 3  # the community, its joint union and union A moved along


def test_a_node_moved_into_its_own_subtree_is_refused_and_nothing_changes(world):
    before = _tree()

    for target in (world.street_x, world.community_x, world.district_x):
        with pytest.raises(ValidationFailed) as refusal:
            org_move(actor=world.actor("city_staff"), org_id=world.district_x.pk, new_parent_id=target.pk)
        assert refusal.value.code == "org.move_into_own_subtree"

    assert _tree() == before
    assert not AuditEvent.objects.filter(action="org.move").exists()


@pytest.mark.parametrize(
    ("mover", "node", "target"),
    [
        ("district_x_staff", "union_a", "street_y"),  # the target lies in another district
        ("district_y_staff", "street_x", "district_y"),  # the node lies in another district
        ("union_a_staff", "union_a", "community_x"),  # a grassroots union sees only itself
        ("worker", "union_a", "street_y"),
        ("anonymous", "union_a", "street_y"),
    ],
)
def test_a_move_reaching_outside_the_actors_scope_is_not_found_and_nothing_changes(world, mover, node, target):
    before = _tree()

    with pytest.raises(NotFound) as refusal:
        org_move(actor=world.actor(mover), org_id=getattr(world, node).pk, new_parent_id=getattr(world, target).pk)

    assert refusal.value.status == 404
    assert refusal.value.code == "org.not_found"
    assert _tree() == before


def test_staff_may_not_move_the_node_they_are_bound_to(world):
    with pytest.raises(ValidationFailed) as refusal:
        org_move(actor=world.actor("district_x_staff"), org_id=world.district_x.pk, new_parent_id=world.street_x.pk)

    assert refusal.value.code == "org.move_own_root"


def test_a_move_breaking_the_level_rule_is_refused(world):
    before = _tree()

    with pytest.raises(ValidationFailed) as refusal:
        org_move(actor=world.actor("city_staff"), org_id=world.community_x.pk, new_parent_id=world.union_b.pk)

    assert refusal.value.code == "org.level_not_below_parent"
    assert _tree() == before


def test_moving_a_node_under_its_own_parent_changes_nothing(world):
    before = _tree()

    org_move(actor=world.actor("district_x_staff"), org_id=world.union_a.pk, new_parent_id=world.street_x.pk)

    assert _tree() == before
    assert not AuditEvent.objects.filter(action="org.move").exists()


def test_a_grassroots_union_moves_between_streets_through_the_api(world, api_as):
    api = api_as(world.actor("city_staff"))

    response = api.post(f"/orgs/{world.union_a.pk}/move", {"new_parent_id": world.street_y.pk})

    assert response.status_code == 200
    assert response.json()["parent_id"] == world.street_y.pk
    assert _fresh(world.street_x).numchild == 1
    assert _fresh(world.street_y).numchild == 2


def test_another_districts_staff_moving_through_the_api_get_404_and_nothing_changes(world, api_as):
    before = _tree()

    response = api_as(world.actor("district_y_staff")).post(
        f"/orgs/{world.street_x.pk}/move", {"new_parent_id": world.district_y.pk}
    )

    assert response.status_code == 404
    assert response.json()["code"] == "org.not_found"
    assert _tree() == before


def test_read_only_staff_may_not_move_and_nothing_changes(world):
    before = _tree()

    with pytest.raises(PermissionDenied):
        org_move(actor=world.actor("district_x_readonly"), org_id=world.union_a.pk, new_parent_id=world.community_x.pk)

    assert _tree() == before
