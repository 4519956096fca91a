"""A NUL character in a page's query or form is refused before any view runs (400, the error page in Chinese): it
would otherwise reach PostgreSQL, which cannot store one and fails the request. The API refuses it in its own way."""

from __future__ import annotations

from zhijia.ratings.models import Opinion

REFUSAL = "输入内容含有无效字符（空字符），请删除后重试。"


def _refused(response) -> None:
    assert response.status_code == 400
    page = response.content.decode()
    assert REFUSAL in page
    assert "request.invalid_character" in page


def test_a_nul_in_the_query_of_a_member_page_or_a_console_search_is_refused(world, client_as):
    _refused(client_as(None).get("/join/employers/", {"employer_q": "a\x00b"}))
    _refused(client_as(world.user("district_x_staff")).get("/console/orgs/", {"q": "a\x00b"}))
    _refused(client_as(world.user("district_x_staff")).get("/console/members/applications/", {"q\x00": "a"}))


def test_a_nul_in_a_form_is_refused_and_nothing_is_written(world, client_as):
    worker = client_as(world.user("worker"))

    _refused(worker.post("/ratings/opinions/new/", {"body": "希望周末\x00开放"}))
    _refused(worker.post("/ratings/opinions/new/", {"body": "希望周末开放", "no\x00te": "x"}))

    assert not Opinion.objects.exists()


def test_the_api_keeps_its_own_refusal_naming_the_field(world, api_as):
    response = api_as(world.user("worker")).get("/applications/employers", q="a\x00b")

    assert response.status_code == 422
    assert response.json()["code"] == "request.invalid"
    assert response.json()["detail"]["field"] == "query.q"
