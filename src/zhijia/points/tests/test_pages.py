"""The points pages: the member's points page, redeeming from it, the code; the console's report, rules, items,
merchants, volunteering and handing out by code."""

from __future__ import annotations

from django.urls import reverse
from django.utils import timezone

from zhijia.points.models import EarningRule, Merchant, Redemption, RewardItem
from zhijia.points.tests.points_support import a_member_with_points, an_item


def test_my_points_page_shows_balance_items_and_history(world, client_as):
    a_member_with_points(world, 30)
    an_item(world.street_x, name="保温杯", cost=12)

    page = client_as(world.user("worker")).get(reverse("points:mine")).content.decode()

    assert 'id="points-balance">30<' in page
    assert "保温杯" in page
    assert "+30" in page


def test_redeeming_from_the_page_shows_the_code_once_even_if_sent_twice(world, client_as):
    a_member_with_points(world, 30)
    cup = an_item(world.street_x, cost=12)
    client = client_as(world.user("worker"))
    form = {"idempotency_key": "page-render-1"}

    first = client.post(reverse("points:redeem", args=[cup.pk]), form)
    second = client.post(reverse("points:redeem", args=[cup.pk]), form, follow=True)

    redemption = Redemption.objects.get()
    assert first["Location"] == reverse("points:redemption", args=[redemption.pk])
    assert redemption.code in second.content.decode()
    assert Redemption.objects.count() == 1


def test_not_enough_points_is_explained_on_the_page(world, client_as):
    a_member_with_points(world, 5)
    cup = an_item(world.street_x, cost=12)

    response = client_as(world.user("worker")).post(reverse("points:redeem", args=[cup.pk]), follow=True)

    assert "积分不足" in response.content.decode()
    assert not Redemption.objects.exists()


def test_the_console_report_and_forms(world, client_as):
    admin = client_as(world.user("district_x_staff"))
    membership = a_member_with_points(world, 0)

    report = admin.get(reverse("points:console"))
    rule = admin.post(reverse("points:rules"), {"org": world.street_x.pk, "event": "volunteer_hours", "points": 8})
    merchant = admin.post(
        reverse("points:merchants"), {"owner": world.street_x.pk, "name": "爱心理发", "kind": "caring"}
    )
    item = admin.post(
        reverse("points:items"),
        {
            "owner": world.street_x.pk,
            "name": "理发券",
            "kind": "benefit",
            "cost": 20,
            "stock": 3,
            "merchant": Merchant.objects.get().pk,
        },
    )
    credit = admin.post(
        reverse("points:volunteer"),
        {
            "member_no": membership.member_no,
            "hours": "2",
            "served_on": timezone.localdate().isoformat(),
            "note": "值守",
        },
        follow=True,
    )

    assert report.status_code == 200
    assert 'id="points-chart"' in report.content.decode()
    assert (rule.status_code, merchant.status_code, item.status_code) == (302, 302, 302)
    assert EarningRule.objects.get().points == 8
    assert RewardItem.objects.get().stock == 3
    assert "获得 16 积分" in credit.content.decode()


def test_handing_out_by_code_on_the_verify_page(world, client_as):
    a_member_with_points(world, 30)
    cup = an_item(world.street_x, cost=12)
    worker = client_as(world.user("worker"))
    worker.post(reverse("points:redeem", args=[cup.pk]), {"idempotency_key": "k"})
    redemption = Redemption.objects.get()
    desk = client_as(world.user("case_handler"))

    found = desk.get(reverse("points:verify"), {"code": redemption.code}).content.decode()
    used = desk.post(reverse("points:use", args=[redemption.pk]), follow=True).content.decode()

    assert "确认核销" in found
    assert "已核销" in used
    redemption.refresh_from_db()
    assert redemption.status == Redemption.Status.USED
