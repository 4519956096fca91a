"""The authorization matrix rows of activities and interest groups, and the objects they point at, all organised by
street X: an activity open to all workers that starts within the hour (the door is open) with the other worker (a
member of union A, with a card) registered; a full activity where the worker holds a waitlist offer; an activity
under way where the worker was checked in (and may give feedback); an interest group the other worker belongs to.

Members' operations answer only for the person's own registration (404 for anyone else's); staff reach activities
organised in their subtree (union A's staff sit below street X: 404); read-only staff see and check in but may not
organise (403); case handlers check in at the door but see no lists (403 on the console pages).
"""

from __future__ import annotations

import datetime as dt
from typing import Any

from tests.authz.matrix import AWAY, FORM, LOGIN, OWN, PUBLIC, Figure, Ref, Row, Seen, Text, api, page

NEW_ACTIVITY = {
    "organiser_id": Ref("street_x"),
    "title": "X街道职工读书日",
    "kind": "reading_day",
    "audience": "all_workers",
    "address": "X街道职工书屋",
    "starts_at": "2030-05-01T09:00:00+08:00",
    "ends_at": "2030-05-01T11:00:00+08:00",
    "capacity": 30,
}
ACTIVITY_PATCH = {"title": "X街道职工技能培训（改）", "capacity": 12}
CANCEL = {"reason": "场地维修"}
CHECKIN = {"token": Ref("x_card_token")}
FEEDBACK = {"stars": 5, "comment": "很有收获"}
NEW_GROUP = {"owner_id": Ref("street_x"), "name": "X街道摄影小组", "audience": "all_workers"}
PAGE_ACTIVITY = {
    "title": "X街道职工读书日",
    "kind": "reading_day",
    "organiser": Ref("street_x"),
    "audience": "all_workers",
    "address": "X街道职工书屋",
    "starts_at": "2030-05-01T09:00",
    "ends_at": "2030-05-01T11:00",
    "capacity": "30",
    "waitlist_size": "10",
}
PAGE_EDIT = {**PAGE_ACTIVITY, "title": "X街道职工技能培训（改）", "capacity": "12"}
PAGE_GROUP = {"name": "X街道摄影小组", "owner": Ref("street_x"), "audience": "all_workers"}
PAGE_FEEDBACK = {"stars": "5", "comment": "很有收获"}

# fmt: off
ACTIVITIES_API_ROWS: list[Row] = [
    # answers, in order: anon, worker, other worker, union A, district X, district Y, city, read-only, case, superuser
    api("GET /activities", None, (200, 200, 200, 200, 200, 200, 200, 200, 200, 200)),
    api("GET /activities/mine", None, (401, 200, 200, 200, 200, 200, 200, 200, 200, 200)),
    api("GET /activities/{activity_id}", "x_activity", (200, 200, 200, 200, 200, 200, 200, 200, 200, 200)),
    # Open to all workers: anyone signed in registers; the other worker already has a place.
    api("POST /activities/{activity_id}/register", "x_activity", (401, 201, 409, 201, 201, 201, 201, 201, 201, 201)),
    api("POST /activities/registrations/{registration_id}/cancel", "x_registration",
        (401, 404, 200, 404, 404, 404, 404, 404, 404, 404)),
    api("POST /activities/registrations/{registration_id}/accept", "x_registration_offer",
        (401, 200, 404, 404, 404, 404, 404, 404, 404, 404)),
    api("POST /activities/registrations/{registration_id}/feedback", "x_attended",
        (401, 201, 404, 404, 404, 404, 404, 404, 404, 404), FEEDBACK),
    api("GET /activities/manage", None, (401, 200, 200, 200, 200, 200, 200, 200, 200, 200)),
    api("POST /activities", None, (401, 404, 404, 404, 201, 404, 201, 403, 404, 201), NEW_ACTIVITY),
    api("PATCH /activities/{activity_id}", "x_activity",
        (401, 404, 404, 404, 200, 404, 200, 403, 404, 200), ACTIVITY_PATCH),
    api("POST /activities/{activity_id}/cancel", "x_activity",
        (401, 404, 404, 404, 200, 404, 200, 403, 404, 200), CANCEL),
    api("GET /activities/{activity_id}/registrations", "x_activity",
        (401, 404, 404, 404, 200, 404, 200, 200, 404, 200)),
    # Whoever staffs the door checks in (read-only staff and case handlers too), within the organiser's subtree.
    api("POST /activities/{activity_id}/checkin", "x_activity",
        (401, 404, 404, 404, 200, 404, 200, 200, 200, 200), CHECKIN),
    api("POST /activities/registrations/{registration_id}/checkin", "x_registration",
        (401, 404, 404, 404, 200, 404, 200, 200, 200, 200)),
    api("GET /activities/{activity_id}/feedback", "x_activity", (401, 404, 404, 404, 200, 404, 200, 200, 404, 200)),
    api("GET /activities/report", None, (401, 404, 404, 200, 200, 200, 200, 200, 403, 200)),
    api("GET /activities/groups", None, (200, 200, 200, 200, 200, 200, 200, 200, 200, 200)),
    api("GET /activities/groups/{group_id}", "x_group", (200, 200, 200, 200, 200, 200, 200, 200, 200, 200)),
    api("POST /activities/groups", None, (401, 404, 404, 404, 201, 404, 201, 403, 404, 201), NEW_GROUP),
    # The other worker is already in the group; everyone else signed in may join.
    api("POST /activities/groups/{group_id}/join", "x_group", (401, 200, 409, 200, 200, 200, 200, 200, 200, 200)),
    api("POST /activities/groups/{group_id}/leave", "x_group", (401, 409, 200, 409, 409, 409, 409, 409, 409, 409)),
]

ACTIVITIES_PAGE_ROWS: list[Row] = [
    # answers in the order of ACTORS (see matrix.py)
    page("GET activities:browse", None, (200, 200, 200, 200, 200, 200, 200, 200, 200, 200)),
    page("GET activities:mine", None, (LOGIN, 200, 200, 200, 200, 200, 200, 200, 200, 200)),
    page("GET activities:detail", "x_activity", (200, 200, 200, 200, 200, 200, 200, 200, 200, 200)),
    page("POST activities:register", "x_activity", (LOGIN, 302, AWAY, 302, 302, 302, 302, 302, 302, 302)),
    page("POST activities:cancel", "x_registration", (LOGIN, 404, 302, 404, 404, 404, 404, 404, 404, 404)),
    page("POST activities:accept", "x_registration_offer", (LOGIN, 302, 404, 404, 404, 404, 404, 404, 404, 404)),
    page("POST activities:feedback", "x_attended", (LOGIN, 302, 404, 404, 404, 404, 404, 404, 404, 404), PAGE_FEEDBACK),
    page("GET activities:groups", None, (200, 200, 200, 200, 200, 200, 200, 200, 200, 200)),
    page("GET activities:group", "x_group", (200, 200, 200, 200, 200, 200, 200, 200, 200, 200)),
    page("POST activities:group_join", "x_group", (LOGIN, 302, AWAY, 302, 302, 302, 302, 302, 302, 302)),
    page("POST activities:group_leave", "x_group", (LOGIN, AWAY, 302, AWAY, AWAY, AWAY, AWAY, AWAY, AWAY, AWAY)),
    page("GET activities:console", None, (LOGIN, 404, 404, 200, 200, 200, 200, 200, 403, 200)),
    page("GET activities:create", None, (LOGIN, 404, 404, 200, 200, 200, 200, 403, 403, 200)),
    # Union A's and district Y's staff cannot pick street X as the organiser: the form says so and nothing is made.
    page("POST activities:create", None, (LOGIN, 404, 404, FORM, 302, FORM, 302, 403, 403, 302), PAGE_ACTIVITY),
    page("GET activities:report", None, (LOGIN, 404, 404, 200, 200, 200, 200, 200, 403, 200)),
    page("GET activities:registrations", "x_activity", (LOGIN, 404, 404, 404, 200, 404, 200, 200, 403, 200)),
    page("GET activities:edit", "x_activity", (LOGIN, 404, 404, 404, 200, 404, 200, 403, 403, 200)),
    page("POST activities:edit", "x_activity", (LOGIN, 404, 404, 404, 302, 404, 302, 403, 403, 302), PAGE_EDIT),
    page("POST activities:cancel_activity", "x_activity", (LOGIN, 404, 404, 404, 302, 404, 302, 403, 403, 302), CANCEL),
    page("GET activities:checkin", "x_activity", (LOGIN, 404, 404, 404, 200, 404, 200, 200, 200, 200)),
    page("POST activities:checkin", "x_activity", (LOGIN, 404, 404, 404, 200, 404, 200, 200, 200, 200), CHECKIN),
    page("POST activities:checkin_by_hand", "x_registration", (LOGIN, 404, 404, 404, 302, 404, 302, 302, 302, 302)),
    page("GET activities:feedback_summary", "x_activity", (LOGIN, 404, 404, 404, 200, 404, 200, 200, 403, 200)),
    page("GET activities:console_groups", None, (LOGIN, 404, 404, 200, 200, 200, 200, 200, 403, 200)),
    page("GET activities:group_create", None, (LOGIN, 404, 404, 200, 200, 200, 200, 403, 403, 200)),
    page("POST activities:group_create", None, (LOGIN, 404, 404, FORM, 302, FORM, 302, 403, 403, 302), PAGE_GROUP),
    page("GET activities:console_group", "x_group", (LOGIN, 404, 404, 404, 200, 404, 200, 200, 403, 200)),
]

Y, N, NA = True, False, None
ACTIVITIES_SEEN_ROWS: list[Seen] = [
    #    list                                    finds           anon wkr oth uA  dX  dY  city ro  case su
    Seen("GET /activities/manage",               "x_activity",   (NA,  N,  N,  N,  Y,  N,  Y,   Y,  N,   Y)),
    Seen("GET /activities/report",               "x_activity",   (NA,  NA, NA, N,  Y,  N,  Y,   Y,  NA,  Y),
         shows=Figure("*.activities")),
    Seen("GET activities:console",               "x_activity",   (NA,  NA, NA, N,  Y,  N,  Y,   Y,  NA,  Y),
         shows=Text("title")),
    Seen("GET activities:report",                "x_activity",   (NA,  NA, NA, N,  Y,  N,  Y,   Y,  NA,  Y),
         shows=Figure("#total-activities")),
    # The forms offer the organisers of the actor's subtree.
    Seen("GET activities:create",                "street_x",     (NA,  NA, NA, N,  Y,  N,  Y,   NA, NA,  Y)),
    Seen("GET activities:group_create",          "street_x",     (NA,  NA, NA, N,  Y,  N,  Y,   NA, NA,  Y)),
    Seen("GET activities:console_groups",        "x_group",      (NA,  NA, NA, N,  Y,  N,  Y,   Y,  NA,  Y),
         shows=Text("name")),
]
# fmt: on

ACTIVITIES_NOT_SCOPED: dict[str, str] = {
    "GET /activities": PUBLIC,
    "GET /activities/mine": OWN,
    "GET /activities/{activity_id}": PUBLIC,
    "GET /activities/groups": PUBLIC,
    "GET /activities/groups/{group_id}": PUBLIC,
    "GET activities:browse": PUBLIC,
    "GET activities:mine": OWN,
    "GET activities:detail": PUBLIC,
    "GET activities:groups": PUBLIC,
    "GET activities:group": PUBLIC,
}


def activities_targets(world: Any, targets: dict[str, Any]) -> None:
    from django.utils import timezone

    from zhijia.accounts.models import User
    from zhijia.activities import services
    from zhijia.activities.models import ActivityKind, Audience, Registration
    from zhijia.testing.world import make_user

    superuser = world.user("superuser")
    now = timezone.now()

    def activity(title: str, starts: dt.datetime, capacity: int) -> Any:
        return services.activity_create(
            actor=superuser,
            organiser_id=world.street_x.pk,
            fields=services.ActivityFields(
                title=title,
                kind=ActivityKind.TRAINING,
                starts_at=starts,
                ends_at=starts + dt.timedelta(hours=3),
                capacity=capacity,
                audience=Audience.ALL_WORKERS,
                address="X街道职工之家",
                registration_opens_at=now - dt.timedelta(days=7),
                registration_closes_at=starts + dt.timedelta(hours=1),
            ),
        )

    other: User = world.user("other_worker")
    worker: User = world.user("worker")
    # Starts within the hour: registration open, the door open for check-in.
    targets["x_activity"] = activity("X街道职工技能培训", now + dt.timedelta(hours=1), 10)
    targets["x_registration"] = services.registration_create(actor=other, activity_id=targets["x_activity"].pk)
    # Full: a holder cancels and the worker, first in line, holds the offer.
    full = activity("X街道观影活动", now + dt.timedelta(days=2), 1)
    holder = make_user("x_holder", display_name="赵师傅", phone="13700000091")
    held = services.registration_create(actor=holder, activity_id=full.pk)
    targets["x_registration_offer"] = services.registration_create(actor=worker, activity_id=full.pk)
    services.registration_cancel(actor=holder, registration_id=held.pk)
    # Under way: the worker registered beforehand and was checked in at the door.
    past = activity("X街道职工交流会", now + dt.timedelta(days=1), 5)
    attended = services.registration_create(actor=worker, activity_id=past.pk)
    begun = now - dt.timedelta(hours=1)
    type(past).objects.filter(pk=past.pk).update(
        starts_at=begun, ends_at=begun + dt.timedelta(hours=3), registration_closes_at=begun
    )
    Registration.objects.filter(pk=attended.pk).update(checked_in_at=begun, checked_in_by=superuser)
    targets["x_attended"] = attended
    targets["x_group"] = services.group_create(
        actor=superuser, owner_id=world.street_x.pk, name="X街道羽毛球小组", audience=Audience.ALL_WORKERS
    )
    services.group_join(actor=other, group_id=targets["x_group"].pk)
