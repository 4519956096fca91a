"""The demo's points on a small Beijing-shaped tree: the city's rules, merchants and items, a ledger for a share of
the members whose balances are the sums of their entries and never negative; running it again adds nothing."""

from __future__ import annotations

import datetime as dt

from django.db.models import Sum
from django.utils import timezone

from zhijia.demo.members import build_worker_card
from zhijia.demo.points import build_for
from zhijia.demo.tests.test_demo_members import beijing  # noqa: F401 - the shared small Beijing
from zhijia.members.models import Membership
from zhijia.members.selectors import id_index
from zhijia.members.tests.membership_support import valid_id
from zhijia.points.models import EarningRule, Entry, Merchant, PointAccount, Redemption, RewardItem
from zhijia.points.selectors import items_for_member


def _imported(beijing, n):  # noqa: F811
    """n members as the roster import leaves them: no account of their own yet."""
    unions = [beijing["firm"], beijing["joint"], beijing["couriers"]]
    Membership.objects.bulk_create(
        [
            Membership(
                member_no=f"ZJDEMO{i:05d}",
                union=unions[i % len(unions)],
                name=f"会员{i}",
                id_number=valid_id(i),
                id_index=id_index(valid_id(i)),
                source=Membership.Source.IMPORT,
                joined_at=timezone.now() - dt.timedelta(days=400 + i),
            )
            for i in range(n)
        ]
    )


def test_the_demo_points_load_once_with_balances_that_add_up(beijing):  # noqa: F811
    _imported(beijing, 300)
    build_worker_card()

    added = build_for(city=beijing["city"], members=60, progress=lambda m: None)
    again = build_for(city=beijing["city"], members=60, progress=lambda m: None)

    assert added["points_rules"] == EarningRule.objects.count() == 7
    assert Merchant.objects.exists()
    assert RewardItem.objects.filter(merchant__isnull=False).exists()
    assert again == {"points_rules": 0, "points_shelf": 0, "points_entries": 0}
    holders = Membership.objects.filter(user__username__startswith="pt-demo-")
    assert 55 <= holders.count() <= 61
    for account in PointAccount.objects.all():
        assert account.balance >= 0
        assert account.balance == Entry.objects.filter(user_id=account.pk).aggregate(s=Sum("amount"))["s"]
    assert not Entry.objects.filter(balance_after__lt=0).exists()
    assert Redemption.objects.exists()
    demo_worker = Membership.objects.get(user__username="worker-demo").user
    assert demo_worker is not None
    assert PointAccount.objects.filter(pk=demo_worker.pk).exists()
    assert items_for_member(actor=demo_worker).exists()
