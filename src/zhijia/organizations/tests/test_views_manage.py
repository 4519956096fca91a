"""The console page for adding a child node and moving a subtree."""

from zhijia.organizations.models import Organization, OrgKind


def test_district_admin_adds_a_grassroots_union_under_a_street(client, world):
    client.force_login(world.actor("district_x_staff"))
    response = client.post(
        f"/console/orgs/{world.street_x.pk}/manage/",
        {"add_child": "1", "name": "X丙公司工会", "code": "T-UC", "kind": OrgKind.ENTERPRISE_UNION},
    )
    created = Organization.objects.get(code="T-UC")
    assert response.status_code == 302
    assert response["Location"] == f"/console/orgs/{created.pk}/"
    assert created.path.startswith(world.street_x.path)


def test_moving_a_street_under_a_community_is_refused_in_chinese(client, world):
    client.force_login(world.actor("city_staff"))
    before = world.street_y.path
    response = client.post(
        f"/console/orgs/{world.street_y.pk}/manage/", {"move": "1", "new_parent_code": world.community_x.code}
    )
    assert response.status_code == 200
    assert "下级组织的层级必须低于上级" in response.content.decode()
    world.street_y.refresh_from_db()
    assert world.street_y.path == before


def test_moving_a_street_to_the_sibling_district(client, world):
    client.force_login(world.actor("city_staff"))
    response = client.post(
        f"/console/orgs/{world.street_y.pk}/manage/", {"move": "1", "new_parent_code": world.district_x.code}
    )
    assert response.status_code == 302
    union_b = Organization.objects.get(pk=world.union_b.pk)
    assert union_b.path.startswith(world.district_x.path)


def test_another_districts_staff_cannot_reach_the_page(client, world):
    client.force_login(world.actor("district_y_staff"))
    assert client.get(f"/console/orgs/{world.street_x.pk}/manage/").status_code == 404


def test_read_only_staff_is_told_the_role_lacks_the_permission(client, world):
    client.force_login(world.actor("district_x_readonly"))
    response = client.get(f"/console/orgs/{world.street_x.pk}/manage/")
    assert response.status_code == 403
    assert "permission.denied" in response.content.decode()
