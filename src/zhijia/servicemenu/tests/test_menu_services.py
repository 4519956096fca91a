"""Keeping a point's menu: publishing services from the catalogue, changing them, a union's own services."""

from __future__ import annotations

import pytest

from zhijia.audit.models import AuditEvent
from zhijia.core.errors import NotFound, PermissionDenied, ValidationFailed
from zhijia.servicemenu import services
from zhijia.servicemenu.models import Audience, Availability, Offering, Pricing, ServiceType
from zhijia.servicemenu.selectors import catalogue_for_point, point_offerings
from zhijia.servicemenu.tests.servicemenu_support import an_offering, haircut, x_point, y_point


def test_the_national_catalogue_comes_with_the_platform(db):
    names = set(ServiceType.objects.filter(owner__isnull=True).values_list("name", flat=True))

    assert {"法律咨询", "心理咨询", "技能培训", "理发", "家电维修", "自行车电动车维修", "缝补改衣", "健康检查"} <= names


def test_staff_publish_a_service_at_a_point_of_their_subtree(world):
    point = x_point(world)

    offering = services.offering_create(
        actor=world.user("district_x_staff"),
        point_id=point.pk,
        service_type_id=haircut().pk,
        availability=Availability.WEEKLY,
        weekdays=0b0000110,
        starts_minute=14 * 60,
        ends_minute=17 * 60,
        daily_capacity=10,
        audience=Audience.MEMBERS,
        pricing=Pricing.MEMBER_PRICE,
        member_price_fen=500,
        list_price_fen=1500,
    )

    assert (offering.point, offering.daily_capacity, offering.member_price_fen) == (point, 10, 500)
    assert AuditEvent.objects.filter(action="menu.offering_create", object_id=str(offering.pk)).count() == 1
    _, menu = point_offerings(actor=None, point_id=point.pk)
    assert list(menu) == [offering]


def test_staff_of_another_district_cannot_touch_the_menu_and_read_only_staff_may_not(world):
    point = x_point(world)

    with pytest.raises(NotFound):
        services.offering_create(actor=world.user("district_y_staff"), point_id=point.pk, service_type_id=haircut().pk)
    with pytest.raises(PermissionDenied):
        services.offering_create(
            actor=world.user("district_x_readonly"), point_id=point.pk, service_type_id=haircut().pk
        )
    assert not Offering.objects.exists()


@pytest.mark.parametrize(
    ("fields", "code"),
    [
        ({"availability": "weekly", "weekdays": 0}, "menu.no_weekdays"),
        ({"starts_minute": 600, "ends_minute": 540}, "menu.hours_invalid"),
        ({"pricing": "free", "member_price_fen": 100}, "menu.free_has_price"),
        ({"daily_capacity": 0}, "menu.capacity_invalid"),
        ({"audience": "everyone"}, "menu.unknown_audience"),
    ],
)
def test_a_menu_entry_that_breaks_a_rule_is_refused_with_its_code(world, fields, code):
    with pytest.raises(ValidationFailed) as refused:
        services.offering_create(
            actor=world.user("district_x_staff"), point_id=x_point(world).pk, service_type_id=haircut().pk, **fields
        )

    assert refused.value.code == code
    assert not Offering.objects.exists()


def test_a_service_is_offered_once_per_point(world):
    offering = an_offering(world)

    with pytest.raises(ValidationFailed) as refused:
        services.offering_create(
            actor=world.user("district_x_staff"), point_id=offering.point_id, service_type_id=haircut().pk
        )

    assert refused.value.code == "menu.already_offered"


def test_taking_a_service_off_the_menu_hides_it_from_workers_but_not_from_staff(world):
    offering = an_offering(world)

    services.offering_update(actor=world.user("district_x_staff"), offering_id=offering.pk, is_active=False)

    assert list(point_offerings(actor=world.user("worker"), point_id=offering.point_id)[1]) == []
    assert list(point_offerings(actor=world.user("district_x_staff"), point_id=offering.point_id)[1]) == [offering]


def test_a_union_adds_its_own_service_which_only_its_subtree_may_offer(world):
    own = services.service_type_create(
        actor=world.user("district_x_staff"), owner_id=world.street_x.pk, name="家政培训"
    )

    assert own in catalogue_for_point(x_point(world))
    assert own not in catalogue_for_point(y_point(world))
    with pytest.raises(ValidationFailed) as refused:
        services.offering_create(actor=world.user("superuser"), point_id=y_point(world).pk, service_type_id=own.pk)
    assert refused.value.code == "menu.unknown_service"


def test_staff_cannot_add_a_service_for_a_union_outside_their_subtree(world):
    with pytest.raises(NotFound):
        services.service_type_create(actor=world.user("district_y_staff"), owner_id=world.street_x.pk, name="家政培训")
    assert not ServiceType.objects.filter(name="家政培训").exists()
