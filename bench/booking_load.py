"""Booking under load: POST /api/v1/bookings from 50 concurrent clients against the platform served by gunicorn with
the production settings (bench.load's servers and CPU accounting, reused as they are), each client a demo worker
booking a new place every time. The baseline is the bare JSON view asked by the same 50 clients in the same run.

Two kinds of run, as in bench.load: saturation (every client sends its next request as soon as the last is
answered: throughput) and paced (each client one request a second: the latency a member waits for; p95 must stay
under 50 ms). Every booking is a real one: it locks the person and the slot, writes the booking, the audit row, the
inbox message and the deferred release task.
"""

from __future__ import annotations

import datetime as dt
import json
import os
import random
import statistics
import uuid
from collections.abc import Callable, Iterator
from pathlib import Path

from . import paced
from .load import (
    HEADERS,
    Server,
    collect_static,
    cpu_delta,
    cpu_snapshot,
    run_locust,
    run_paced,
    serve,
    wait_ready,
    warm_up,
)
from .results import Check, Figure, Run

GROUP = "Booking under load (gunicorn, production settings, 50 concurrent clients)"
LOCUSTFILE = Path(__file__).resolve().parent / "booking_locustfile.py"
CLIENTS = 50
P95_CEILING_MS = 50.0
VENUES = 24
AHEAD_DAYS = 6


def client_places(places: list[str], client: int, offset: int) -> Iterator[tuple[str, str]]:
    """Client `client`'s own order of the "venue_id@starts_at" places, from `offset` on: each run takes its own
    stretch, so no client books a place twice."""
    mine = list(places)
    random.Random(client).shuffle(mine)
    for place in mine[offset:] + mine[:offset]:
        venue_id, starts_at = place.split("@", 1)
        yield venue_id, starts_at


def _paced_requests(
    mode: str, tokens: list[str], places: list[str], offset: int
) -> Callable[[int], Iterator[paced.Request]]:
    def requests_for(client: int) -> Iterator[paced.Request]:
        headers = {**HEADERS, "Authorization": f"Bearer {tokens[client % len(tokens)]}"}
        if mode == "bare":
            while True:
                yield paced.Request("GET", "/bare", headers)
        for venue_id, starts_at in client_places(places, client, offset):
            body = json.dumps({"venue_id": int(venue_id), "starts_at": starts_at}).encode()
            yield paced.Request(
                "POST",
                "/api/v1/bookings",
                {**headers, "Content-Type": "application/json", "Idempotency-Key": uuid.uuid4().hex},
                body,
                expect=201,
            )

    return requests_for


def _setup() -> tuple[list[str], list[str]]:
    """A bench home open round the clock with gym-like venues (half-hour slots, room for everyone) and one demo
    worker with an API token per client. Returns the tokens and every (venue, slot) place as "id@iso"."""
    from django.db import connections
    from django.utils import timezone

    from zhijia.accounts.models import User
    from zhijia.accounts.services import api_token_issue
    from zhijia.bookings import selectors as booking_selectors
    from zhijia.bookings import services as bookings
    from zhijia.network import services as network
    from zhijia.network.models import PointKind
    from zhijia.organizations.models import Organization

    admin = User.objects.get(username="bj-city")
    owner = Organization.objects.get(code="FED-11")
    home = network.point_create(
        actor=admin, owner_id=owner.pk, name="压测职工之家", kind=PointKind.SHARED_HOME, lng=116.40, lat=39.91
    )
    network.point_hours_set(actor=admin, point_id=home.pk, weekly={d: ((0, 1440),) for d in range(8)})
    venues = [
        bookings.venue_create(
            actor=admin,
            point_id=home.pk,
            name=f"压测健身房{i:02d}",
            kind="room",
            capacity=500,
            slot_minutes=30,
            book_ahead_days=AHEAD_DAYS,
            per_day_limit=100,
            per_week_limit=700,
        )
        for i in range(VENUES)
    ]
    tokens = []
    for i in range(CLIENTS):
        user, _ = User.objects.get_or_create(
            username=f"bench-booker-{i:02d}", defaults={"display_name": f"压测职工{i}", "kind": User.Kind.WORKER}
        )
        tokens.append(api_token_issue(user=user)[1])
    # Slots from tomorrow on: none starts while the run is under way.
    today = timezone.localdate()
    places = [
        f"{v.pk}@{start.isoformat()}"
        for v in venues
        for offset in range(1, AHEAD_DAYS + 1)
        for start, _end in booking_selectors.day_slots(v, today + dt.timedelta(days=offset))
    ]
    connections.close_all()
    return tokens, places


def _locust(server: Server, *, mode: str, label: str, duration: int, scratch: Path, env: dict[str, str]) -> Run:
    return run_locust(
        server,
        LOCUSTFILE,
        users=CLIENTS,
        label=label,
        path="/bare" if mode == "bare" else "POST /api/v1/bookings",
        duration=duration,
        scratch=scratch,
        env={**env, "BENCH_MODE": mode},
    )


def run(
    *, scratch: Path, duration: int = 15, rounds: int = 2, progress: Callable[[str], None] = print
) -> tuple[list[Figure | Check], list[Run]]:
    collect_static()
    tokens, places = _setup()
    places_file = scratch / "booking-places.txt"
    places_file.write_text("\n".join(places))
    env = {"BENCH_TOKENS": ",".join(tokens), "BENCH_PLACES_FILE": str(places_file)}
    booking_runs = 2 * rounds
    chunk = len(places) // booking_runs
    progress(f"  booking load: {len(places)} places at {VENUES} venues, {CLIENTS} clients")
    runs: list[Run] = []

    def measure(server: Server, mode: str, label: str, pace: float) -> Run:
        load_average = os.getloadavg()[0]
        before = cpu_snapshot(server)
        # Each booking run takes its own stretch of every client's places: nobody books a place twice.
        offset = chunk * sum(r.path != "/bare" for r in runs)
        if pace:
            path = "/bare" if mode == "bare" else "POST /api/v1/bookings"
            requests_for = _paced_requests(mode, tokens, places, offset)
            result = run_paced(
                server, requests_for, clients=CLIENTS, label=label, path=path, pace=pace, duration=duration
            )
        else:
            result = _locust(
                server,
                mode=mode,
                label=label,
                duration=duration,
                scratch=scratch,
                env={**env, "BENCH_OFFSET": str(offset)},
            )
        after = cpu_snapshot(server)
        served = max(result.requests, 1)
        result.web_cpu_ms = cpu_delta(before, after, "web:") * 1000 / served
        result.db_cpu_ms = cpu_delta(before, after, "db:") * 1000 / served
        result.load_average = load_average
        kind = f"paced {pace:g}/s per client" if pace else "saturation"
        progress(
            f"  booking load: {label:<28} {kind:<21} {result.rps:7.1f} req/s  p50 {result.p50:4.0f} ms"
            f"  p95 {result.p95:5.0f} ms  p99 {result.p99:5.0f} ms  CPU {result.web_cpu_ms:.2f}+{result.db_cpu_ms:.2f}"
            f" ms/req  failures {result.failures}/{result.requests}  (load average {load_average:.1f})"
        )
        runs.append(result)
        return result

    booking_sat: list[Run] = []
    bare_sat: list[Run] = []
    booking_paced: list[Run] = []
    bare_paced: list[Run] = []
    with (
        serve("platform", "zhijia.wsgi:application", scratch) as platform,
        serve("bare", "bench.bare_wsgi:application", scratch) as bare,
    ):
        # Each worker builds the finder's index as it starts: on a busy shared machine that takes longer than
        # bench.load allows by default.
        wait_ready(platform, "/", timeout=300)
        wait_ready(bare, "/bare", timeout=300)
        # Warm every worker on the booking code path (a venue's slots: the same modules, hours and venue queries)
        # without booking anything, and the bare view likewise.
        warm_up(platform, f"/api/v1/bookings/venues/{places[0].split('@')[0]}/slots")
        warm_up(bare, "/bare")
        # Baseline and booking runs interleaved, so drift on a shared machine shows on both sides.
        for r in range(1, rounds + 1):
            bare_paced.append(measure(bare, "bare", f"bare JSON view paced #{r}", 1.0))
            booking_paced.append(measure(platform, "book", f"booking paced #{r}", 1.0))
        for r in range(1, rounds + 1):
            bare_sat.append(measure(bare, "bare", f"bare JSON view #{r}", 0))
            booking_sat.append(measure(platform, "book", f"booking #{r}", 0))

    def med(results: list[Run], attr: str) -> float:
        return statistics.median(getattr(x, attr) for x in results)

    out: list[Figure | Check] = [
        Figure(
            GROUP,
            f"POST /api/v1/bookings: p95 at {CLIENTS} clients × 1 request/s (median of {rounds})",
            med(booking_paced, "p95"),
            f"bare JSON view, same clients and pace (median of {rounds})",
            med(bare_paced, "p95"),
            "ms",
        ),
        Check(
            GROUP,
            f"POST /api/v1/bookings: p95 under {P95_CEILING_MS:.0f} ms at {CLIENTS} clients × 1 request/s",
            f"{med(booking_paced, 'p95'):.0f} ms (p50 {med(booking_paced, 'p50'):.0f} ms, p99"
            f" {med(booking_paced, 'p99'):.0f} ms; bare view p95 {med(bare_paced, 'p95'):.0f} ms)",
            passed=med(booking_paced, "p95") < P95_CEILING_MS,
        ),
        Figure(
            GROUP,
            f"POST /api/v1/bookings: requests/s at saturation, {CLIENTS} clients (median of {rounds})",
            med(booking_sat, "rps"),
            f"bare JSON view at saturation (median of {rounds})",
            med(bare_sat, "rps"),
            "req/s",
            better="higher",
        ),
        Check(
            GROUP,
            f"POST /api/v1/bookings: p95 at saturation ({CLIENTS} clients, no think time)",
            f"{med(booking_sat, 'p95'):.0f} ms (bare view {med(bare_sat, 'p95'):.0f} ms;"
            f" {med(booking_sat, 'rps'):.0f} vs {med(bare_sat, 'rps'):.0f} req/s;"
            f" CPU {med(booking_sat, 'cpu_ms'):.1f} vs {med(bare_sat, 'cpu_ms'):.1f} ms/request)",
        ),
    ]
    for result in runs:
        if result.failures:
            out.append(
                Check(GROUP, f"{result.label}: failed requests", f"{result.failures} of {result.requests}", False)
            )
    return out, runs
