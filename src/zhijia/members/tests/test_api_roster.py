"""The roster through the API: search in scope (masked), a member's history, transfer, end, flags and reveal."""

from __future__ import annotations

from django.db import connection
from django.test.utils import CaptureQueriesContext

from zhijia.audit.models import AuditEvent
from zhijia.members.models import Membership, MembershipTransfer
from zhijia.members.tests.membership_support import member, submitted, valid_id


def test_the_roster_is_masked_and_scoped(world, api_as):
    membership = member(world)

    mine = api_as(world.user("district_x_staff")).get("/members")
    sibling = api_as(world.user("district_y_staff")).get("/members")
    worker = api_as(world.user("worker")).get("/members")

    assert [m["id"] for m in mine.json()["items"]] == [membership.pk]
    row = mine.json()["items"][0]
    assert row["id_number"] == "110105********" + valid_id(1)[-4:]
    assert row["phone"] == "138****0001"
    assert valid_id(1) not in mine.content.decode()
    assert sibling.json()["count"] == 0
    assert worker.json()["count"] == 0


def test_the_roster_finds_a_member_by_full_id_number_phone_or_name(world, api_as):
    membership = member(world)
    api = api_as(world.user("union_a_staff"))

    for search in (valid_id(1), valid_id(1).lower(), "13800000001", "王"):
        found = api.get("/members", search=search).json()["items"]
        assert [m["id"] for m in found] == [membership.pk], search
    assert api.get("/members", search=valid_id(2)).json()["count"] == 0
    assert api.get("/members", search="13800000002").json()["count"] == 0


def test_the_roster_filters(world, api_as):
    membership = member(world)
    Membership.objects.filter(pk=membership.pk).update(needy_level="deep")
    api = api_as(world.user("city_staff"))

    assert api.get("/members", job_group="courier").json()["count"] == 1
    assert api.get("/members", job_group="care_worker").json()["count"] == 0
    assert api.get("/members", needy=True).json()["count"] == 1
    assert api.get("/members", needy=False).json()["count"] == 0
    assert api.get("/members", model_worker=True).json()["count"] == 0
    assert api.get("/members", status="active").json()["count"] == 1
    assert api.get("/members", under_id=world.district_x.pk).json()["count"] == 1
    assert api.get("/members", under_id=world.district_y.pk).json()["count"] == 0


def test_member_detail_has_the_history_and_another_district_gets_404(world, api_as):
    membership = member(world)

    response = api_as(world.user("union_a_staff")).get(f"/members/{membership.pk}")

    assert response.status_code == 200
    events = response.json()["events"]
    assert [e["kind"] for e in events] == ["joined"]
    assert events[0]["actor"]
    assert "seconds_to_card" in events[0]["detail"]
    assert api_as(world.user("district_y_staff")).get(f"/members/{membership.pk}").status_code == 404
    assert api_as(world.user("worker")).get(f"/members/{membership.pk}").status_code == 404


def test_a_transfer_by_code_moves_the_member_and_the_union_left_sees_it(world, api_as):
    membership = member(world)

    response = api_as(world.user("city_staff")).post(f"/members/{membership.pk}/transfer", {"new_union_code": "T-UB"})

    assert response.status_code == 200, response.content
    assert response.json()["union"]["code"] == "T-UB"
    assert response.json()["member_no"] == membership.member_no
    assert [t["to_union"]["code"] for t in response.json()["transfers"]] == ["T-UB"]
    gone = api_as(world.user("district_x_staff")).get("/members/transfers-out").json()["items"]
    assert [(t["member_no"], t["to_union"]["name"]) for t in gone] == [(membership.member_no, "Y乙公司工会")]
    assert api_as(world.user("district_y_staff")).get(f"/members/{membership.pk}").status_code == 200


def test_a_transfer_needs_a_known_target(world, api_as):
    membership = member(world)
    api = api_as(world.user("district_x_staff"))

    unknown = api.post(f"/members/{membership.pk}/transfer", {"new_union_code": "NOPE"})
    missing = api.post(f"/members/{membership.pk}/transfer", {})

    assert unknown.status_code == 400
    assert unknown.json()["detail"]["field"] == "new_union_code"
    assert missing.status_code == 400
    assert not MembershipTransfer.objects.exists()


def test_another_district_cannot_transfer_end_flag_or_reveal(world, api_as):
    membership = member(world)
    api = api_as(world.user("district_y_staff"))
    audits = AuditEvent.objects.count()

    assert api.post(f"/members/{membership.pk}/transfer", {"new_union_id": world.union_b.pk}).status_code == 404
    assert api.post(f"/members/{membership.pk}/end", {"status": "withdrawn"}).status_code == 404
    assert api.patch(f"/members/{membership.pk}/flags", {"needy_level": "deep"}).status_code == 404
    assert api.post(f"/members/{membership.pk}/reveal", {"field": "id_number"}).status_code == 404

    membership.refresh_from_db()
    assert membership.union == world.union_a
    assert membership.status == Membership.Status.ACTIVE
    assert membership.needy_level == "none"
    assert AuditEvent.objects.count() == audits


def test_ending_a_membership_records_who_and_why(world, api_as):
    membership = member(world)

    response = api_as(world.user("union_a_staff")).post(
        f"/members/{membership.pk}/end", {"status": "lapsed", "reason": "连续两年未缴会费"}
    )

    assert response.status_code == 200
    assert response.json()["status"] == "lapsed"
    assert response.json()["ended_at"]
    assert response.json()["events"][-1]["kind"] == "lapsed"
    assert response.json()["events"][-1]["detail"]["reason"] == "连续两年未缴会费"


def test_flags_are_changed_and_recorded(world, api_as):
    membership = member(world)

    response = api_as(world.user("union_a_staff")).patch(
        f"/members/{membership.pk}/flags", {"needy_level": "deep", "model_worker_level": "city"}
    )

    assert response.status_code == 200
    assert response.json()["needy_level"] == "deep"
    assert response.json()["model_worker_level"] == "city"
    assert response.json()["events"][-1]["kind"] == "flags_changed"
    assert (
        api_as(world.user("district_x_readonly"))
        .patch(f"/members/{membership.pk}/flags", {"needy_level": "none"})
        .status_code
        == 403
    )


def test_reveal_gives_the_full_value_and_writes_an_audit_row(world, api_as):
    membership = member(world)

    response = api_as(world.user("union_a_staff")).post(f"/members/{membership.pk}/reveal", {"field": "id_number"})
    phone = api_as(world.user("union_a_staff")).post(f"/members/{membership.pk}/reveal", {"field": "phone"})

    assert response.json() == {"field": "id_number", "value": valid_id(1)}
    assert phone.json()["value"] == "13800000001"
    reveals = AuditEvent.objects.filter(action="pii.reveal", object_id=str(membership.pk))
    assert [e.changes["field"] for e in reveals.order_by("id")] == ["id_number", "phone"]
    assert {e.actor for e in reveals} == {world.user("union_a_staff")}


def test_a_role_without_reveal_gets_403_and_nothing_is_logged(world, api_as):
    membership = member(world)

    response = api_as(world.user("district_x_readonly")).post(
        f"/members/{membership.pk}/reveal", {"field": "id_number"}
    )

    assert response.status_code == 403
    assert not AuditEvent.objects.filter(action="pii.reveal").exists()


def test_a_page_of_the_roster_or_the_queue_costs_the_same_queries_however_many_rows(world, api_as):
    api = api_as(world.user("city_staff"))

    def queries(path):
        with CaptureQueriesContext(connection) as captured:
            assert api.get(path).status_code == 200
        return len(captured)

    member(world)
    submitted(world, id_number=valid_id(11))
    one = (queries("/members"), queries("/applications"), queries("/members/transfers-out"))
    for n in range(2, 6):
        member(world, id_number=valid_id(n))
        submitted(world, id_number=valid_id(10 + n))

    assert (queries("/members"), queries("/applications"), queries("/members/transfers-out")) == one
