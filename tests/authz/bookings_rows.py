"""The authorization matrix rows of venue booking, and the objects they point at: a home of street X open round the
clock with a badminton court; the worker's booking, waitlist offer and queue place there; the other worker (a member
of union A, whose card the rows scan) booked for the hour on now; a suspension by street X of a third worker; and a
fourth worker's no-show there yesterday.

A point's venues and slots are public; anyone signed in books (the court is open to all workers); only the owner of
a booking, offer or queue place acts on it (404 for everyone else). Staff reach the venues of their subtree: read-only
staff see and check in but may not set up (403); case handlers check in at the desk but see no bookings (403 on
console pages, 404 where the point itself is out of their reach); union A's staff sit below street X (404).
"""

from __future__ import annotations

import datetime as dt
from typing import Any

from tests.authz.matrix import AWAY, LOGIN, OWN, PUBLIC, Figure, Ref, Row, Seen, Text, api, page

POLICY = {
    "release_after_minutes": 10,
    "no_show_limit": 2,
    "no_show_window_days": 30,
    "suspension_days": 7,
    "offer_minutes": 15,
}
NEW_VENUE = {"point_id": Ref("x_sports_home"), "name": "乒乓球室", "kind": "room", "capacity": 4}
VENUE_PATCH = {"capacity": 1, "description": "请自带球拍"}
PAGE_VENUE = {
    "name": "乒乓球室",
    "kind": "room",
    "capacity": 4,
    "slot_minutes": 60,
    "book_ahead_days": 7,
    "cancel_cutoff_minutes": 120,
    "audience": "workers",
    "per_day_limit": 2,
    "per_week_limit": 5,
    "closed_dates": "",
    "is_active": "on",
}
CHECKIN = {"point_id": Ref("x_sports_home"), "token": Ref("x_card_token")}
PAGE_CHECKIN = {"token": Ref("x_card_token")}

# fmt: off
BOOKINGS_API_ROWS: list[Row] = [
    #   operation                                     on            anon wkr  oth  uA   dX   dY   city ro   case su
    api("GET /bookings/points/{point_id}/venues",     "x_sports_home",
                                                                   (200, 200, 200, 200, 200, 200, 200, 200, 200, 200)),
    api("GET /bookings/venues/{venue_id}/slots",      "x_court",   (200, 200, 200, 200, 200, 200, 200, 200, 200, 200)),
    api("POST /bookings",                             None,        (401, 201, 201, 201, 201, 201, 201, 201, 201, 201),
        {"venue_id": Ref("x_court"), "starts_at": Ref("tomorrow_10"), "idempotency_key": "m-1"}),
    api("GET /bookings/mine",                         None,        (401, 200, 200, 200, 200, 200, 200, 200, 200, 200)),
    api("POST /bookings/{booking_id}/cancel",         "x_booking", (401, 200, 404, 404, 404, 404, 404, 404, 404, 404)),
    api("POST /bookings/{booking_id}/accept",         "x_offer",   (401, 200, 404, 404, 404, 404, 404, 404, 404, 404)),
    # The other worker holds the full slot already (409); everyone else queues for it.
    api("POST /bookings/waitlist",                    None,        (401, 201, 409, 201, 201, 201, 201, 201, 201, 201),
        {"venue_id": Ref("x_court"), "starts_at": Ref("tomorrow_8")}),
    api("POST /bookings/waitlist/{entry_id}/leave",   "x_wait",    (401, 200, 404, 404, 404, 404, 404, 404, 404, 404)),
    api("GET /bookings/manage/venues",                None,        (401, 200, 200, 200, 200, 200, 200, 200, 200, 200)),
    api("POST /bookings/manage/venues",               None,        (401, 404, 404, 404, 201, 404, 201, 403, 404, 201),
        NEW_VENUE),
    api("GET /bookings/manage/venues/{venue_id}",     "x_court",   (401, 404, 404, 404, 200, 404, 200, 200, 404, 200)),
    api("PATCH /bookings/manage/venues/{venue_id}",   "x_court",   (401, 404, 404, 404, 200, 404, 200, 403, 404, 200),
        VENUE_PATCH),
    api("GET /bookings/manage/venues/{venue_id}/bookings", "x_court",
                                                                   (401, 404, 404, 404, 200, 404, 200, 200, 404, 200)),
    api("POST /bookings/manage/checkin",              None,        (401, 404, 404, 404, 200, 404, 200, 200, 200, 200),
        CHECKIN),
    api("GET /bookings/manage/no-shows",              None,        (401, 200, 200, 200, 200, 200, 200, 200, 200, 200)),
    api("GET /bookings/manage/suspensions",           None,        (401, 200, 200, 200, 200, 200, 200, 200, 200, 200)),
    api("POST /bookings/manage/suspensions/{suspension_id}/lift", "x_suspension",
                                                                   (401, 404, 404, 404, 200, 404, 200, 403, 404, 200)),
    api("GET /bookings/manage/report",                None,        (401, 404, 404, 200, 200, 200, 200, 200, 403, 200)),
    api("PUT /bookings/manage/policies/{org_id}",     "street_x",  (401, 404, 404, 404, 200, 404, 200, 403, 404, 200),
        POLICY),
]

BOOKINGS_PAGE_ROWS: list[Row] = [
    #    page                             on              anon   wkr  oth   uA   dX   dY   city ro   case su
    page("GET bookings:point_venues",     "x_sports_home",      (  200, 200, 200,  200, 200, 200, 200, 200, 200, 200)),
    page("GET bookings:venue",            "x_court",     (  200, 200, 200,  200, 200, 200, 200, 200, 200, 200)),
    page("GET bookings:book",             "x_court",     (  405, 405, 405,  405, 405, 405, 405, 405, 405, 405)),
    page("POST bookings:book",            "x_court",     (LOGIN, 302, 302,  302, 302, 302, 302, 302, 302, 302),
         {"starts_at": Ref("tomorrow_10"), "idempotency_key": "p-1"}),
    page("GET bookings:waitlist_join",    "x_court",     (  405, 405, 405,  405, 405, 405, 405, 405, 405, 405)),
    page("POST bookings:waitlist_join",   "x_court",     (LOGIN, 302, AWAY, 302, 302, 302, 302, 302, 302, 302),
         {"starts_at": Ref("tomorrow_8")}),
    page("GET bookings:mine",             None,          (LOGIN, 200, 200,  200, 200, 200, 200, 200, 200, 200)),
    page("GET bookings:cancel",           "x_booking",   (  405, 405, 405,  405, 405, 405, 405, 405, 405, 405)),
    page("POST bookings:cancel",          "x_booking",   (LOGIN, 302, 404,  404, 404, 404, 404, 404, 404, 404)),
    page("GET bookings:accept",           "x_offer",     (  405, 405, 405,  405, 405, 405, 405, 405, 405, 405)),
    page("POST bookings:accept",          "x_offer",     (LOGIN, 302, 404,  404, 404, 404, 404, 404, 404, 404)),
    page("GET bookings:waitlist_leave",   "x_wait",      (  405, 405, 405,  405, 405, 405, 405, 405, 405, 405)),
    page("POST bookings:waitlist_leave",  "x_wait",      (LOGIN, 302, 404,  404, 404, 404, 404, 404, 404, 404)),
    page("GET bookings:console_venues",   None,          (LOGIN, 404, 404,  200, 200, 200, 200, 200, 403, 200)),
    page("GET bookings:venue_create",     "x_sports_home",      (LOGIN, 404, 404,  404, 200, 404, 200, 403, 403, 200)),
    page("POST bookings:venue_create",    "x_sports_home",      (LOGIN, 404, 404,  404, 302, 404, 302, 403, 403, 302),
         PAGE_VENUE),
    page("GET bookings:scanner",          "x_sports_home",      (LOGIN, 404, 404,  404, 200, 404, 200, 200, 200, 200)),
    page("POST bookings:scanner",         "x_sports_home",      (LOGIN, 404, 404,  404, 200, 404, 200, 200, 200, 200),
         PAGE_CHECKIN),
    page("GET bookings:venue_day",        "x_court",     (LOGIN, 404, 404,  404, 200, 404, 200, 200, 403, 200)),
    page("GET bookings:venue_edit",       "x_court",     (LOGIN, 404, 404,  404, 200, 404, 200, 403, 403, 200)),
    page("POST bookings:venue_edit",      "x_court",     (LOGIN, 404, 404,  404, 302, 404, 302, 403, 403, 302),
         {**PAGE_VENUE, "name": "羽毛球场（改）", "kind": "court", "capacity": 1}),
    page("GET bookings:no_shows",         None,          (LOGIN, 404, 404,  200, 200, 200, 200, 200, 403, 200)),
    page("GET bookings:suspension_lift",  "x_suspension", ( 405, 405, 405,  405, 405, 405, 405, 405, 405, 405)),
    page("POST bookings:suspension_lift", "x_suspension", (LOGIN, 404, 404, 404, 302, 404, 302, 403, 403, 302)),
    page("GET bookings:report",           None,          (LOGIN, 404, 404,  200, 200, 200, 200, 200, 403, 200)),
    page("GET bookings:policy",           "street_x",    (LOGIN, 404, 404,  404, 200, 404, 200, 403, 403, 200)),
    page("POST bookings:policy",          "street_x",    (LOGIN, 404, 404,  404, 302, 404, 302, 403, 403, 302),
         POLICY),
]

Y, N, NA = True, False, None
BOOKINGS_SEEN_ROWS: list[Seen] = [
    #    list                                 finds            anon wkr oth uA  dX  dY  city ro  case su
    Seen("GET /bookings/manage/venues",       "x_court",       (NA,  N,  N,  N,  Y,  N,  Y,   Y,  N,   Y)),
    Seen("GET /bookings/manage/no-shows",     "x_no_show",     (NA,  N,  N,  N,  Y,  N,  Y,   Y,  N,   Y)),
    Seen("GET /bookings/manage/suspensions",  "x_suspension",  (NA,  N,  N,  N,  Y,  N,  Y,   Y,  N,   Y)),
    Seen("GET /bookings/manage/report",       "x_no_show",     (NA,  NA, NA, N,  Y,  N,  Y,   Y,  NA,  Y),
         shows=Figure("*.no_shows")),
    Seen("GET bookings:console_venues",       "x_court",       (NA,  NA, NA, N,  Y,  N,  Y,   Y,  NA,  Y),
         shows=Text("name")),
    Seen("GET bookings:no_shows",             "x_no_show",     (NA,  NA, NA, N,  Y,  N,  Y,   Y,  NA,  Y),
         shows=Text("venue.name")),
    Seen("GET bookings:no_shows",             "x_suspension",  (NA,  NA, NA, N,  Y,  N,  Y,   Y,  NA,  Y),
         shows=Text("org.name")),
    # The court's bookings in the last days: the hour on now and yesterday's no-show.
    Seen("GET bookings:report",               "x_court",       (NA,  NA, NA, N,  Y,  N,  Y,   Y,  NA,  Y),
         shows=Figure("#report-total")),
]
# fmt: on

BOOKINGS_NOT_SCOPED: dict[str, str] = {
    "GET /bookings/points/{point_id}/venues": PUBLIC,
    "GET /bookings/venues/{venue_id}/slots": PUBLIC,
    "GET /bookings/mine": OWN,
    "GET bookings:point_venues": PUBLIC,
    "GET bookings:venue": PUBLIC,
    "GET bookings:mine": OWN,
}


def bookings_targets(world: Any, targets: dict[str, Any]) -> None:
    from django.utils import timezone

    from zhijia.bookings import services
    from zhijia.bookings.models import Booking, Slot, Suspension
    from zhijia.network import services as network
    from zhijia.network.models import PointKind
    from zhijia.testing.world import make_user

    superuser = world.user("superuser")
    worker, other = world.user("worker"), world.user("other_worker")
    home = network.point_create(
        actor=superuser,
        owner_id=world.street_x.pk,
        name="X街道共享职工之家",
        kind=PointKind.SHARED_HOME,
        lng=116.40,
        lat=39.90,
    )
    network.point_hours_set(actor=superuser, point_id=home.pk, weekly={d: ((0, 1440),) for d in range(7)})
    court = services.venue_create(
        actor=superuser,
        point_id=home.pk,
        name="羽毛球场1号",
        kind="court",
        capacity=1,
        per_day_limit=5,
        per_week_limit=20,
    )
    targets["x_sports_home"], targets["x_court"] = home, court
    tz = timezone.get_current_timezone()
    tomorrow = timezone.localdate() + dt.timedelta(days=1)
    later = tomorrow + dt.timedelta(days=1)

    def hour(day: dt.date, h: int) -> dt.datetime:
        return dt.datetime.combine(day, dt.time(h), tzinfo=tz)

    targets["x_booking"] = services.booking_create(actor=worker, venue_id=court.pk, starts_at=hour(tomorrow, 19))
    # The worker's offer: queued behind the other worker, who then cancels.
    held = services.booking_create(actor=other, venue_id=court.pk, starts_at=hour(later, 20))
    services.waitlist_join(actor=worker, venue_id=court.pk, starts_at=hour(later, 20))
    services.booking_cancel(actor=other, booking_id=held.pk)
    targets["x_offer"] = Booking.objects.get(user=worker, starts_at=hour(later, 20), status="offered")
    # The worker's queue place behind the other worker; and the full slot everyone else may queue for.
    services.booking_create(actor=other, venue_id=court.pk, starts_at=hour(later, 21))
    targets["x_wait"] = services.waitlist_join(actor=worker, venue_id=court.pk, starts_at=hour(later, 21))
    services.booking_create(actor=other, venue_id=court.pk, starts_at=hour(tomorrow, 8))
    targets["tomorrow_8"] = hour(tomorrow, 8).isoformat()
    targets["tomorrow_10"] = hour(tomorrow, 10).isoformat()
    # The other worker (a member of union A, card in x_card_token) has the court for the hour that is on now.
    start = timezone.localtime().replace(minute=0, second=0, microsecond=0)
    slot = Slot.objects.create(venue=court, starts_at=start, ends_at=start + dt.timedelta(hours=1))
    Booking.objects.create(slot=slot, venue=court, user=other, starts_at=start, ends_at=slot.ends_at, exclusive=True)
    now = timezone.now()
    targets["x_suspension"] = Suspension.objects.create(
        user=make_user("no_show_worker", display_name="赵师傅"),
        org=world.street_x,
        starts_at=now,
        ends_at=now + dt.timedelta(days=7),
        no_shows=3,
    )
    # A fourth worker booked the court yesterday and never came: released as a no-show (one, below the limit).
    yesterday = hour(timezone.localdate() - dt.timedelta(days=1), 10)
    missed = Slot.objects.create(venue=court, starts_at=yesterday, ends_at=yesterday + dt.timedelta(hours=1))
    booking = Booking.objects.create(
        slot=missed,
        venue=court,
        user=make_user("missed_worker", display_name="孙师傅"),
        starts_at=yesterday,
        ends_at=missed.ends_at,
        exclusive=True,
    )
    assert services.booking_release(booking_id=booking.pk)
    targets["x_no_show"] = Booking.objects.get(pk=booking.pk, no_show=True)
