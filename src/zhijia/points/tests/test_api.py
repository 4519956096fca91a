"""Points over HTTP: the member's balance, ledger, items, redeeming with an idempotency key, codes and cancelling;
staff rules, items, merchants, volunteering, handing out by code and the report, within their subtree."""

from __future__ import annotations

import datetime as dt

from django.utils import timezone

from zhijia.points.models import EarnEvent, Redemption
from zhijia.points.tests.points_support import a_member_with_points, a_merchant, an_item


def test_a_member_sees_the_balance_and_every_entry(world, api_as):
    a_member_with_points(world, 30)
    client = api_as(world.user("worker"))

    me = client.get("/points/me").json()
    entries = client.get("/points/me/entries").json()

    assert me["balance"] == 30
    assert me["expiring"]["amount"] == 30
    assert [(e["kind"], e["amount"], e["balance_after"]) for e in entries["items"]] == [("earn", 30, 30)]
    assert entries["items"][0]["reason"]


def test_redeeming_twice_with_one_key_header_spends_once(world, api_as):
    a_member_with_points(world, 30)
    cup = an_item(world.street_x, cost=12, stock=2)
    client = api_as(world.user("worker"))
    client.headers["Idempotency-Key"] = "phone-tap-1"

    first = client.post(f"/points/items/{cup.pk}/redeem")
    again = client.post(f"/points/items/{cup.pk}/redeem")

    assert first.status_code == again.status_code == 201
    assert first.json()["id"] == again.json()["id"]
    assert client.get("/points/me").json()["balance"] == 18
    assert [i["stock"] for i in client.get("/points/items").json()["items"]] == [1]


def test_a_key_header_with_a_nul_or_longer_than_80_is_refused_not_cut_short(world, api_as):
    a_member_with_points(world, 30)
    cup = an_item(world.street_x, cost=12, stock=2)
    client = api_as(world.user("worker"))

    # cut to 80 characters, the last two were one key, and the second redemption answered with the first
    for key in ("phone\x00tap", "k" * 80 + "1", "k" * 80 + "2"):
        client.headers["Idempotency-Key"] = key
        refused = client.post(f"/points/items/{cup.pk}/redeem")

        assert refused.status_code == 422
        assert refused.json()["code"] == "request.invalid"
        assert refused.json()["detail"]["field"] == "header.Idempotency-Key"
    assert not Redemption.objects.exists()
    assert client.get("/points/me").json()["balance"] == 30


def test_a_refused_redemption_says_why(world, api_as):
    a_member_with_points(world, 5)
    cup = an_item(world.street_x, cost=12)

    response = api_as(world.user("worker")).post(f"/points/items/{cup.pk}/redeem")

    assert response.status_code == 409
    assert response.json()["code"] == "points.insufficient"
    assert response.json()["detail"] == {"balance": 5, "need": 12}


def test_staff_hand_out_by_code_and_the_member_sees_it_used(world, api_as):
    a_member_with_points(world, 30)
    cup = an_item(world.street_x, cost=12)
    worker = api_as(world.user("worker"))
    code = worker.post(f"/points/items/{cup.pk}/redeem").json()["code"]
    desk = api_as(world.user("case_handler"))

    found = desk.get("/points/redemptions", code=code).json()
    used = desk.post(f"/points/redemptions/{found['id']}/use")
    again = desk.post(f"/points/redemptions/{found['id']}/use")

    assert found["member"] == "王**"  # 王师傅, masked
    assert used.json()["status"] == "used"
    assert again.status_code == 409
    assert again.json()["code"] == "points.code_used"
    assert worker.get("/points/me/redemptions").json()["items"][0]["status"] == "used"


def test_staff_set_rules_items_merchants_and_credit_volunteering(world, api_as):
    membership = a_member_with_points(world, 0)
    admin = api_as(world.user("district_x_staff"))

    rule = admin.post("/points/rules", {"org_id": world.street_x.pk, "event": EarnEvent.VOLUNTEER_HOURS, "points": 10})
    merchant = admin.post("/points/merchants", {"owner_id": world.street_x.pk, "name": "爱心面馆", "kind": "caring"})
    item = admin.post(
        "/points/catalog",
        {
            "owner_id": world.street_x.pk,
            "name": "面馆八折券",
            "kind": "benefit",
            "merchant_id": merchant.json()["id"],
            "cost": 15,
            "stock": 10,
        },
    )
    restock = admin.patch(f"/points/catalog/{item.json()['id']}", {"stock_add": 5})
    credit = admin.post(
        "/points/volunteer",
        {"membership_id": membership.pk, "hours": "1.5", "served_on": timezone.localdate().isoformat(), "note": "值守"},
    )

    assert (rule.status_code, merchant.status_code, item.status_code) == (200, 201, 201)
    assert restock.json()["stock"] == 15
    assert credit.status_code == 201
    assert credit.json()["points"] == 15
    worker = api_as(world.user("worker"))
    assert [i["name"] for i in worker.get("/points/items").json()["items"]] == ["面馆八折券"]


def test_staff_of_another_district_see_none_of_it(world, api_as):
    an_item(world.street_x)
    a_merchant(world.street_x)
    other = api_as(world.user("district_y_staff"))

    assert other.get("/points/catalog").json()["count"] == 0
    assert other.get("/points/merchants").json()["count"] == 0
    response = other.post("/points/rules", {"org_id": world.street_x.pk, "event": "joined", "points": 5})
    assert response.status_code == 404


def test_the_report_counts_per_month(world, api_as):
    a_member_with_points(world, 30)
    cup = an_item(world.street_x, cost=12)
    api_as(world.user("worker")).post(f"/points/items/{cup.pk}/redeem")

    body = api_as(world.user("district_x_staff")).get("/points/report", months=3).json()

    assert len(body["months"]) == 3
    this_month = body["months"][-1]
    assert this_month["month"] == timezone.localdate().replace(day=1).isoformat()
    assert (this_month["earned"], this_month["redeemed"]) == (30, 12)
    assert body["top_items"] == [{"item_id": cup.pk, "name": "保温杯", "count": 1, "points": 12}]
    assert Redemption.objects.count() == 1


def test_bad_input_is_a_clear_4xx(world, api_as):
    admin = api_as(world.user("district_x_staff"))

    huge = admin.post(f"/points/items/{2**40}/redeem")
    bad_hours = admin.post(
        "/points/volunteer",
        {"membership_id": 1, "hours": "1.25", "served_on": dt.date.today().isoformat(), "note": "x"},
    )

    assert huge.status_code == 422
    assert bad_hours.status_code == 422
