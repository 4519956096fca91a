"""The service menu over HTTP: the public menu, ordering with an idempotency key, the staff's steps within their
subtree, refusals with their codes, and the report."""

from __future__ import annotations

import datetime as dt

from django.utils import timezone

from zhijia.servicemenu.models import Order, OrderStatus
from zhijia.servicemenu.tests.servicemenu_support import an_offering, an_order, haircut, handled_to, x_point


def test_anyone_reads_a_points_menu(world, api_as):
    offering = an_offering(world, daily_capacity=8, note="每月第一个周六")

    response = api_as(None).get(f"/servicemenu/points/{offering.point_id}/offerings")

    assert response.status_code == 200
    (item,) = response.json()
    assert (item["service_type"]["name"], item["daily_capacity"], item["note"]) == ("理发", 8, "每月第一个周六")
    assert item["weekdays"] == [0, 1, 2, 3, 4, 5, 6]


def test_staff_publish_and_change_a_service_through_the_api(world, api_as):
    point = x_point(world)
    client = api_as(world.user("district_x_staff"))

    created = client.post(
        f"/servicemenu/points/{point.pk}/offerings",
        {"service_type_id": haircut().pk, "weekdays": [5, 6], "starts": "14:00", "ends": "17:30", "daily_capacity": 6},
    )
    changed = client.patch(
        f"/servicemenu/offerings/{created.json()['id']}", {"is_active": False, "daily_capacity": None}
    )

    assert created.status_code == 201, created.content
    assert (created.json()["weekdays"], created.json()["starts"], created.json()["ends"]) == ([5, 6], "14:00", "17:30")
    assert changed.status_code == 200, changed.content
    assert (changed.json()["is_active"], changed.json()["daily_capacity"]) == (False, None)


def test_a_worker_orders_once_with_the_same_idempotency_key(world, api_as):
    offering = an_offering(world)
    client = api_as(world.user("worker"))
    client.headers["Idempotency-Key"] = "order-abc"
    body = {"preferred_at": (timezone.now() + dt.timedelta(hours=3)).isoformat(), "note": "修自行车"}

    first = client.post(f"/servicemenu/offerings/{offering.pk}/orders", body)
    again = client.post(f"/servicemenu/offerings/{offering.pk}/orders", body)

    assert first.status_code == again.status_code == 201
    assert first.json()["id"] == again.json()["id"]
    assert Order.objects.count() == 1
    assert [e["status"] for e in first.json()["events"]] == ["requested"]


def test_an_idempotency_key_header_with_a_nul_or_longer_than_64_is_refused_naming_the_header(world, api_as):
    offering = an_offering(world)
    client = api_as(world.user("worker"))

    for key in ("order\x00abc", "k" * 65):
        client.headers["Idempotency-Key"] = key
        refused = client.post(f"/servicemenu/offerings/{offering.pk}/orders", {"note": "修自行车"})

        assert refused.status_code == 422
        assert refused.json()["code"] == "request.invalid"
        assert refused.json()["detail"]["field"] == "header.Idempotency-Key"
    assert not Order.objects.exists()


def test_the_whole_journey_over_the_api(world, api_as):
    offering = an_offering(world)
    worker, staff = api_as(world.user("worker")), api_as(world.user("district_x_staff"))
    order_id = worker.post(f"/servicemenu/offerings/{offering.pk}/orders", {}).json()["id"]

    assert staff.post(f"/servicemenu/orders/{order_id}/accept").status_code == 200
    at = (timezone.now() + dt.timedelta(days=1)).isoformat()
    assert staff.post(f"/servicemenu/orders/{order_id}/schedule", {"scheduled_at": at}).status_code == 200
    assert staff.post(f"/servicemenu/orders/{order_id}/complete", {}).status_code == 200
    rated = worker.post(f"/servicemenu/orders/{order_id}/confirm", {"stars": 4, "comment": "不错"})

    assert rated.status_code == 200
    assert rated.json()["status"] == "confirmed"
    assert [e["status"] for e in rated.json()["events"]] == [
        "requested",
        "accepted",
        "scheduled",
        "completed",
        "confirmed",
    ]
    assert rated.json()["events"][1]["actor"] == str(world.user("district_x_staff"))
    mine = worker.get("/servicemenu/orders/mine").json()["items"]
    assert [(o["id"], o["stars"]) for o in mine] == [(order_id, 4)]


def test_refusals_carry_a_code_and_a_chinese_message(world, api_as):
    order = an_order(world, an_offering(world))
    worker, staff = api_as(world.user("worker")), api_as(world.user("district_x_staff"))

    early = staff.post(f"/servicemenu/orders/{order.pk}/complete", {})
    rate_early = worker.post(f"/servicemenu/orders/{order.pk}/confirm", {"stars": 5})
    handled_to(world, order, "completed")
    worker.post(f"/servicemenu/orders/{order.pk}/confirm", {"stars": 5})
    twice = worker.post(f"/servicemenu/orders/{order.pk}/confirm", {"stars": 1})
    others = api_as(world.user("other_worker")).post(f"/servicemenu/orders/{order.pk}/confirm", {"stars": 1})

    assert (early.status_code, early.json()["code"]) == (409, "order.not_accepted")
    assert (rate_early.status_code, rate_early.json()["code"]) == (409, "order.not_completed")
    assert (twice.status_code, twice.json()["code"]) == (409, "order.already_rated")
    assert "只能评价一次" in twice.json()["message"]
    assert (others.status_code, others.json()["code"]) == (404, "order.not_found")


def test_ordering_an_inactive_service_is_refused(world, api_as):
    offering = an_offering(world, is_active=False)

    response = api_as(world.user("worker")).post(f"/servicemenu/offerings/{offering.pk}/orders", {})

    assert (response.status_code, response.json()["code"]) == (409, "order.service_inactive")
    assert not Order.objects.exists()


def test_district_y_staff_get_404_for_district_x_orders_and_change_nothing(world, api_as):
    order = an_order(world, an_offering(world))
    staff_y = api_as(world.user("district_y_staff"))

    assert staff_y.get(f"/servicemenu/orders/{order.pk}").status_code == 404
    assert staff_y.post(f"/servicemenu/orders/{order.pk}/accept").status_code == 404
    assert staff_y.post(f"/servicemenu/orders/{order.pk}/decline", {"reason": "x"}).status_code == 404
    assert staff_y.get("/servicemenu/orders").json()["items"] == []
    order.refresh_from_db()
    assert order.status == OrderStatus.REQUESTED


def test_the_queue_lists_open_orders_oldest_first_with_their_wait(world, api_as):
    offering = an_offering(world)
    old = an_order(world, offering, "worker")
    new = an_order(world, offering, "other_worker")
    Order.objects.filter(pk=old.pk).update(created_at=timezone.now() - dt.timedelta(hours=60))

    items = api_as(world.user("district_x_staff")).get("/servicemenu/orders").json()["items"]

    assert [i["id"] for i in items] == [old.pk, new.pk]
    assert items[0]["overdue"] is True
    assert items[0]["waited_hours"] >= 60
    assert items[1]["overdue"] is False


def test_the_report_counts_waiting_and_completed_orders(world, api_as):
    offering = an_offering(world)
    handled_to(world, an_order(world, offering, "worker"), "completed")
    waiting = an_order(world, offering, "other_worker")
    Order.objects.filter(pk=waiting.pk).update(created_at=timezone.now() - dt.timedelta(hours=80))

    report = api_as(world.user("district_x_staff")).get("/servicemenu/report", weeks=4).json()

    assert (report["open"], report["overdue"], report["completed"]) == (1, 1, 1)
    assert sum(b["count"] for b in report["wait_buckets"]) == 1
    assert report["weekly"][-1]["completed"] == 1
    assert report["points"][0]["point_id"] == offering.point_id
    assert api_as(world.user("district_y_staff")).get("/servicemenu/report").json()["open"] == 0
    assert api_as(world.user("worker")).get("/servicemenu/report").status_code == 404


def test_a_patch_with_nulls_leaves_those_fields_and_may_clear_the_capacity(world, api_as):
    offering = an_offering(world, daily_capacity=5, note="周末")

    response = api_as(world.user("district_x_staff")).patch(
        f"/servicemenu/offerings/{offering.pk}", {"ends": None, "weekdays": None, "note": None, "daily_capacity": None}
    )

    assert response.status_code == 200, response.content
    assert (response.json()["ends"], response.json()["note"], response.json()["daily_capacity"]) == (
        "24:00",
        "周末",
        None,
    )


def test_the_documents_choices_are_the_models_choices():
    from typing import get_args

    from zhijia.servicemenu import api
    from zhijia.servicemenu.models import Audience, Availability, OrderStatus, Pricing

    assert set(get_args(api.StatusIn)) == set(OrderStatus.values)
    assert set(get_args(api.AudienceIn)) == set(Audience.values)
    assert set(get_args(api.AvailabilityIn)) == set(Availability.values)
    assert set(get_args(api.PricingIn)) == set(Pricing.values)
