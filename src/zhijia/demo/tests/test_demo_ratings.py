"""The demo's ratings on a small city: workers rate the homes where their orders were completed, opinions, star
assessments, an evaluation sharing its budget to the fen and an award list; loaded once however often it runs."""

from __future__ import annotations

from django.apps import apps

from zhijia.demo.ratings import build_for
from zhijia.demo.servicemenu import build_for as build_servicemenu
from zhijia.network.models import PointKind
from zhijia.network.tests.network_support import a_point
from zhijia.ratings.models import Evaluation, HomeRating, Opinion, StarAssessment


def _counts() -> dict[str, int]:
    return {m._meta.label: m._default_manager.count() for m in apps.get_models()}


def test_the_demo_ratings_come_from_real_visits_and_load_once(world):
    for i in range(3):
        a_point(world, name=f"X职工之家{i}", kind=PointKind.ENTERPRISE_HOME, owner=world.union_a, area_m2=100 * (i + 1))
    build_servicemenu(city=world.city, admin=world.user("superuser"), homes=3, orders=120, progress=[].append)
    quiet: list[str] = []

    added = build_for(
        city=world.city, admin=world.user("city_staff"), superuser=world.user("superuser"), progress=quiet.append
    )
    counts = _counts()
    again = build_for(
        city=world.city, admin=world.user("city_staff"), superuser=world.user("superuser"), progress=quiet.append
    )

    assert added["home_ratings"] > 10
    assert HomeRating.objects.count() == added["home_ratings"]
    assert Opinion.objects.filter(answered_at__isnull=False).exists()
    assert Opinion.objects.filter(answered_at__isnull=True).exists()
    assert StarAssessment.objects.exists()
    evaluation = Evaluation.objects.get()
    assert sum(evaluation.homes.values_list("amount_fen", flat=True)) + evaluation.unallocated_fen == 100_000_000
    assert again["home_ratings"] == 0
    assert _counts() == counts
