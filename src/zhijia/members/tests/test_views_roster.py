"""会员名册 in the console: search and filters (masked), a member's page with history, reveal, transfer, flags, end."""

from __future__ import annotations

from django.urls import reverse

from zhijia.audit.models import AuditEvent
from zhijia.members.models import Membership
from zhijia.members.tests.membership_support import member, valid_id


def test_the_roster_is_masked_and_searches_by_full_id_number(world, client_as):
    membership = member(world)
    client = client_as(world.user("district_x_staff"))

    listed = client.get(reverse("members:roster")).content.decode()
    found = client.get(reverse("members:roster"), {"q": valid_id(1)}).content.decode()
    missed = client.get(reverse("members:roster"), {"q": valid_id(2)}).content.decode()

    assert membership.member_no in listed
    assert "110105********" + valid_id(1)[-4:] in listed
    assert "138****0001" in listed
    assert valid_id(1) not in listed.replace(f'value="{valid_id(1)}"', "")
    assert membership.member_no in found
    assert membership.member_no not in missed


def test_the_roster_filters_keep_their_values_across_pages(world, client_as):
    member(world)
    client = client_as(world.user("city_staff"))

    courier = client.get(reverse("members:roster"), {"job_group": "courier", "needy": "no"}).content.decode()
    guard = client.get(reverse("members:roster"), {"job_group": "security_guard"}).content.decode()
    under_y = client.get(reverse("members:roster"), {"under": world.district_y.pk}).content.decode()

    assert "王师傅" in courier
    assert "王师傅" not in guard
    assert "王师傅" not in under_y


def test_another_district_sees_no_member_and_gets_404_on_every_page(world, client_as):
    membership = member(world)
    client = client_as(world.user("district_y_staff"))

    assert "王师傅" not in client.get(reverse("members:roster")).content.decode()
    for name in ("members:member_detail", "members:member_transfer", "members:member_flags", "members:member_end"):
        assert client.get(reverse(name, args=[membership.pk])).status_code == 404, name
    assert (
        client.post(reverse("members:member_detail", args=[membership.pk]), {"reveal": "id_number"}).status_code == 404
    )
    assert client.post(reverse("members:member_end", args=[membership.pk]), {"status": "lapsed"}).status_code == 404
    membership.refresh_from_db()
    assert membership.status == Membership.Status.ACTIVE
    assert not AuditEvent.objects.filter(action="pii.reveal").exists()


def test_the_member_page_shows_the_history(world, client_as):
    membership = member(world)

    page = client_as(world.user("union_a_staff")).get(reverse("members:member_detail", args=[membership.pk]))

    text = page.content.decode()
    assert page.status_code == 200
    assert "入会" in text
    assert "申请到领卡用时" in text
    assert "X甲公司工会union_a_staff" in text
    assert valid_id(1) not in text


def test_reveal_shows_the_full_value_once_and_logs_it(world, client_as):
    membership = member(world)
    client = client_as(world.user("union_a_staff"))
    url = reverse("members:member_detail", args=[membership.pk])

    revealed = client.post(url, {"reveal": "id_number"}).content.decode()
    again = client.get(url).content.decode()

    assert valid_id(1) in revealed
    assert "已记入审计日志" in revealed
    assert valid_id(1) not in again
    assert AuditEvent.objects.filter(action="pii.reveal", object_id=str(membership.pk)).count() == 1
    readonly = client_as(world.user("district_x_readonly"))
    assert 'id="reveal-id"' not in readonly.get(url).content.decode()
    assert readonly.post(url, {"reveal": "phone"}).status_code == 403


def test_a_transfer_by_code_moves_the_member_out_of_sight(world, client_as):
    membership = member(world)
    client = client_as(world.user("district_x_staff"))
    url = reverse("members:member_transfer", args=[membership.pk])

    unknown = client.post(url, {"new_union_code": "NOPE"})
    assert unknown.status_code == 200
    assert "NOPE" in unknown.content.decode()

    moved = client.post(url, {"new_union_code": "T-UB"})
    assert moved.status_code == 302
    assert moved["Location"] == reverse("members:roster")
    membership.refresh_from_db()
    assert membership.union == world.union_b
    transfers = client.get(reverse("members:transfers_out")).content.decode()
    assert membership.member_no in transfers
    assert "Y乙公司工会" in transfers


def test_flags_and_ending_are_recorded_in_the_history(world, client_as):
    membership = member(world)
    client = client_as(world.user("union_a_staff"))

    flagged = client.post(
        reverse("members:member_flags", args=[membership.pk]),
        {"needy_level": "deep", "model_worker_level": "city", "job_group": "courier"},
    )
    ended = client.post(
        reverse("members:member_end", args=[membership.pk]), {"status": "withdrawn", "reason": "本人申请"}
    )

    assert flagged.status_code == 302
    assert ended.status_code == 302
    membership.refresh_from_db()
    assert membership.needy_level == "deep"
    assert membership.status == Membership.Status.WITHDRAWN
    page = client.get(reverse("members:member_detail", args=[membership.pk])).content.decode()
    assert "困难职工：否 → 深度困难" in page
    assert "原因：本人申请" in page


def test_a_read_only_role_may_look_but_not_change(world, client_as):
    membership = member(world)
    client = client_as(world.user("district_x_readonly"))

    assert client.get(reverse("members:member_detail", args=[membership.pk])).status_code == 200
    assert client.get(reverse("members:member_flags", args=[membership.pk])).status_code == 403
    assert (
        client.post(reverse("members:member_flags", args=[membership.pk]), {"needy_level": "deep"}).status_code == 403
    )
