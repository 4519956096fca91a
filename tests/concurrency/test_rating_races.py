"""One rating per person, home and period even when the same member sends it many times at once: the database's
unique constraint decides, the others are told they already rated, and the points are earned once."""

from __future__ import annotations

from collections.abc import Callable
from typing import Any

import pytest

from zhijia.accounts.models import User
from zhijia.core.errors import Conflict
from zhijia.points.models import EarnEvent, EarningRule, Entry
from zhijia.ratings.models import HomeRating, RatingScore
from zhijia.ratings.services import rating_submit
from zhijia.ratings.tests.ratings_support import ALL_FIVE, visit, x_home

pytestmark = pytest.mark.postgres

THREADS = 50


def test_fifty_submissions_of_one_rating_at_once_make_one(world: Any, together: Callable[..., Any]) -> None:
    # given a home the worker visited, and a union rule that pays for a written rating
    home = x_home(world)
    visit(world, home)
    EarningRule.objects.create(org=world.district_x, event=EarnEvent.RATING_WRITTEN, points=5)
    worker = world.user("worker")

    # when the worker's rating arrives fifty times at the same instant
    def submit(i: int) -> HomeRating:
        return rating_submit(actor=User.objects.get(pk=worker.pk), point_id=home.pk, stars=ALL_FIVE, comment=f"{i}")

    outcomes = together(THREADS, submit)

    # then exactly one rating with its five scores stands, every other request was refused as a repeat, and the
    # points were earned once
    made = [o for o in outcomes if o.ok]
    refused = [o for o in outcomes if not o.ok]
    assert len(made) == 1
    assert all(isinstance(o.error, Conflict) and o.error.code == "rating.already_rated" for o in refused)
    assert HomeRating.objects.filter(point=home, user=worker).count() == 1
    assert RatingScore.objects.filter(rating__point=home).count() == 5
    assert Entry.objects.filter(user=worker, event=EarnEvent.RATING_WRITTEN).count() == 1
