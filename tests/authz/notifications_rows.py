"""The authorization matrix rows of the inbox. Every account reads and marks only its own messages: the worker's
message is a 404 to everyone else, the superuser included; each actor has one unread message of its own, so marking
everything read changes something for each of them."""

from __future__ import annotations

from typing import Any

from tests.authz.matrix import LOGIN, OWN, Row, Seen, api, page

# fmt: off
NOTIFICATIONS_API_ROWS: list[Row] = [
    #   operation                                on                anon wkr  oth  uA   dX   dY   city ro   case su
    api("GET /notifications",                    None,            (401, 200, 200, 200, 200, 200, 200, 200, 200, 200)),
    api("GET /notifications",                    None,            (401, 200, 200, 200, 200, 200, 200, 200, 200, 200),
        {"unread": True}),
    api("GET /notifications/unread-count",       None,            (401, 200, 200, 200, 200, 200, 200, 200, 200, 200)),
    api("POST /notifications/read-all",          None,            (401, 200, 200, 200, 200, 200, 200, 200, 200, 200)),
    api("POST /notifications/{notification_id}/read", "worker_message",
                                                                  (401, 200, 404, 404, 404, 404, 404, 404, 404, 404)),
]

NOTIFICATIONS_PAGE_ROWS: list[Row] = [
    #    page                                  on                 anon   wkr  oth  uA   dX   dY   city ro   case su
    page("GET notifications:inbox",            None,             (LOGIN, 200, 200, 200, 200, 200, 200, 200, 200, 200)),
    page("GET notifications:mark_read",        "worker_message", (  405, 405, 405, 405, 405, 405, 405, 405, 405, 405)),
    page("POST notifications:mark_read",       "worker_message", (LOGIN, 302, 404, 404, 404, 404, 404, 404, 404, 404)),
    page("GET notifications:mark_all_read",    None,             (  405, 405, 405, 405, 405, 405, 405, 405, 405, 405)),
    page("POST notifications:mark_all_read",   None,             (LOGIN, 302, 302, 302, 302, 302, 302, 302, 302, 302)),
]

Y, N, NA = True, False, None
NOTIFICATIONS_SEEN_ROWS: list[Seen] = [
    Seen("GET /notifications",                 "worker_message", (NA,  Y,  N,  N,  N,  N,  N,   N,  N,   N)),
]
# fmt: on

NOTIFICATIONS_NOT_SCOPED: dict[str, str] = {
    "GET /notifications/unread-count": OWN,
    "GET notifications:inbox": OWN,
}


def notifications_targets(world: Any, targets: dict[str, Any]) -> None:
    from zhijia.notifications.services import notify

    for name, user in world.actors.items():
        if user is not None:
            notify(user, kind="test.hello", title=f"{name} 的消息")
    targets["worker_message"] = notify(world.user("worker"), kind="booking.confirmed", title="预约成功", link="/")
