"""The authorization matrix rows of the service network, and the objects they point at: an open rest station, a
planned one and a mobile home with one stop, all owned by street X; a standard is defined for district X.

The finder and an open point's page are public (everyone 200); a planned point is seen only by the registry's
keepers. Read-only staff see the registry but may not change it (403); union A's staff sit below street X and
never reach its points (404).
"""

from __future__ import annotations

import datetime as dt
from typing import Any

from tests.authz.matrix import FORM, LOGIN, PUBLIC, Listed, Ref, Row, Seen, Text, api, page

X = (116.40, 39.90)
NEAREST = {"lng": X[0], "lat": X[1], "mode": "ride", "limit": 3}
NEW_POINT = {"owner_id": Ref("street_x"), "name": "X街道新驿站", "kind": "rest_station", "lng": X[0], "lat": X[1]}
POINT_PATCH = {"name": "X街道暖心驿站（改）", "facilities": ["water", "toilet"]}
CLOSE = {"reason": "场地收回"}
HOURS = {"weekly": [{"day": 0, "spans": [{"opens": "09:00", "closes": "18:00"}]}], "follows_holidays": True}
INSPECTION = {"passed_items": ["site", "sign"], "note": "缺宣传栏"}
STOP = {
    "site": "X工地",
    "lng": X[0],
    "lat": X[1],
    "repeat": "weekly",
    "weekdays": [1],
    "starts_on": "2026-11-01",
    "ends_on": "2026-12-31",
    "arrives": "10:00",
    "leaves": "15:00",
}
STANDARD = {"owner_id": Ref("district_x"), "name": "X区职工书屋标准", "applies_to": "library", "items": ["有书架"]}
PAGE_NEW_POINT = {
    "name": "X街道新驿站",
    "kind": "rest_station",
    "owner": Ref("street_x"),
    "lng": X[0],
    "lat": X[1],
    "coord": "wgs84",
    "status": "open",
    "facilities": ["water"],
}
PAGE_EDIT = {**PAGE_NEW_POINT, "name": "X街道暖心驿站（改）"}
PAGE_HOURS = {"day0": "09:00-18:00", "follows_holidays": "on", "exceptions": ""}
PAGE_STOP = {**{k: v for k, v in STOP.items() if k != "weekdays"}, "coord": "wgs84", "weekdays": ["1"]}
PAGE_INSPECT = {"item_site": "on", "item_sign": "on", "note": "缺宣传栏"}

# fmt: off
NETWORK_API_ROWS: list[Row] = [
    #   operation                                 on             anon wkr  oth  uA   dX   dY   city ro   case su
    api("GET /network/nearest",                   None,         (200, 200, 200, 200, 200, 200, 200, 200, 200, 200),
        NEAREST),
    api("GET /network/points",                    None,         (401, 200, 200, 200, 200, 200, 200, 200, 200, 200)),
    api("POST /network/points",                   None,         (401, 404, 404, 404, 201, 404, 201, 403, 404, 201),
        NEW_POINT),
    api("GET /network/points/{point_id}",         "x_point",    (200, 200, 200, 200, 200, 200, 200, 200, 200, 200)),
    api("GET /network/points/{point_id}",         "x_planned",  (404, 404, 404, 404, 200, 404, 200, 200, 404, 200)),
    api("PATCH /network/points/{point_id}",       "x_point",    (401, 404, 404, 404, 200, 404, 200, 403, 404, 200),
        POINT_PATCH),
    api("POST /network/points/{point_id}/close",  "x_point",    (401, 404, 404, 404, 200, 404, 200, 403, 404, 200),
        CLOSE),
    api("PUT /network/points/{point_id}/hours",   "x_point",    (401, 404, 404, 404, 200, 404, 200, 403, 404, 200),
        HOURS),
    api("GET /network/points/{point_id}/inspections", "x_point", (401, 404, 404, 404, 200, 404, 200, 200, 404, 200)),
    api("POST /network/points/{point_id}/inspections", "x_point", (401, 404, 404, 404, 201, 404, 201, 403, 404, 201),
        INSPECTION),
    api("POST /network/points/{point_id}/stops",  "x_mobile",   (401, 404, 404, 404, 201, 404, 201, 403, 404, 201),
        STOP),
    api("DELETE /network/stops/{stop_id}",        "x_stop",     (401, 404, 404, 404, 204, 404, 204, 403, 404, 204)),
    api("GET /network/overdue",                   None,         (401, 200, 200, 200, 200, 200, 200, 200, 200, 200)),
    api("GET /network/standards",                 None,         (401, 200, 200, 200, 200, 200, 200, 200, 200, 200)),
    api("POST /network/standards",                None,         (401, 404, 404, 404, 201, 404, 201, 403, 404, 201),
        STANDARD),
]

NETWORK_PAGE_ROWS: list[Row] = [
    #    page                               on               anon   wkr  oth  uA    dX   dY    city ro   case su
    page("GET network:finder",              None,           (  200, 200, 200, 200,  200, 200,  200, 200, 200, 200),
         NEAREST),
    page("GET network:point",               "x_point",      (  200, 200, 200, 200,  200, 200,  200, 200, 200, 200)),
    page("GET network:point",               "x_planned",    (  404, 404, 404, 404,  200, 404,  200, 200, 404, 200)),
    page("GET network:registry",            None,           (LOGIN, 404, 404, 200,  200, 200,  200, 200, 403, 200)),
    page("GET network:overdue",             None,           (LOGIN, 404, 404, 200,  200, 200,  200, 200, 403, 200)),
    page("GET network:point_create",        None,           (LOGIN, 404, 404, 200,  200, 200,  200, 403, 403, 200)),
    # Union A's and district Y's staff cannot pick street X as the owner: the form says so and nothing is made.
    page("POST network:point_create",       None,           (LOGIN, 404, 404, FORM, 302, FORM, 302, 403, 403, 302),
         PAGE_NEW_POINT),
    page("GET network:console_point",       "x_point",      (LOGIN, 404, 404, 404,  200, 404,  200, 200, 403, 200)),
    page("GET network:point_edit",          "x_point",      (LOGIN, 404, 404, 404,  200, 404,  200, 403, 403, 200)),
    page("POST network:point_edit",         "x_point",      (LOGIN, 404, 404, 404,  302, 404,  302, 403, 403, 302),
         PAGE_EDIT),
    page("GET network:point_close",         "x_point",      (  405, 405, 405, 405,  405, 405,  405, 405, 405, 405)),
    page("POST network:point_close",        "x_point",      (LOGIN, 404, 404, 404,  302, 404,  302, 403, 403, 302)),
    page("GET network:point_hours",         "x_point",      (LOGIN, 404, 404, 404,  200, 404,  200, 403, 403, 200)),
    page("POST network:point_hours",        "x_point",      (LOGIN, 404, 404, 404,  302, 404,  302, 403, 403, 302),
         PAGE_HOURS),
    page("GET network:stops",               "x_mobile",     (LOGIN, 404, 404, 404,  200, 404,  200, 403, 403, 200)),
    page("POST network:stops",              "x_mobile",     (LOGIN, 404, 404, 404,  302, 404,  302, 403, 403, 302),
         PAGE_STOP),
    page("GET network:stop_delete",         "x_stop",       (  405, 405, 405, 405,  405, 405,  405, 405, 405, 405)),
    page("POST network:stop_delete",        "x_stop",       (LOGIN, 404, 404, 404,  302, 404,  302, 403, 403, 302)),
    page("GET network:inspect",             "x_point",      (LOGIN, 404, 404, 404,  200, 404,  200, 403, 403, 200)),
    page("POST network:inspect",            "x_point",      (LOGIN, 404, 404, 404,  302, 404,  302, 403, 403, 302),
         PAGE_INSPECT),
]

Y, N, NA = True, False, None
NETWORK_SEEN_ROWS: list[Seen] = [
    #    list                               finds           anon wkr oth uA  dX  dY  city ro  case su
    Seen("GET /network/points",             "x_point",      (NA,  N,  N,  N,  Y,  N,  Y,   Y,  N,   Y)),
    Seen("GET /network/overdue",            "x_overdue",    (NA,  N,  N,  N,  Y,  N,  Y,   Y,  N,   Y)),
    # District X's standard holds in its subtree (union A's points included) and is seen from above.
    Seen("GET /network/standards",          "x_standard",   (NA,  N,  N,  Y,  Y,  N,  Y,   Y,  N,   Y),
         shows=Listed("")),
    Seen("GET network:registry",            "x_point",      (NA,  NA, NA, N,  Y,  N,  Y,   Y,  NA,  Y),
         shows=Text("name")),
    # The form offers the owners of the actor's subtree.
    Seen("GET network:point_create",        "street_x",     (NA,  NA, NA, N,  Y,  N,  Y,   NA, NA,  Y)),
    Seen("GET network:overdue",             "x_overdue",    (NA,  NA, NA, N,  Y,  N,  Y,   Y,  NA,  Y),
         shows=Text("name")),
]
# fmt: on

NETWORK_NOT_SCOPED: dict[str, str] = {
    "GET /network/nearest": PUBLIC,
    "GET /network/points/{point_id}": PUBLIC,
    "GET network:finder": PUBLIC,
    "GET network:point": PUBLIC,
}


def network_targets(world: Any, targets: dict[str, Any]) -> None:
    from zhijia.network import services
    from zhijia.network.models import HomeSubtype, PointKind, PointStatus, ServicePoint

    superuser = world.user("superuser")
    make = lambda **kw: services.point_create(actor=superuser, owner_id=world.street_x.pk, lng=X[0], lat=X[1], **kw)  # noqa: E731
    targets["x_point"] = make(name="X街道暖心驿站", kind=PointKind.REST_STATION, facilities=["water"])
    targets["x_planned"] = make(name="X街道规划驿站", kind=PointKind.REST_STATION, status=PointStatus.PLANNED)
    targets["x_mobile"] = make(name="X流动职工之家", kind=PointKind.SHARED_HOME, home_subtype=HomeSubtype.MOBILE)
    targets["x_stop"] = services.mobile_stop_create(
        actor=superuser,
        point_id=targets["x_mobile"].pk,
        site="X工地",
        lng=X[0],
        lat=X[1],
        weekdays=[0],
        starts_on=dt.date(2026, 11, 1),
        ends_on=dt.date(2026, 12, 31),
        arrives_minute=600,
        leaves_minute=900,
    )
    overdue = make(name="X街道逾期驿站", kind=PointKind.REST_STATION)
    ServicePoint.objects.filter(pk=overdue.pk).update(next_inspection_due=dt.date(2020, 1, 1))
    targets["x_overdue"] = overdue
    # For libraries, of which the targets have none, so no inspection of theirs is held to it.
    targets["x_standard"] = services.standard_create(
        actor=superuser,
        owner_id=world.district_x.pk,
        name="X区职工书屋建设标准",
        applies_to=PointKind.LIBRARY,
        items=["有阅览桌椅"],
    )
