"""Staff review applications through the API: the queue of their subtree, approve, reject, and the time to the card."""

from __future__ import annotations

from datetime import timedelta

from zhijia.members.models import Application, Membership
from zhijia.members.tests.membership_support import member, submitted, valid_id


def test_the_queue_lists_the_subtree_oldest_first_with_data_masked(world, api_as):
    # given two applications to union A, the first submitted earlier
    first = submitted(world)
    second = submitted(world, "other_worker", id_number=valid_id(2), name="李师傅")
    Application.objects.filter(pk=first.pk).update(submitted_at=first.submitted_at - timedelta(minutes=5))

    # when union A's reviewer and a sibling district's staff read the queue
    mine = api_as(world.user("union_a_staff")).get("/applications")
    sibling = api_as(world.user("district_y_staff")).get("/applications")

    # then the reviewer sees both, the older first, and the sibling district sees none
    assert [a["id"] for a in mine.json()["items"]] == [first.pk, second.pk]
    assert mine.json()["items"][0]["waiting_seconds"] >= 300
    assert mine.json()["items"][0]["id_number"].count("*") == 8
    assert valid_id(1) not in mine.content.decode()
    assert sibling.json() == {"items": [], "count": 0}


def test_the_queue_filters_by_name_and_status(world, api_as):
    submitted(world)
    api = api_as(world.user("district_x_staff"))

    assert api.get("/applications", search="王").json()["count"] == 1
    assert api.get("/applications", search="李").json()["count"] == 0
    assert api.get("/applications", status="approved").json()["count"] == 0


def test_another_district_gets_404_for_an_application(world, api_as):
    application = submitted(world)

    assert api_as(world.user("district_x_staff")).get(f"/applications/{application.pk}").status_code == 200
    assert api_as(world.user("district_y_staff")).get(f"/applications/{application.pk}").status_code == 404


def test_a_reviewer_approves_and_the_member_number_is_issued(world, api_as):
    application = submitted(world)

    response = api_as(world.user("union_a_staff")).post(f"/applications/{application.pk}/approve")

    assert response.status_code == 200, response.content
    assert response.json()["status"] == "approved"
    membership = Membership.objects.get()
    assert response.json()["member_no"] == membership.member_no
    assert membership.union == world.union_a


def test_approval_outside_the_subtree_or_without_the_role_changes_nothing(world, api_as):
    application = submitted(world)

    assert api_as(world.user("district_y_staff")).post(f"/applications/{application.pk}/approve").status_code == 404
    assert api_as(world.user("district_x_readonly")).post(f"/applications/{application.pk}/approve").status_code == 403
    assert api_as(world.user("worker")).post(f"/applications/{application.pk}/approve").status_code == 404

    application.refresh_from_db()
    assert application.status == Application.Status.SUBMITTED
    assert not Membership.objects.exists()


def test_an_application_is_decided_once(world, api_as):
    application = submitted(world)
    api = api_as(world.user("union_a_staff"))
    api.post(f"/applications/{application.pk}/approve")

    again = api.post(f"/applications/{application.pk}/reject", {"reason": "incomplete"})

    assert again.status_code == 409
    assert again.json()["code"] == "application.already_decided"


def test_a_reviewer_rejects_with_a_reason_from_the_list_and_a_note(world, api_as):
    application = submitted(world)
    api = api_as(world.user("union_a_staff"))

    no_note = api.post(f"/applications/{application.pk}/reject", {"reason": "other"})
    assert no_note.status_code == 400
    assert no_note.json()["detail"]["field"] == "note"

    response = api.post(f"/applications/{application.pk}/reject", {"reason": "info_mismatch", "note": "姓名与证件不符"})
    assert response.status_code == 200
    assert response.json()["status"] == "rejected"
    assert response.json()["reject_reason_label"] == "信息与证件不符"
    assert response.json()["reject_note"] == "姓名与证件不符"


def test_a_rejection_from_another_district_changes_nothing(world, api_as):
    application = submitted(world)

    response = api_as(world.user("district_y_staff")).post(
        f"/applications/{application.pk}/reject", {"reason": "incomplete"}
    )

    assert response.status_code == 404
    application.refresh_from_db()
    assert application.status == Application.Status.SUBMITTED


def test_the_time_to_the_card_per_union_over_the_subtree(world, api_as):
    # given one member approved at once and one approved after ten minutes
    member(world)
    slow = submitted(world, "other_worker", id_number=valid_id(2), name="李师傅")
    Application.objects.filter(pk=slow.pk).update(submitted_at=slow.submitted_at - timedelta(minutes=10))
    api_as(world.user("union_a_staff")).post(f"/applications/{slow.pk}/approve")

    # when district X asks, and district Y asks
    mine = api_as(world.user("district_x_staff")).get("/applications/time-to-card", days=30)
    sibling = api_as(world.user("district_y_staff")).get("/applications/time-to-card")

    # then district X sees union A with both, half of them under eight minutes
    assert mine.status_code == 200
    body = mine.json()
    assert body["target_seconds"] == 480
    assert body["overall"]["count"] == 2
    assert body["overall"]["under_target"] == 1
    assert body["overall"]["share_under_target"] == 0.5
    assert [u["union"]["name"] for u in body["unions"]] == ["X甲公司工会"]
    assert 290 < body["unions"][0]["median_seconds"] < 320
    assert sibling.json()["overall"]["count"] == 0
    assert api_as(world.user("worker")).get("/applications/time-to-card").status_code == 404
