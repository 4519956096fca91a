import pytest


def _page(response) -> str:
    return response.content.decode()


@pytest.mark.parametrize(
    ("path", "expected"),
    [
        ("/console/", ["X区总工会", "下级组织总数", "X街道总工会"]),
        ("/console/orgs/", ["组织架构", "X区总工会", "X街道总工会"]),
        ("/console/orgs/{street_x}/", ["X街道总工会", "组织编码", "T-XS", "X社区工会联合会", "X甲公司工会"]),
        ("/console/orgs/{union_a}/", ["X甲公司工会", "所属用人单位", "X甲公司"]),
    ],
)
def test_district_staff_see_their_console_pages_in_chinese(world, client_as, path, expected):
    client = client_as(world.actor("district_x_staff"))

    response = client.get(path.format(street_x=world.street_x.pk, union_a=world.union_a.pk))

    assert response.status_code == 200
    page = _page(response)
    assert '<html lang="zh-hans">' in page
    for text in expected:
        assert text in page
    assert "Y区总工会" not in page


def test_the_dashboard_counts_what_lies_below_the_staff_node(world, client_as):
    response = client_as(world.actor("city_staff")).get("/console/")

    assert response.status_code == 200
    assert response.context["total_below"] == 8  # district X's four nodes, district Y's two, and the districts


def test_the_tree_search_finds_nodes_by_name_within_the_scope(world, client_as):
    response = client_as(world.actor("district_x_staff")).get("/console/orgs/", {"q": "公司"})

    page = _page(response)
    assert "X甲公司工会" in page
    assert "Y乙公司工会" not in page


@pytest.mark.parametrize(
    "path", ["/console/orgs/{union_b}/", "/console/orgs/{street_y}/children/", "/console/orgs/{district_y}/"]
)
def test_another_districts_node_answers_404_in_chinese(world, client_as, path):
    client = client_as(world.actor("district_x_staff"))

    response = client.get(
        path.format(union_b=world.union_b.pk, street_y=world.street_y.pk, district_y=world.district_y.pk)
    )

    assert response.status_code == 404
    page = _page(response)
    assert "找不到页面" in page
    assert "Y乙公司工会" not in page
    assert "Y街道总工会" not in page


@pytest.mark.parametrize("path", ["/console/", "/console/orgs/", "/console/orgs/{union_a}/"])
def test_an_anonymous_visitor_is_sent_to_sign_in(world, client_as, path):
    path = path.format(union_a=world.union_a.pk)

    response = client_as(None).get(path)

    assert response.status_code == 302
    assert response["Location"] == f"/accounts/login/?next={path}"


def test_a_worker_has_no_console(world, client_as):
    response = client_as(world.actor("worker")).get("/console/")

    assert response.status_code == 404


def test_exporting_from_the_page_starts_a_job_and_shows_its_progress(world, client_as):
    client = client_as(world.actor("district_x_staff"))

    response = client.post(f"/console/orgs/{world.street_x.pk}/export/", follow=True)

    assert response.status_code == 200
    assert "导出组织架构：X街道总工会" in _page(response)
