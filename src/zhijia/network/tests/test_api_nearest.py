"""GET /api/v1/network/nearest, the member site's busiest read: its plain-JSON answer keeps the declared schema, and
the in-memory index asks the database whether the network changed at most every NETWORK_INDEX_CHECK_SECONDS, yet
follows every change: at once for a write of its own process, within that time for one made elsewhere."""

from __future__ import annotations

import datetime as dt
import json

import pytest
from django.db import connection
from django.db.models import F
from django.test.utils import CaptureQueriesContext
from ninja.responses import NinjaJSONEncoder

from zhijia.network import nearest, services
from zhijia.network.api import NearestOut
from zhijia.network.models import HomeSubtype, NetworkVersion, PointKind, PointStatus, ServicePoint
from zhijia.network.tests.network_support import X_CENTRE, a_point, with_hours
from zhijia.testing.api import JsonClient


def _find(client=None, **params):
    response = (client or JsonClient()).get("/network/nearest", lng=X_CENTRE[0], lat=X_CENTRE[1], **params)
    assert response.status_code == 200, response.content
    assert response["Content-Type"] == "application/json; charset=utf-8"
    return response.json()


def _names(body):
    return [item["name"] for item in body["items"]]


@pytest.fixture
def network(world):
    station = with_hours(world, a_point(world, name="近站", lng=X_CENTRE[0] + 0.001, facilities=["water", "toilet"]))
    home = a_point(
        world, name="园区之家", kind=PointKind.SHARED_HOME, home_subtype=HomeSubtype.PARK, lng=X_CENTRE[0] + 0.01
    )
    mobile = a_point(world, name="流动之家", kind=PointKind.SHARED_HOME, home_subtype=HomeSubtype.MOBILE)
    today = dt.date.today()
    services.mobile_stop_create(
        actor=world.user("superuser"),
        point_id=mobile.pk,
        site="全天工地",
        lng=X_CENTRE[0] + 0.002,
        lat=X_CENTRE[1],
        weekdays=list(range(7)),
        starts_on=today - dt.timedelta(days=1),
        ends_on=today + dt.timedelta(days=10),
        arrives_minute=0,
        leaves_minute=1440,
    )
    return {"station": station, "home": home, "mobile": mobile}


@pytest.mark.parametrize("coord", ["wgs84", "gcj02"])
def test_the_answer_is_exactly_in_its_declared_schema(network, coord):
    body = _find(coord=coord, limit=5)

    # What django-ninja would have written from the validated schema, once parsed.
    assert json.loads(json.dumps(NearestOut.model_validate(body).model_dump(), cls=NinjaJSONEncoder)) == body
    assert _names(body) == ["近站", "流动之家", "园区之家"]
    station, mobile, home = body["items"]
    assert station["kind"] == "rest_station"
    assert station["kind_label"] == str(PointKind.REST_STATION.label)
    assert station["facilities"] == ["water", "toilet"]
    assert station["url"] == f"/network/points/{network['station'].pk}/"
    assert station["at_stop"] is None
    assert home["open_now"] is None  # publishes no hours
    assert mobile["at_stop"]["site"] == "全天工地"
    assert mobile["at_stop"]["location"]["coord"] == coord
    assert dt.datetime.fromisoformat(mobile["at_stop"]["starts"]) <= dt.datetime.now(dt.UTC)
    assert body["origin"]["coord"] == coord


def test_labels_follow_the_visitors_language(network):
    english = JsonClient()
    english.client.defaults["HTTP_ACCEPT_LANGUAGE"] = "en"

    body = _find(english)

    assert body["items"][0]["kind_label"] == "Rest station for outdoor workers"


@pytest.fixture
def checked_every_minute(settings, monkeypatch):
    """Processes ask for the network's version at most once a minute; the test moves the clock."""
    settings.NETWORK_INDEX_CHECK_SECONDS = 60
    clock = [1000.0]
    monkeypatch.setattr(nearest, "_clock", lambda: clock[0])
    nearest.forget()
    yield clock
    nearest.forget()


def test_between_checks_a_search_asks_the_database_nothing(network, checked_every_minute):
    _find()

    with CaptureQueriesContext(connection) as queries:
        _find()

    assert len(queries) == 0


def test_a_write_of_this_process_is_found_by_the_next_search(world, network, checked_every_minute):
    assert "新驿站" not in _names(_find())

    a_point(world, name="新驿站", lng=X_CENTRE[0] + 0.0005)

    assert _names(_find())[0] == "新驿站"


def test_a_write_of_another_process_is_found_once_the_interval_has_passed(network, checked_every_minute):
    clock = checked_every_minute
    assert "近站" in _names(_find())
    # What another web server does when it closes the station: the rows and the version move; this process is not
    # told.
    ServicePoint.objects.filter(pk=network["station"].pk).update(status=PointStatus.CLOSED)
    NetworkVersion.objects.filter(name=nearest.VERSION_NAME).update(value=F("value") + 1)

    clock[0] += 59
    assert "近站" in _names(_find())

    clock[0] += 2
    assert "近站" not in _names(_find())
