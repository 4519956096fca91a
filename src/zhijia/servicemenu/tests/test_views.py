"""The service menu's pages: a point's services (linked from the point's page), ordering, my orders with their live
status, rating; the staff's menu editor, queue, order page with its steps, and report, each within scope."""

from __future__ import annotations

import datetime as dt

from django.urls import reverse
from django.utils import timezone

from zhijia.servicemenu.models import Offering, Order, OrderStatus
from zhijia.servicemenu.tests.servicemenu_support import an_offering, an_order, haircut, handled_to, x_point


def test_the_points_page_links_to_its_services_which_anyone_can_read(world, client_as):
    offering = an_offering(world, note="每周二下午")

    point_page = client_as(None).get(reverse("network:point", args=[offering.point_id])).content.decode()
    services_page = client_as(None).get(reverse("servicemenu:point_services", args=[offering.point_id]))

    assert reverse("servicemenu:point_services", args=[offering.point_id]) in point_page
    assert services_page.status_code == 200
    text = services_page.content.decode()
    assert "理发" in text
    assert "每周二下午" in text
    assert reverse("servicemenu:order_create", args=[offering.pk]) in text


def test_a_worker_orders_on_the_page_and_a_double_submit_orders_once(world, client_as):
    offering = an_offering(world)
    client = client_as(world.user("worker"))
    form = client.get(reverse("servicemenu:order_create", args=[offering.pk]))
    key = form.context["form"].initial["idempotency_key"]
    when = timezone.localtime(timezone.now() + dt.timedelta(days=1)).strftime("%Y-%m-%dT%H:%M")
    data = {"preferred_at": when, "note": "电动车刹车不灵", "idempotency_key": key}

    first = client.post(reverse("servicemenu:order_create", args=[offering.pk]), data)
    again = client.post(reverse("servicemenu:order_create", args=[offering.pk]), data)

    assert first.status_code == again.status_code == 302
    assert first["Location"] == reverse("servicemenu:my_orders")
    (order,) = Order.objects.all()
    assert order.note == "电动车刹车不灵"


def test_an_order_the_rules_refuse_shows_why_on_the_form(world, client_as):
    offering = an_offering(world, is_active=False)

    response = client_as(world.user("worker")).post(reverse("servicemenu:order_create", args=[offering.pk]), {})

    assert response.status_code == 200
    assert "该服务暂未开放预约" in response.content.decode()
    assert not Order.objects.exists()


def test_my_orders_polls_for_fresh_statuses(world, client_as):
    order = an_order(world, an_offering(world))
    client = client_as(world.user("worker"))

    page = client.get(reverse("servicemenu:my_orders")).content.decode()
    handled_to(world, order, "accepted")
    rows = client.get(reverse("servicemenu:my_orders_rows")).content.decode()

    assert f'hx-get="{reverse("servicemenu:my_orders_rows")}"' in page
    assert 'hx-trigger="every' in page
    assert "待受理" in page
    assert "已受理" in rows
    assert "<html" not in rows


def test_the_worker_confirms_and_rates_a_completed_order_on_the_page(world, client_as):
    order = handled_to(world, an_order(world, an_offering(world)), "completed")
    client = client_as(world.user("worker"))

    response = client.post(reverse("servicemenu:order_confirm", args=[order.pk]), {"stars": "5", "comment": "很满意"})

    assert response.status_code == 302
    order.refresh_from_db()
    assert (order.status, order.stars) == (OrderStatus.CONFIRMED, 5)
    again = client.post(reverse("servicemenu:order_confirm", args=[order.pk]), {"stars": "1"})
    assert "只能评价一次" in again.content.decode()
    assert (
        client_as(world.user("other_worker")).get(reverse("servicemenu:order_confirm", args=[order.pk])).status_code
        == 404
    )


def test_staff_publish_a_service_in_the_menu_editor(world, client_as):
    point = x_point(world)
    client = client_as(world.user("district_x_staff"))
    data = {
        "service_type": str(haircut().pk),
        "availability": "weekly",
        "weekdays": ["1", "3"],
        "starts": "14:00",
        "ends": "17:00",
        "daily_capacity": "10",
        "audience": "members",
        "pricing": "member_price",
        "member_price": "5",
        "list_price": "15",
        "is_active": "on",
    }

    response = client.post(reverse("servicemenu:point_menu", args=[point.pk]), data)

    assert response.status_code == 302
    offering = Offering.objects.get(point=point)
    assert (offering.weekdays, offering.starts_minute, offering.member_price_fen) == (0b1010, 840, 500)
    assert (
        "星期二、星期四 14:00-17:00" in client.get(reverse("servicemenu:point_menu", args=[point.pk])).content.decode()
    )


def test_staff_handle_an_order_step_by_step_on_its_page(world, client_as):
    order = an_order(world, an_offering(world))
    client = client_as(world.user("district_x_staff"))

    client.post(reverse("servicemenu:order_accept", args=[order.pk]))
    when = timezone.localtime(timezone.now() + dt.timedelta(days=1)).strftime("%Y-%m-%dT%H:%M")
    client.post(reverse("servicemenu:order_schedule", args=[order.pk]), {"scheduled_at": when})
    client.post(reverse("servicemenu:order_complete", args=[order.pk]))
    page = client.get(reverse("servicemenu:order_detail", args=[order.pk])).content.decode()

    order.refresh_from_db()
    assert order.status == OrderStatus.COMPLETED
    assert page.count('class="tag">已') >= 3
    assert "已完成" in page


def test_completing_before_accepting_on_the_page_says_why_and_changes_nothing(world, client_as):
    order = an_order(world, an_offering(world))
    client = client_as(world.user("district_x_staff"))

    response = client.post(reverse("servicemenu:order_complete", args=[order.pk]), follow=True)

    assert "订单受理后才能标记完成" in response.content.decode()
    order.refresh_from_db()
    assert order.status == OrderStatus.REQUESTED


def test_the_queue_marks_overdue_orders_and_other_districts_see_none(world, client_as):
    order = an_order(world, an_offering(world))
    Order.objects.filter(pk=order.pk).update(created_at=timezone.now() - dt.timedelta(hours=72))

    mine = client_as(world.user("district_x_staff")).get(reverse("servicemenu:queue")).content.decode()
    theirs = client_as(world.user("district_y_staff")).get(reverse("servicemenu:queue")).content.decode()
    detail_y = client_as(world.user("district_y_staff")).get(reverse("servicemenu:order_detail", args=[order.pk]))

    assert f'id="queue-order-{order.pk}" class="overdue"' in mine
    assert f"queue-order-{order.pk}" not in theirs
    assert detail_y.status_code == 404


def test_the_report_page_draws_its_charts_from_a_json_script(world, client_as):
    handled_to(world, an_order(world, an_offering(world)), "completed")

    response = client_as(world.user("district_x_staff")).get(reverse("servicemenu:report"))

    text = response.content.decode()
    assert response.status_code == 200
    assert 'id="servicemenu-report"' in text
    assert "servicemenu.js" in text
    assert '<span class="stat-value" id="completed-count">1</span>' in text


def test_a_report_period_that_is_no_number_shows_the_last_8_weeks(world, client_as):
    response = client_as(world.user("district_x_staff")).get(reverse("servicemenu:report"), {"weeks": "²"})

    assert response.status_code == 200
    assert '<option value="8" selected>' in response.content.decode()


def test_the_queue_can_show_one_points_orders(world, client_as):
    offering = an_offering(world)
    mine = an_order(world, offering)
    other = an_order(world, an_offering(world, point=x_point(world, name="X另一个之家")), "other_worker")
    client = client_as(world.user("district_x_staff"))

    menu = client.get(reverse("servicemenu:point_menu", args=[offering.point_id])).content.decode()
    page = client.get(reverse("servicemenu:queue"), {"point": offering.point_id, "status": "all"}).content.decode()

    assert f"?point={offering.point_id}&amp;status=all" in menu
    assert f"queue-order-{mine.pk}" in page
    assert f"queue-order-{other.pk}" not in page
