"""入会审核 in the console: the queue, one-click approval, rejection with a reason, and the time to the card."""

from __future__ import annotations

import json
from datetime import timedelta

from django.urls import reverse

from zhijia.members.models import Application, Membership
from zhijia.members.tests.membership_support import member, submitted, valid_id


def test_the_queue_shows_the_subtree_oldest_first_with_the_waiting_time(world, client_as):
    first = submitted(world)
    second = submitted(world, "other_worker", id_number=valid_id(2), name="李师傅")
    Application.objects.filter(pk=first.pk).update(submitted_at=first.submitted_at - timedelta(minutes=12))

    page = client_as(world.user("union_a_staff")).get(reverse("members:queue")).content.decode()

    assert page.index(f'id="application-{first.pk}"') < page.index(f'id="application-{second.pk}"')
    assert "12 分" in page
    assert "overdue" in page
    assert valid_id(1) not in page
    assert "王师傅" not in client_as(world.user("district_y_staff")).get(reverse("members:queue")).content.decode()


def test_approving_from_the_queue_issues_the_card_and_goes_back(world, client_as):
    application = submitted(world)
    queue = reverse("members:queue")

    response = client_as(world.user("union_a_staff")).post(
        reverse("members:application_approve", args=[application.pk]), {"next": queue}
    )

    assert response.status_code == 302
    assert response["Location"] == queue
    assert Membership.objects.get().union == world.union_a


def test_approving_twice_says_it_was_decided(world, client_as):
    application = submitted(world)
    client = client_as(world.user("union_a_staff"))
    url = reverse("members:application_approve", args=[application.pk])
    client.post(url)

    response = client.post(url, follow=True)

    assert "该申请已处理" in response.content.decode()
    assert Membership.objects.count() == 1


def test_another_district_cannot_open_approve_or_reject(world, client_as):
    application = submitted(world)
    client = client_as(world.user("district_y_staff"))

    assert client.get(reverse("members:application_detail", args=[application.pk])).status_code == 404
    assert client.post(reverse("members:application_approve", args=[application.pk])).status_code == 404
    assert (
        client.post(reverse("members:application_reject", args=[application.pk]), {"reason": "other", "note": "x"})
    ).status_code == 404
    application.refresh_from_db()
    assert application.status == Application.Status.SUBMITTED
    assert not Membership.objects.exists()


def test_rejecting_needs_a_note_for_other_then_records_the_reason(world, client_as):
    application = submitted(world)
    client = client_as(world.user("union_a_staff"))
    url = reverse("members:application_reject", args=[application.pk])

    refused = client.post(url, {"reason": "other", "note": ""})
    assert refused.status_code == 200
    assert "请填写说明" in refused.content.decode()

    done = client.post(url, {"reason": "wrong_union", "note": "请向Y乙公司工会申请"})
    assert done.status_code == 302
    application.refresh_from_db()
    assert application.status == Application.Status.REJECTED
    assert application.reject_reason == "wrong_union"


def test_the_application_page_shows_the_route_and_masked_data(world, client_as):
    application = submitted(world)

    page = (
        client_as(world.user("district_x_staff"))
        .get(reverse("members:application_detail", args=[application.pk]))
        .content.decode()
    )

    assert application.route_reason in page
    assert "110105********" + valid_id(1)[-4:] in page
    assert "138****0001" in page
    assert valid_id(1) not in page


def test_the_time_to_card_page_has_a_chart_and_a_table(world, client_as):
    member(world)

    response = client_as(world.user("district_x_staff")).get(reverse("members:time_to_card"), {"days": "7"})

    page = response.content.decode()
    assert response.status_code == 200
    assert 'data-chart="timing"' in page
    chart = json.loads(page.split('<script id="timing-data" type="application/json">')[1].split("</script>")[0])
    assert chart["categories"] == ["X甲公司工会"]
    assert chart["share"] == [100.0]
    assert chart["target"] == 8.0
    assert 'id="timing-table"' in page
    assert client_as(world.user("worker")).get(reverse("members:time_to_card")).status_code == 404


def test_a_period_that_is_no_number_shows_the_last_30_days(world, client_as):
    response = client_as(world.user("district_x_staff")).get(reverse("members:time_to_card"), {"days": "²"})

    assert response.status_code == 200
    assert '<option value="30" selected>' in response.content.decode()
