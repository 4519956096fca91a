"""What the database itself holds to: one active membership per person, however many past ones."""

import pytest
from django.db import IntegrityError, transaction
from django.utils import timezone

from zhijia.members.models import Membership
from zhijia.members.selectors import id_index

from .membership_support import valid_id


def _membership(world, number: str, person: str, status: str) -> Membership:
    past = status != Membership.Status.ACTIVE
    return Membership.objects.create(
        name="王师傅",
        id_number=person,
        id_index=id_index(person),
        member_no=number,
        union=world.union_a,
        status=status,
        source=Membership.Source.ONLINE,
        joined_at=timezone.now(),
        ended_at=timezone.now() if past else None,
    )


def test_a_person_has_any_number_of_past_memberships_and_one_active_one(world):
    person = valid_id(7)
    _membership(world, "T-1", person, Membership.Status.LAPSED)
    _membership(world, "T-2", person, Membership.Status.WITHDRAWN)
    _membership(world, "T-3", person, Membership.Status.LAPSED)
    active = _membership(world, "T-4", person, Membership.Status.ACTIVE)
    _membership(world, "T-5", valid_id(8), Membership.Status.ACTIVE)  # someone else

    with pytest.raises(IntegrityError), transaction.atomic():
        _membership(world, "T-6", person, Membership.Status.ACTIVE)
    # a past membership made active again while another is active is refused as well
    with pytest.raises(IntegrityError), transaction.atomic():
        Membership.objects.filter(member_no="T-1").update(status=Membership.Status.ACTIVE, ended_at=None)

    # the blind index finds every membership of the person, whatever its status
    found = Membership.objects.filter(id_index=id_index(person)).order_by("member_no")
    assert [m.member_no for m in found] == ["T-1", "T-2", "T-3", "T-4"]
    # and once the active one has ended, a new one may begin
    Membership.objects.filter(pk=active.pk).update(status=Membership.Status.LAPSED, ended_at=timezone.now())
    _membership(world, "T-6", person, Membership.Status.ACTIVE)
    assert Membership.objects.filter(id_index=id_index(person), status=Membership.Status.ACTIVE).count() == 1
