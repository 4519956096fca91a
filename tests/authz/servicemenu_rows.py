"""The authorization matrix rows of the service menu, and the objects they point at: a home of street X offering a
haircut (open to all workers), a bike repair, tailoring and a health check, and legal consultation taken off the menu;
the worker's orders there, one waiting, one accepted, one completed; and a service street X added to the catalogue.

The menu is public; ordering needs an account (any account: staff are workers too); a worker reads, cancels and
rates only their own orders. The point's staff (district X and above) see and handle its orders; read-only staff see
but may not act (403); union A's staff sit below street X and district Y's beside it: both get 404.
"""

from __future__ import annotations

import datetime as dt
from typing import Any

from tests.authz.matrix import FORM, LOGIN, OWN, PUBLIC, Listed, Ref, Row, Seen, Text, api, page

NEW_TYPE = {"owner_id": Ref("street_x"), "name": "X街道家政培训", "description": "月嫂、育婴师培训"}
NEW_OFFERING = {"service_type_id": Ref("sm_type_phone"), "weekdays": [5, 6], "starts": "09:00", "ends": "12:00"}
OFFERING_PATCH = {"note": "每月最后一个周六暂停", "daily_capacity": 12}
ORDER = {"note": "想剪短一点"}
DECLINE = {"reason": "理发师本周休假"}
SCHEDULE = {"scheduled_at": Ref("sm_when_iso")}
CONFIRM = {"stars": 5, "comment": "师傅很耐心"}
PAGE_NEW_TYPE = {"owner": Ref("street_x"), "name": "X街道家政培训"}
PAGE_OFFERING = {
    "availability": "weekly",
    "weekdays": ["5", "6"],
    "starts": "09:00",
    "ends": "12:00",
    "audience": "all_workers",
    "pricing": "free",
    "is_active": "on",
}
PAGE_NEW_OFFERING = {**PAGE_OFFERING, "service_type": Ref("sm_type_phone")}
PAGE_SCHEDULE = {"scheduled_at": Ref("sm_when_local")}
PAGE_CONFIRM = {"stars": "5", "comment": "师傅很耐心"}

# fmt: off
SERVICEMENU_API_ROWS: list[Row] = [
    #   operation                                   on            anon wkr  oth  uA   dX   dY   city ro   case su
    api("GET /servicemenu/catalogue",               None,        (200, 200, 200, 200, 200, 200, 200, 200, 200, 200)),
    api("POST /servicemenu/catalogue",              None,        (401, 404, 404, 404, 201, 404, 201, 403, 404, 201),
        NEW_TYPE),
    api("GET /servicemenu/points/{point_id}/offerings", "sm_point",
                                                                 (200, 200, 200, 200, 200, 200, 200, 200, 200, 200)),
    api("POST /servicemenu/points/{point_id}/offerings", "sm_point",
                                                                 (401, 404, 404, 404, 201, 404, 201, 403, 404, 201),
        NEW_OFFERING),
    api("PATCH /servicemenu/offerings/{offering_id}", "sm_offering",
                                                                 (401, 404, 404, 404, 200, 404, 200, 403, 404, 200),
        OFFERING_PATCH),
    api("POST /servicemenu/offerings/{offering_id}/orders", "sm_offering",
                                                                 (401, 201, 201, 201, 201, 201, 201, 201, 201, 201),
        ORDER),
    # A service taken off the menu refuses everyone, with its code.
    api("POST /servicemenu/offerings/{offering_id}/orders", "sm_inactive",
                                                                 (401, 409, 409, 409, 409, 409, 409, 409, 409, 409),
        ORDER),
    api("GET /servicemenu/orders/mine",             None,        (401, 200, 200, 200, 200, 200, 200, 200, 200, 200)),
    api("GET /servicemenu/orders",                  None,        (401, 200, 200, 200, 200, 200, 200, 200, 200, 200)),
    api("GET /servicemenu/report",                  None,        (401, 404, 404, 200, 200, 200, 200, 200, 403, 200)),
    api("GET /servicemenu/orders/{order_id}",       "sm_requested",
                                                                 (401, 200, 404, 404, 200, 404, 200, 200, 404, 200)),
    api("POST /servicemenu/orders/{order_id}/accept", "sm_requested",
                                                                 (401, 404, 404, 404, 200, 404, 200, 403, 404, 200)),
    api("POST /servicemenu/orders/{order_id}/decline", "sm_requested",
                                                                 (401, 404, 404, 404, 200, 404, 200, 403, 404, 200),
        DECLINE),
    api("POST /servicemenu/orders/{order_id}/schedule", "sm_accepted",
                                                                 (401, 404, 404, 404, 200, 404, 200, 403, 404, 200),
        SCHEDULE),
    api("POST /servicemenu/orders/{order_id}/complete", "sm_accepted",
                                                                 (401, 404, 404, 404, 200, 404, 200, 403, 404, 200)),
    api("POST /servicemenu/orders/{order_id}/cancel", "sm_requested",
                                                                 (401, 200, 404, 404, 404, 404, 404, 404, 404, 404)),
    api("POST /servicemenu/orders/{order_id}/confirm", "sm_completed",
                                                                 (401, 200, 404, 404, 404, 404, 404, 404, 404, 404),
        CONFIRM),
]

SERVICEMENU_PAGE_ROWS: list[Row] = [
    #    page                                  on             anon   wkr  oth  uA    dX   dY    city ro   case su
    page("GET servicemenu:point_services",     "sm_point",   (  200, 200, 200, 200,  200, 200,  200, 200, 200, 200)),
    page("GET servicemenu:order_create",       "sm_offering", (LOGIN, 200, 200, 200,  200, 200,  200, 200, 200, 200)),
    page("POST servicemenu:order_create",      "sm_offering", (LOGIN, 302, 302, 302,  302, 302,  302, 302, 302, 302),
         ORDER),
    page("GET servicemenu:my_orders",          None,         (LOGIN, 200, 200, 200,  200, 200,  200, 200, 200, 200)),
    page("GET servicemenu:my_orders_rows",     None,         (LOGIN, 200, 200, 200,  200, 200,  200, 200, 200, 200)),
    page("GET servicemenu:order_confirm",      "sm_completed", (LOGIN, 200, 404, 404,  404, 404,  404, 404, 404, 404)),
    page("POST servicemenu:order_confirm",     "sm_completed", (LOGIN, 302, 404, 404,  404, 404,  404, 404, 404, 404),
         PAGE_CONFIRM),
    page("GET servicemenu:order_cancel",       "sm_requested", (  405, 405, 405, 405,  405, 405,  405, 405, 405, 405)),
    page("POST servicemenu:order_cancel",      "sm_requested", (LOGIN, 302, 404, 404,  404, 404,  404, 404, 404, 404)),
    page("GET servicemenu:menu",               None,         (LOGIN, 404, 404, 200,  200, 200,  200, 200, 403, 200)),
    page("GET servicemenu:catalogue",          None,         (LOGIN, 404, 404, 200,  200, 200,  200, 200, 403, 200)),
    # Union A's and district Y's staff cannot pick street X as the owner: the form says so and nothing is made.
    page("POST servicemenu:catalogue",         None,         (LOGIN, 404, 404, FORM, 302, FORM, 302, 403, 403, 302),
         PAGE_NEW_TYPE),
    page("GET servicemenu:point_menu",         "sm_point",   (LOGIN, 404, 404, 404,  200, 404,  200, 200, 403, 200)),
    page("POST servicemenu:point_menu",        "sm_point",   (LOGIN, 404, 404, 404,  302, 404,  302, 403, 403, 302),
         PAGE_NEW_OFFERING),
    page("GET servicemenu:offering_edit",      "sm_offering", (LOGIN, 404, 404, 404,  200, 404,  200, 403, 403, 200)),
    page("POST servicemenu:offering_edit",     "sm_offering", (LOGIN, 404, 404, 404,  302, 404,  302, 403, 403, 302),
         {**PAGE_OFFERING, "note": "每月最后一个周六暂停"}),
    page("GET servicemenu:queue",              None,         (LOGIN, 404, 404, 200,  200, 200,  200, 200, 403, 200)),
    page("GET servicemenu:order_detail",       "sm_requested", (LOGIN, 404, 404, 404,  200, 404,  200, 200, 403, 200)),
    page("GET servicemenu:order_accept",       "sm_requested", (  405, 405, 405, 405,  405, 405,  405, 405, 405, 405)),
    page("POST servicemenu:order_accept",      "sm_requested", (LOGIN, 404, 404, 404,  302, 404,  302, 403, 403, 302)),
    page("GET servicemenu:order_decline",      "sm_requested", (  405, 405, 405, 405,  405, 405,  405, 405, 405, 405)),
    page("POST servicemenu:order_decline",     "sm_requested", (LOGIN, 404, 404, 404,  302, 404,  302, 403, 403, 302),
         DECLINE),
    page("GET servicemenu:order_schedule",     "sm_accepted", (  405, 405, 405, 405,  405, 405,  405, 405, 405, 405)),
    page("POST servicemenu:order_schedule",    "sm_accepted", (LOGIN, 404, 404, 404,  302, 404,  302, 403, 403, 302),
         PAGE_SCHEDULE),
    page("GET servicemenu:order_complete",     "sm_accepted", (  405, 405, 405, 405,  405, 405,  405, 405, 405, 405)),
    page("POST servicemenu:order_complete",    "sm_accepted", (LOGIN, 404, 404, 404,  302, 404,  302, 403, 403, 302)),
    page("GET servicemenu:report",             None,         (LOGIN, 404, 404, 200,  200, 200,  200, 200, 403, 200)),
]

Y, N, NA = True, False, None
SERVICEMENU_SEEN_ROWS: list[Seen] = [
    #    list                                  finds           anon wkr oth uA  dX  dY  city ro  case su
    Seen("GET /servicemenu/orders",            "sm_requested", (NA,  N,  N,  N,  Y,  N,  Y,   Y,  N,   Y)),
    Seen("GET /servicemenu/orders/mine",       "sm_requested", (NA,  Y,  N,  N,  N,  N,  N,   N,  N,   N)),
    # Street X's own service: its subtree and the unions above it; union A, below it, may offer it too.
    Seen("GET /servicemenu/catalogue",         "sm_type_x",    (N,   N,  N,  Y,  Y,  N,  Y,   Y,  N,   Y),
         shows=Listed("")),
    Seen("GET /servicemenu/report",            "sm_point",     (NA,  NA, NA, N,  Y,  N,  Y,   Y,  NA,  Y),
         shows=Listed("points", "point_id")),
    Seen("GET servicemenu:catalogue",          "sm_type_x",    (NA,  NA, NA, Y,  Y,  N,  Y,   Y,  NA,  Y),
         shows=Text("name")),
    Seen("GET servicemenu:menu",               "sm_point",     (NA,  NA, NA, N,  Y,  N,  Y,   Y,  NA,  Y),
         shows=Text("name")),
    Seen("GET servicemenu:queue",              "sm_requested", (NA,  NA, NA, N,  Y,  N,  Y,   Y,  NA,  Y),
         shows=Text("pk", 'id="queue-order-{}"')),
    Seen("GET servicemenu:report",             "sm_point",     (NA,  NA, NA, N,  Y,  N,  Y,   Y,  NA,  Y),
         shows=Text("name")),
]
# fmt: on

SERVICEMENU_NOT_SCOPED: dict[str, str] = {
    "GET /servicemenu/points/{point_id}/offerings": PUBLIC,
    "GET servicemenu:point_services": PUBLIC,
    "GET servicemenu:order_create": PUBLIC,
    "GET servicemenu:my_orders": OWN,
    "GET servicemenu:my_orders_rows": OWN,
}


def servicemenu_targets(world: Any, targets: dict[str, Any]) -> None:
    from django.utils import timezone

    from zhijia.network import services as network
    from zhijia.network.models import PointKind
    from zhijia.servicemenu import services
    from zhijia.servicemenu.models import Availability, ServiceType

    superuser, worker, staff = world.user("superuser"), world.user("worker"), world.user("district_x_staff")
    point = network.point_create(
        actor=superuser,
        owner_id=world.street_x.pk,
        name="X街道职工之家",
        kind=PointKind.SHARED_HOME,
        lng=116.4,
        lat=39.9,
    )
    types = {t.code: t for t in ServiceType.objects.filter(owner__isnull=True)}

    def offer(code: str, **fields: Any) -> Any:
        return services.offering_create(
            actor=superuser,
            point_id=point.pk,
            service_type_id=types[code].pk,
            availability=Availability.APPOINTMENT,
            **fields,
        )

    targets["sm_point"] = point
    targets["sm_type_phone"] = types["phone_repair"]
    targets["sm_type_x"] = services.service_type_create(
        actor=superuser, owner_id=world.street_x.pk, name="X街道家电清洗"
    )
    targets["sm_offering"] = offer("haircut")
    targets["sm_inactive"] = offer("legal", is_active=False)
    targets["sm_requested"] = services.order_create(actor=worker, offering_id=offer("bike_repair").pk)
    accepted = services.order_create(actor=worker, offering_id=offer("tailoring").pk)
    targets["sm_accepted"] = services.order_accept(actor=staff, order_id=accepted.pk)
    completed = services.order_create(actor=worker, offering_id=offer("health_check").pk)
    services.order_accept(actor=staff, order_id=completed.pk)
    targets["sm_completed"] = services.order_complete(actor=staff, order_id=completed.pk)
    when = timezone.localtime(timezone.now() + dt.timedelta(days=2)).replace(hour=10, minute=0, second=0, microsecond=0)
    targets["sm_when_iso"] = when.isoformat()
    targets["sm_when_local"] = when.strftime("%Y-%m-%dT%H:%M")
