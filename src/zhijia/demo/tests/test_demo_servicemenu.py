"""The demo's service menu on a small city: menus on the palace and homes, orders in every state with their
history, loaded once however often the demo runs."""

from __future__ import annotations

from zhijia.demo.servicemenu import build_for
from zhijia.network.models import PointKind
from zhijia.network.tests.network_support import a_point
from zhijia.servicemenu.models import Offering, Order, OrderEvent, OrderStatus
from zhijia.servicemenu.selectors import order_report


def test_the_demo_menu_has_orders_in_every_state_and_loads_once(world):
    palace = a_point(world, name="X区工人文化宫", kind=PointKind.CULTURAL_PALACE, owner=world.district_x)
    for i in range(4):
        a_point(world, name=f"X职工之家{i}", kind=PointKind.ENTERPRISE_HOME, owner=world.union_a)
    quiet: list[str] = []

    added = build_for(city=world.city, admin=world.user("superuser"), homes=3, orders=150, progress=quiet.append)
    again = build_for(city=world.city, admin=world.user("superuser"), homes=3, orders=150, progress=quiet.append)

    assert added["menu_services"] >= 7
    assert added["service_orders"] == 150
    assert again == {"menu_services": 0, "service_orders": 0}
    assert Offering.objects.filter(point=palace).count() == 7
    assert set(Order.objects.values_list("status", flat=True)) == set(OrderStatus.values)
    rated = Order.objects.filter(status=OrderStatus.CONFIRMED).first()
    assert rated is not None
    assert list(OrderEvent.objects.filter(order=rated).order_by("at", "pk").values_list("status", flat=True)) == [
        "requested",
        "accepted",
        "scheduled",
        "completed",
        "confirmed",
    ]
    report = order_report(actor=world.user("city_staff"))
    assert report.open > 0
    assert report.overdue > 0
    assert report.completed > 0
