from zhijia.organizations import selectors
from zhijia.organizations.models import Organization


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
