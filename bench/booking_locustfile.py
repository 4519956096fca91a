"""The booking load: each simulated client is one demo worker (BENCH_TOKENS, one per client) booking places at the
bench venues, every request a new (venue, slot) for that worker with its own idempotency key. BENCH_MODE=bare asks
the bare JSON view instead, the same way, as the baseline. BENCH_PACE requests a second per client (0: as fast as
answered). Run by bench.booking_load."""

import itertools
import json
import os
import random
import uuid
from pathlib import Path

import gevent
from locust import FastHttpUser, constant, constant_throughput, task

MODE = os.environ.get("BENCH_MODE", "book")
PACE = float(os.environ.get("BENCH_PACE", "0"))
TOKENS = [t for t in os.environ.get("BENCH_TOKENS", "").split(",") if t]
# "venue_id@starts_at" lines, shuffled per client; each run starts at its own offset, so no client books a place twice.
_FILE = os.environ.get("BENCH_PLACES_FILE", "")
PLACES = [line.split("@", 1) for line in Path(_FILE).read_text().split()] if _FILE else []
OFFSET = int(os.environ.get("BENCH_OFFSET", "0"))
HEADERS = {"X-Forwarded-Proto": "https", "Accept-Language": "zh-CN,zh;q=0.9", "Content-Type": "application/json"}
_next_client = itertools.count()


class Booker(FastHttpUser):
    wait_time = constant_throughput(PACE) if PACE else constant(0)

    def on_start(self) -> None:
        # Locust starts every client in the same instant and constant_throughput keeps them in step: without a
        # random phase, "50 clients × 1/s" would be a burst of 50 simultaneous requests each second.
        if PACE:
            gevent.sleep(random.random() / PACE)
        n = next(_next_client)
        self.headers = dict(HEADERS)
        if TOKENS:
            self.headers["Authorization"] = f"Bearer {TOKENS[n % len(TOKENS)]}"
        places = list(PLACES)
        random.Random(n).shuffle(places)
        self.places = iter(places[OFFSET:] + places[:OFFSET])

    @task
    def act(self) -> None:
        if MODE == "bare":
            self.client.get("/bare", headers=self.headers, name="/bare")
            return
        venue_id, starts_at = next(self.places)
        body = json.dumps({"venue_id": int(venue_id), "starts_at": starts_at})
        headers = {**self.headers, "Idempotency-Key": uuid.uuid4().hex}
        with self.client.post(
            "/api/v1/bookings", data=body, headers=headers, name="POST /api/v1/bookings", catch_response=True
        ) as response:
            if response.status_code != 201:
                response.failure(f"{response.status_code} {response.text[:120]}")
