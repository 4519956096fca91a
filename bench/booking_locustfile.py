"""The booking load at saturation (the paced runs use bench/paced.py): each simulated client is one demo worker
(BENCH_TOKENS, one per client) booking places at the bench venues as fast as it is answered, every request a new
(venue, slot) for that worker with its own idempotency key. BENCH_MODE=bare asks the bare JSON view instead, the
same way, as the baseline. Run by bench.booking_load."""

import itertools
import json
import os
import uuid
from pathlib import Path

from locust import FastHttpUser, constant, task

from bench.booking_load import client_places
from bench.load import HEADERS

MODE = os.environ.get("BENCH_MODE", "book")
TOKENS = [t for t in os.environ.get("BENCH_TOKENS", "").split(",") if t]
# "venue_id@starts_at" lines; each run starts at its own offset, so no client books a place twice.
_FILE = os.environ.get("BENCH_PLACES_FILE", "")
PLACES = Path(_FILE).read_text().split() if _FILE else []
OFFSET = int(os.environ.get("BENCH_OFFSET", "0"))
_next_client = itertools.count()


class Booker(FastHttpUser):
    wait_time = constant(0)

    def on_start(self) -> None:
        n = next(_next_client)
        self.headers = dict(HEADERS)
        if TOKENS:
            self.headers["Authorization"] = f"Bearer {TOKENS[n % len(TOKENS)]}"
        self.places = client_places(PLACES, n, OFFSET)

    @task
    def act(self) -> None:
        if MODE == "bare":
            self.client.get("/bare", headers=self.headers, name="/bare")
            return
        venue_id, starts_at = next(self.places)
        body = json.dumps({"venue_id": int(venue_id), "starts_at": starts_at})
        headers = {**self.headers, "Content-Type": "application/json", "Idempotency-Key": uuid.uuid4().hex}
        with self.client.post(
            "/api/v1/bookings", data=body, headers=headers, name="POST /api/v1/bookings", catch_response=True
        ) as response:
            if response.status_code != 201:
                response.failure(f"{response.status_code} {response.text[:120]}")
