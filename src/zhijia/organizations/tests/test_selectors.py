import pytest

from zhijia.core.errors import NotFound
from zhijia.organizations import selectors
from zhijia.organizations.models import Organization, OrgKind


def test_subtree_questions_answer_from_the_path(world):
    # given the test tree
    # when / then: "is X under Y", "everything under Y", "count under Y"
    assert selectors.is_under(world.union_a, world.district_x)
    assert not selectors.is_under(world.union_a, world.district_y)
    assert selectors.count_under(world.district_x) == 4  # street, community, joint union, union A
    assert set(selectors.subtree(world.street_y).values_list("code", flat=True)) == {"T-YS", "T-UB"}
    assert selectors.count_under(world.national) == Organization.objects.count() - 1


def test_district_staff_sees_only_their_district(world):
    staff = world.actor("district_x_staff")
    codes = set(selectors.org_list(actor=staff).values_list("code", flat=True))
    assert codes == {"T-X", "T-XS", "T-XC", "T-XJ", "T-UA"}


def test_children_carry_their_subtree_size(world):
    children = selectors.org_children_with_counts(actor=world.actor("city_staff"), org_id=world.city.pk)
    assert [(c.code, c.subtree_size) for c in children] == [("T-X", 4), ("T-Y", 2)]


def test_a_node_is_under_itself_and_a_leaf_has_nothing_under_it(world):
    assert selectors.is_under(world.union_a, world.union_a)
    assert not selectors.is_under(world.district_x, world.union_a)  # an ancestor is not under its descendant
    assert selectors.count_under(world.union_a) == 0
    assert list(selectors.subtree(world.union_a, include_self=False)) == []


def test_siblings_with_a_common_path_prefix_are_not_under_each_other(world):
    # X and Y are both children of the city: their paths share the city's prefix and nothing more
    assert not selectors.is_under(world.district_y, world.district_x)
    assert not selectors.is_under(world.street_y, world.district_x)
    assert set(selectors.subtree(world.district_x).values_list("code", flat=True)) == {
        "T-X",
        "T-XS",
        "T-XC",
        "T-XJ",
        "T-UA",
    }


def test_org_list_filters_within_the_scope(world):
    staff = world.actor("city_staff")

    direct = selectors.org_list(actor=staff, parent_id=world.street_x.pk)
    below = selectors.org_list(actor=staff, under_id=world.district_x.pk)
    unions = selectors.org_list(actor=staff, kind=OrgKind.ENTERPRISE_UNION)
    found = selectors.org_list(actor=staff, search="社区")

    assert [o.code for o in direct] == ["T-XC", "T-UA"]
    assert [o.code for o in below] == ["T-XS", "T-XC", "T-XJ", "T-UA"]
    assert [o.code for o in unions] == ["T-UA", "T-UB"]
    assert [o.code for o in found] == ["T-XC", "T-XJ"]


def test_another_districts_node_is_not_found_whatever_the_question(world):
    staff = world.actor("district_x_staff")

    with pytest.raises(NotFound) as get:
        selectors.org_get(actor=staff, org_id=world.union_b.pk)
    with pytest.raises(NotFound):
        selectors.org_list(actor=staff, under_id=world.district_y.pk)
    with pytest.raises(NotFound):
        selectors.org_children_with_counts(actor=staff, org_id=world.city.pk)

    assert get.value.code == "org.not_found"


@pytest.mark.parametrize("name", ["anonymous", "worker", "case_handler"])
def test_who_holds_no_tree_permission_sees_no_organisation(world, name):
    actor = world.actor(name)

    assert not selectors.org_visible(actor=actor).exists()
    assert selectors.org_root_for(actor=actor) is None


def test_a_superuser_sees_the_whole_tree_from_the_root(world):
    superuser = world.actor("superuser")

    assert selectors.org_visible(actor=superuser).count() == Organization.objects.count()
    assert selectors.org_root_for(actor=superuser) == world.national


def test_the_breadcrumb_stops_at_the_actors_own_node(world):
    district = selectors.org_ancestors_in_scope(actor=world.actor("district_x_staff"), org=world.joint_x)
    city = selectors.org_ancestors_in_scope(actor=world.actor("city_staff"), org=world.joint_x)

    assert [o.code for o in district] == ["T-X", "T-XS", "T-XC"]
    assert [o.code for o in city] == ["T-CITY", "T-X", "T-XS", "T-XC"]


def test_subtree_counts_by_kind_leave_out_the_node_itself(world):
    counts = selectors.org_subtree_counts(actor=world.actor("city_staff"), org_id=world.district_x.pk)

    assert counts == {
        OrgKind.STREET_FEDERATION: 1,
        OrgKind.COMMUNITY: 1,
        OrgKind.JOINT_UNION: 1,
        OrgKind.ENTERPRISE_UNION: 1,
    }


def test_employers_are_listed_only_in_the_subtree_they_are_located_in(world):
    x = selectors.employer_list(actor=world.actor("district_x_staff"))
    y = selectors.employer_list(actor=world.actor("district_y_staff"))

    assert [e.name for e in x] == ["X甲公司"]
    assert [e.name for e in y] == ["Y乙公司"]
    assert not selectors.employer_list(actor=world.actor("worker")).exists()


def test_the_api_lists_one_level_with_parents_and_subtree_sizes(world, api_as):
    api = api_as(world.actor("district_x_staff"))

    listing = api.get("/orgs", parent_id=world.street_x.pk)
    children = api.get(f"/orgs/{world.district_x.pk}/children")
    stats = api.get(f"/orgs/{world.district_x.pk}/stats")

    assert listing.status_code == 200
    assert listing.json()["count"] == 2
    assert [(o["code"], o["parent_id"]) for o in listing.json()["items"]] == [
        ("T-XC", world.street_x.pk),
        ("T-UA", world.street_x.pk),
    ]
    assert [(o["code"], o["children"], o["subtree_size"]) for o in children.json()] == [("T-XS", 2, 3)]
    assert stats.json()["total_below"] == 4


def test_the_api_answers_404_for_another_districts_node(world, api_as):
    api = api_as(world.actor("district_x_staff"))

    for path in (f"/orgs/{world.union_b.pk}", f"/orgs/{world.union_b.pk}/children", f"/orgs/{world.street_y.pk}/stats"):
        response = api.get(path)
        assert response.status_code == 404, path
        assert response.json()["code"] == "org.not_found"
