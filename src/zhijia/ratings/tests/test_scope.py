"""Staff of one district cannot rate or assess the homes of another, nor see its opinions, through the services,
the API or the pages; and nothing changes when they try."""

from __future__ import annotations

import pytest

from zhijia.audit.models import AuditEvent
from zhijia.core.errors import NotFound, PermissionDenied
from zhijia.ratings import selectors, services
from zhijia.ratings.models import HomeRating, Opinion, StarAssessment
from zhijia.ratings.tests.ratings_support import ALL_FIVE, visit, x_home

SCORES = dict.fromkeys(ALL_FIVE, 90)


def _state() -> tuple[int, ...]:
    return (
        HomeRating.objects.count(),
        StarAssessment.objects.count(),
        Opinion.objects.filter(answered_at__isnull=False).count(),
        AuditEvent.objects.count(),
    )


def test_staff_of_one_district_cannot_rate_or_assess_homes_of_another_nor_see_its_opinions(world, api_as, client_as):
    # given a home of district X, visited and rated by a worker who also sent an opinion about it
    home = x_home(world)
    visit(world, home)
    services.rating_submit(actor=world.user("worker"), point_id=home.pk, stars=ALL_FIVE)
    opinion = services.opinion_submit(actor=world.user("worker"), body="门口太暗", point_id=home.pk)
    y = world.user("district_y_staff")
    before = _state()

    # when district Y's staff try to rate it, assess it, and read or answer its opinions
    with pytest.raises(PermissionDenied):
        services.rating_submit(actor=y, point_id=home.pk, stars=ALL_FIVE)
    with pytest.raises(NotFound):
        services.assessment_submit(actor=y, point_id=home.pk, year=2026, source="higher", scores=SCORES)
    with pytest.raises(NotFound):
        services.opinion_answer(actor=y, opinion_id=opinion.pk, answer="越权")
    api = api_as(y)
    assert api.post(f"/ratings/points/{home.pk}/ratings", {"stars": ALL_FIVE}).status_code == 403
    assert (
        api.put(
            f"/ratings/stars/{home.pk}/assessments", {"year": 2026, "source": "higher", "scores": SCORES}
        ).status_code
        == 404
    )
    assert api.get(f"/ratings/stars/{home.pk}").status_code == 404
    assert api.get("/ratings/opinions").json()["items"] == []
    assert api.post(f"/ratings/opinions/{opinion.pk}/answer", {"answer": "越权"}).status_code == 404
    pages = client_as(y)
    assert pages.get(f"/console/ratings/stars/{home.pk}/").status_code == 404
    assert pages.get(f"/console/ratings/opinions/{opinion.pk}/").status_code == 404
    assert "门口太暗" not in pages.get("/console/ratings/opinions/", {"all": "1"}).content.decode()

    # then nothing changed, and their lists hold nothing of district X
    assert _state() == before
    assert not selectors.opinion_list(actor=y).exists()
    assert not selectors.rating_list(actor=y).exists()
    assert not selectors.home_list(actor=y).filter(pk=home.pk).exists()
    # while district X's own staff see the opinion and may assess the home
    assert selectors.opinion_list(actor=world.user("district_x_staff")).get() == opinion
    services.assessment_submit(
        actor=world.user("district_x_staff"), point_id=home.pk, year=2026, source="higher", scores=SCORES
    )
