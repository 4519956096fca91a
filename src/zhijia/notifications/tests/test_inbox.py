"""The inbox over HTTP and as a page: one's own messages only, marking read, and the unread count in the header."""

from __future__ import annotations

from django.db import connection
from django.test.utils import CaptureQueriesContext
from django.urls import reverse

from zhijia.notifications.models import Notification
from zhijia.notifications.services import notify


def test_the_api_lists_only_my_messages_newest_first(world, api_as):
    worker = world.user("worker")
    notify(worker, kind="k", title="第一条")
    notify(worker, kind="k", title="第二条")
    notify(world.user("other_worker"), kind="k", title="别人的")

    body = api_as(worker).get("/notifications").json()

    assert [i["title"] for i in body["items"]] == ["第二条", "第一条"]
    assert body["count"] == 2


def test_marking_read_through_the_api(world, api_as):
    worker = world.user("worker")
    n = notify(worker, kind="k", title="读我")
    client = api_as(worker)

    response = client.post(f"/notifications/{n.pk}/read")

    assert response.status_code == 200
    assert response.json()["is_read"] is True
    assert client.get("/notifications/unread-count").json() == {"unread": 0}
    assert client.get("/notifications", unread="true").json()["count"] == 0


def test_someone_elses_message_is_not_found_and_stays_unread(world, api_as):
    n = notify(world.user("worker"), kind="k", title="私信")

    response = api_as(world.user("other_worker")).post(f"/notifications/{n.pk}/read")

    assert response.status_code == 404
    assert response.json()["code"] == "notification.not_found"
    n.refresh_from_db()
    assert n.read_at is None


def test_mark_all_read(world, api_as):
    worker = world.user("worker")
    for i in range(3):
        notify(worker, kind="k", title=f"第{i}条")
    other = notify(world.user("other_worker"), kind="k", title="别人的")

    response = api_as(worker).post("/notifications/read-all")

    assert response.json() == {"marked": 3}
    assert not Notification.objects.filter(user=worker, read_at__isnull=True).exists()
    other.refresh_from_db()
    assert other.read_at is None


def test_the_header_shows_the_unread_count_with_one_query(world, client_as):
    worker = world.user("worker")
    notify(worker, kind="k", title="一")
    notify(worker, kind="k", title="二")
    client = client_as(worker)
    client.get(reverse("home"))  # session and caches warmed

    with CaptureQueriesContext(connection) as queries:
        page = client.get(reverse("home")).content.decode()

    assert 'class="unread-badge"' in page
    assert ">2</span>" in page
    counts = [q["sql"] for q in queries if "notifications_notification" in q["sql"]]
    assert len(counts) == 1
    assert "COUNT" in counts[0].upper()


def test_an_anonymous_home_page_asks_nothing_of_the_inbox(db, client):
    with CaptureQueriesContext(connection) as queries:
        page = client.get(reverse("home")).content.decode()

    assert "unread-badge" not in page
    assert not [q for q in queries if "notifications_notification" in q["sql"]]


def test_the_inbox_page_opens_a_message_and_follows_its_link(world, client_as):
    worker = world.user("worker")
    n = notify(worker, kind="booking.confirmed", title="预约成功", link="/network/")
    client = client_as(worker)

    inbox = client.get(reverse("notifications:inbox")).content.decode()
    opened = client.post(reverse("notifications:mark_read", args=[n.pk]), {"open": "1"})

    assert "预约成功" in inbox
    assert opened.status_code == 302
    assert opened["Location"] == "/network/"
    n.refresh_from_db()
    assert n.is_read


def test_the_inbox_page_marks_everything_read(world, client_as):
    worker = world.user("worker")
    notify(worker, kind="k", title="一")
    client = client_as(worker)

    response = client.post(reverse("notifications:mark_all_read"), follow=True)

    assert "已将 1 条消息标为已读" in response.content.decode()
    assert 'class="unread-badge"' not in response.content.decode()
