"""The authorization matrix rows of member points, and the objects they point at: an earning rule, a merchant and an
item of street X, and the other worker (a member of union A) holding points and one redemption code of that item.

Members read and spend only their own points (the worker, not yet a member, is offered nothing: 404); staff read the
rules, items, merchants and report of their subtree, admins change them (read-only staff: 403), and union A's staff,
below street X, never reach street X's rules or items (404). Handing an item out goes along the item's line of the
tree: staff at, above or below the offering union (union A's staff included), never a sibling district.
"""

from __future__ import annotations

import datetime as dt
from typing import Any

from tests.authz.matrix import FORM, LOGIN, OWN, TYPED, Listed, Ref, Row, Seen, Text, api, page

TODAY = dt.date.today().isoformat()
RULE = {"org_id": Ref("street_x"), "event": "joined", "points": 5}
MERCHANT = {"owner_id": Ref("street_x"), "name": "X街道爱心面馆", "kind": "caring"}
MERCHANT_PATCH = {"contact": "010-12345678"}
ITEM = {"owner_id": Ref("street_x"), "name": "X街道雨伞", "cost": 10, "stock": 3}
ITEM_PATCH = {"stock_add": 2}
VOLUNTEER = {"membership_id": Ref("x_member"), "hours": "1.5", "served_on": TODAY, "note": "驿站值守"}
CODE = {"code": Ref("x_code")}
PAGE_RULE = {"org": Ref("street_x"), "event": "joined", "points": 5}
PAGE_MERCHANT = {"owner": Ref("street_x"), "name": "X街道爱心面馆", "kind": "caring"}
PAGE_ITEM = {"owner": Ref("street_x"), "name": "X街道雨伞", "kind": "goods", "cost": 10, "stock": 3}
PAGE_ITEM_EDIT = {"name": "X街道保温杯", "cost": 12, "is_active": "on", "stock_add": 2}
PAGE_VOLUNTEER = {"member_no": Ref("x_member_no"), "hours": "1.5", "served_on": TODAY, "note": "驿站值守"}

# fmt: off
POINTS_API_ROWS: list[Row] = [
    #   operation                                on               anon wkr  oth  uA   dX   dY   city ro   case su
    api("GET /points/me",                        None,           (401, 200, 200, 200, 200, 200, 200, 200, 200, 200)),
    api("GET /points/me/entries",                None,           (401, 200, 200, 200, 200, 200, 200, 200, 200, 200)),
    api("GET /points/items",                     None,           (401, 200, 200, 200, 200, 200, 200, 200, 200, 200)),
    api("POST /points/items/{item_id}/redeem",   "x_item",       (401, 404, 201, 404, 404, 404, 404, 404, 404, 404),
        {"idempotency_key": "matrix"}),
    api("GET /points/me/redemptions",            None,           (401, 200, 200, 200, 200, 200, 200, 200, 200, 200)),
    api("POST /points/me/redemptions/{redemption_id}/cancel", "x_redemption",
                                                                 (401, 404, 200, 404, 404, 404, 404, 404, 404, 404)),
    api("GET /points/rules",                     None,           (401, 200, 200, 200, 200, 200, 200, 200, 200, 200)),
    api("POST /points/rules",                    None,           (401, 404, 404, 404, 200, 404, 200, 403, 404, 200),
        RULE),
    api("POST /points/rules/{rule_id}/disable",  "x_rule",       (401, 404, 404, 404, 200, 404, 200, 403, 404, 200)),
    api("GET /points/merchants",                 None,           (401, 200, 200, 200, 200, 200, 200, 200, 200, 200)),
    api("POST /points/merchants",                None,           (401, 404, 404, 404, 201, 404, 201, 403, 404, 201),
        MERCHANT),
    api("PATCH /points/merchants/{merchant_id}", "x_merchant",   (401, 404, 404, 404, 200, 404, 200, 403, 404, 200),
        MERCHANT_PATCH),
    api("GET /points/catalog",                   None,           (401, 200, 200, 200, 200, 200, 200, 200, 200, 200)),
    api("POST /points/catalog",                  None,           (401, 404, 404, 404, 201, 404, 201, 403, 404, 201),
        ITEM),
    api("PATCH /points/catalog/{item_id}",       "x_item",       (401, 404, 404, 404, 200, 404, 200, 403, 404, 200),
        ITEM_PATCH),
    # Union A's admins keep union A's members: they credit its volunteers.
    api("POST /points/volunteer",                None,           (401, 404, 404, 201, 201, 404, 201, 403, 404, 201),
        VOLUNTEER),
    api("GET /points/redemptions",               None,           (401, 404, 404, 200, 200, 404, 200, 200, 200, 200),
        CODE),
    api("POST /points/redemptions/{redemption_id}/use", "x_redemption",
                                                                 (401, 404, 404, 200, 200, 404, 200, 200, 200, 200)),
    api("GET /points/report",                    None,           (401, 404, 404, 200, 200, 200, 200, 200, 403, 200)),
]

POINTS_PAGE_ROWS: list[Row] = [
    #    page                             on               anon   wkr  oth  uA    dX   dY    city ro   case su
    page("GET points:mine",               None,           (LOGIN, 200, 200, 200,  200, 200,  200, 200, 200, 200)),
    page("GET points:redeem",             "x_item",       (  405, 405, 405, 405,  405, 405,  405, 405, 405, 405)),
    page("POST points:redeem",            "x_item",       (LOGIN, 404, 302, 404,  404, 404,  404, 404, 404, 404),
         {"idempotency_key": "matrix"}),
    page("GET points:redemptions",        None,           (LOGIN, 200, 200, 200,  200, 200,  200, 200, 200, 200)),
    page("GET points:redemption",         "x_redemption", (LOGIN, 404, 200, 404,  404, 404,  404, 404, 404, 404)),
    page("GET points:redemption_cancel",  "x_redemption", (  405, 405, 405, 405,  405, 405,  405, 405, 405, 405)),
    page("POST points:redemption_cancel", "x_redemption", (LOGIN, 404, 302, 404,  404, 404,  404, 404, 404, 404)),
    page("GET points:console",            None,           (LOGIN, 404, 404, 200,  200, 200,  200, 200, 403, 200)),
    page("GET points:rules",              None,           (LOGIN, 404, 404, 200,  200, 200,  200, 200, 403, 200)),
    # Union A's and district Y's admins cannot pick street X: the form says so and nothing changes.
    page("POST points:rules",             None,           (LOGIN, 404, 404, FORM, 302, FORM, 302, 403, 403, 302),
         PAGE_RULE),
    page("GET points:rule_disable",       "x_rule",       (  405, 405, 405, 405,  405, 405,  405, 405, 405, 405)),
    page("POST points:rule_disable",      "x_rule",       (LOGIN, 404, 404, 404,  302, 404,  302, 403, 403, 302)),
    page("GET points:items",              None,           (LOGIN, 404, 404, 200,  200, 200,  200, 200, 403, 200)),
    page("POST points:items",             None,           (LOGIN, 404, 404, FORM, 302, FORM, 302, 403, 403, 302),
         PAGE_ITEM),
    page("GET points:item_edit",          "x_item",       (LOGIN, 404, 404, 404,  200, 404,  200, 403, 403, 200)),
    page("POST points:item_edit",         "x_item",       (LOGIN, 404, 404, 404,  302, 404,  302, 403, 403, 302),
         PAGE_ITEM_EDIT),
    page("GET points:merchants",          None,           (LOGIN, 404, 404, 200,  200, 200,  200, 200, 403, 200)),
    page("POST points:merchants",         None,           (LOGIN, 404, 404, FORM, 302, FORM, 302, 403, 403, 302),
         PAGE_MERCHANT),
    page("GET points:volunteer",          None,           (LOGIN, 404, 404, 200,  200, 200,  200, 403, 403, 200)),
    # District Y's admins do not find union A's member number in their subtree.
    page("POST points:volunteer",         None,           (LOGIN, 404, 404, 302,  302, FORM, 302, 403, 403, 302),
         PAGE_VOLUNTEER),
    page("GET points:verify",             None,           (LOGIN, 404, 404, 200,  200, 200,  200, 200, 200, 200),
         CODE),
    page("GET points:use",                "x_redemption", (  405, 405, 405, 405,  405, 405,  405, 405, 405, 405)),
    page("POST points:use",               "x_redemption", (LOGIN, 404, 404, 302,  302, 404,  302, 302, 302, 302)),
]

Y, N, NA = True, False, None
POINTS_SEEN_ROWS: list[Seen] = [
    Seen("GET /points/catalog",           "x_item",       (NA,  N,  N,  N,  Y,  N,  Y,   Y,  N,   Y)),
    Seen("GET /points/rules",             "x_rule",       (NA,  N,  N,  N,  Y,  N,  Y,   Y,  N,   Y)),
    Seen("GET /points/merchants",         "x_merchant",   (NA,  N,  N,  N,  Y,  N,  Y,   Y,  N,   Y)),
    Seen("GET /points/items",             "x_item",       (NA,  N,  Y,  N,  N,  N,  N,   N,  N,   N)),
    # The report's most redeemed items: the other worker's redemption of street X's item.
    Seen("GET /points/report",            "x_item",       (NA,  NA, NA, N,  Y,  N,  Y,   Y,  NA,  Y),
         shows=Listed("top_items", "item_id")),
    Seen("GET points:console",            "x_item",       (NA,  NA, NA, N,  Y,  N,  Y,   Y,  NA,  Y),
         shows=Text("name")),
    Seen("GET points:rules",              "x_rule",       (NA,  NA, NA, N,  Y,  N,  Y,   Y,  NA,  Y),
         shows=Text("org.name")),
    Seen("GET points:items",              "x_item",       (NA,  NA, NA, N,  Y,  N,  Y,   Y,  NA,  Y),
         shows=Text("name")),
    Seen("GET points:merchants",          "x_merchant",   (NA,  NA, NA, N,  Y,  N,  Y,   Y,  NA,  Y),
         shows=Text("name")),
    # Looking a code up: a sibling district is told it is not theirs (200, in the page) and shown nothing of it.
    Seen("GET points:verify",             "x_redemption", (NA,  NA, NA, Y,  Y,  N,  Y,   Y,  Y,   Y),
         params=(("code", Ref("x_code")),), shows=Text("item.name")),
]
# fmt: on

POINTS_NOT_SCOPED: dict[str, str] = {
    "GET /points/me": OWN,
    "GET /points/me/entries": OWN,
    "GET /points/me/redemptions": OWN,
    "GET points:mine": OWN,
    "GET points:redemptions": OWN,
    "GET points:volunteer": TYPED,
}


def points_targets(world: Any, targets: dict[str, Any]) -> None:
    from zhijia.points.models import EarnEvent, EarningRule, Merchant, RewardItem
    from zhijia.points.services import points_earn, points_redeem

    targets["x_rule"] = EarningRule.objects.create(org=world.street_x, event=EarnEvent.BOOKING_CHECKIN, points=5)
    targets["x_merchant"] = Merchant.objects.create(owner=world.street_x, name="X街道爱心理发店")
    targets["x_item"] = RewardItem.objects.create(owner=world.street_x, name="X街道保温杯", cost=10, stock=5)
    member = world.user("other_worker")
    for i in range(10):
        points_earn(member, event=EarnEvent.BOOKING_CHECKIN, source=f"booking:matrix{i}", node=world.union_a)
    targets["x_redemption"] = points_redeem(actor=member, item_id=targets["x_item"].pk, idempotency_key="first")
    targets["x_code"] = targets["x_redemption"].code
    targets["x_member_no"] = targets["x_member"].member_no
