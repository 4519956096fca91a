"""The ratings through HTTP as members and staff use them: the home's page shows its average, a worker rates it
after a visit, staff reply and answer opinions within their district only, the evaluation exports to Excel."""

from __future__ import annotations

import io

from openpyxl import load_workbook

from zhijia.ratings import services
from zhijia.ratings.models import HomeRating, Opinion
from zhijia.ratings.tests.ratings_support import ALL_FIVE, ALL_THREE, visit, x_home


def test_the_home_page_and_the_finder_show_the_average_after_a_rating(world, client_as, api_as):
    home = x_home(world)
    page = client_as(None).get(f"/network/points/{home.pk}/")
    assert "还没有会员评价" in page.content.decode()
    visit(world, home)

    created = api_as(world.user("worker")).post(f"/ratings/points/{home.pk}/ratings", {"stars": ALL_THREE})
    assert created.status_code == 201, created.content
    services.rating_submit(actor=_second_visitor(world, home), point_id=home.pk, stars=ALL_FIVE)

    html = client_as(None).get(f"/network/points/{home.pk}/").content.decode()
    assert 'id="rating-average">4.0<' in html
    finder = client_as(None).get("/network/", {"lng": 116.40, "lat": 39.90}).content.decode()
    assert "4.0 ★ (2)" in finder
    summary = api_as(None).get(f"/ratings/points/{home.pk}/summary").json()
    assert (summary["average"], summary["count"]) == ("4.0", 2)


def _second_visitor(world, home):
    visit(world, home, who="other_worker")
    return world.user("other_worker")


def test_ratings_cannot_be_changed_or_deleted_through_the_api(world, api_as):
    home = x_home(world)
    visit(world, home)
    rating = services.rating_submit(actor=world.user("worker"), point_id=home.pk, stars=ALL_FIVE)
    staff = api_as(world.user("district_x_staff"))
    assert staff.delete(f"/ratings/{rating.pk}").status_code in (404, 405)
    assert staff.patch(f"/ratings/{rating.pk}", {"comment": "改"}).status_code in (404, 405)
    assert HomeRating.objects.get().comment == ""


def test_the_rating_page_refuses_without_a_visit_and_accepts_after_one(world, client_as):
    home = x_home(world)
    worker = client_as(world.user("worker"))
    form = {f"star_{k}": str(v) for k, v in ALL_FIVE.items()} | {"comment": "好"}

    refused = worker.post(f"/network/points/{home.pk}/rate/", form)
    assert refused.status_code == 200
    assert "签到过" in refused.content.decode()
    visit(world, home)
    accepted = worker.post(f"/network/points/{home.pk}/rate/", form)
    assert accepted.status_code == 302
    assert HomeRating.objects.filter(point=home).count() == 1


def test_staff_see_answer_opinions_of_their_district_only_and_the_worker_sees_the_answer(world, client_as, api_as):
    home = x_home(world)
    sent = api_as(world.user("worker")).post("/ratings/opinions", {"body": "希望周末开放", "point_id": home.pk})
    assert sent.status_code == 201
    opinion_id = sent.json()["id"]

    y = client_as(world.user("district_y_staff"))
    assert "希望周末开放" not in y.get("/console/ratings/opinions/").content.decode()
    assert y.get(f"/console/ratings/opinions/{opinion_id}/").status_code == 404
    assert (
        api_as(world.user("district_y_staff"))
        .post(f"/ratings/opinions/{opinion_id}/answer", {"answer": "越权"})
        .status_code
        == 404
    )
    x = client_as(world.user("district_x_staff"))
    assert "希望周末开放" in x.get("/console/ratings/opinions/").content.decode()
    assert x.post(f"/console/ratings/opinions/{opinion_id}/", {"answer": "周六开放"}).status_code == 302

    assert Opinion.objects.get().answer == "周六开放"
    assert "周六开放" in client_as(world.user("worker")).get("/ratings/mine/").content.decode()


def test_an_evaluation_downloads_as_xlsx(world, client_as):
    x_home(world, area_m2=100)
    e = services.evaluation_create(
        actor=world.user("district_x_staff"),
        owner_id=world.district_x.pk,
        year=2026,
        title="考评",
        budget_fen=10_000,
        weights={"area": 100},
    )
    response = client_as(world.user("district_x_readonly")).get(f"/console/ratings/evaluations/{e.pk}/xlsx/")
    assert response.status_code == 200
    sheet = load_workbook(io.BytesIO(response.content))["拨补经费"]
    assert any(r and r[0] == "合计" for r in sheet.iter_rows(values_only=True))
    assert (
        client_as(world.user("district_y_staff")).get(f"/console/ratings/evaluations/{e.pk}/xlsx/").status_code == 404
    )


def test_the_opinion_window_for_a_home_or_union_that_is_no_id_is_not_found_and_saves_nothing(world, client_as):
    worker = client_as(world.user("worker"))

    about_home = worker.get("/ratings/opinions/new/", {"point": "²"})
    about_union = worker.get("/ratings/opinions/new/", {"org": "²"})
    sent = worker.post("/ratings/opinions/new/", {"point": "²", "body": "希望周末开放"})

    for response in (about_home, about_union, sent):
        assert response.status_code == 404
        assert "找不到该记录，或您无权查看。" in response.content.decode()
    assert not Opinion.objects.exists()
