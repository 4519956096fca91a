"""The paced runs' client (bench/paced.py): the figures the booking and load benchmarks check their latency ceilings
against, so it must count what a client would wait, including what a slow server makes it wait for later requests."""

from __future__ import annotations

import threading
import time
from collections.abc import Iterator
from http.server import BaseHTTPRequestHandler, ThreadingHTTPServer

import pytest

from bench import paced


def _server(delay: float, status: int = 200) -> ThreadingHTTPServer:
    class Handler(BaseHTTPRequestHandler):
        def do_GET(self) -> None:
            time.sleep(delay)
            self.send_response(status)
            self.send_header("Content-Length", "2")
            self.end_headers()
            self.wfile.write(b"ok")

        def log_message(self, *args: object) -> None:
            pass

    server = ThreadingHTTPServer(("127.0.0.1", 0), Handler)
    threading.Thread(target=server.serve_forever, daemon=True).start()
    return server


def _gets(client: int) -> Iterator[paced.Request]:
    while True:
        yield paced.Request("GET", f"/c{client}", {})


@pytest.fixture
def quick() -> Iterator[ThreadingHTTPServer]:
    server = _server(0.0)
    yield server
    server.shutdown()


def test_each_client_keeps_its_pace_and_every_answer_is_counted(quick):
    run = paced.run(quick.server_address[:2], _gets, clients=4, pace=10, duration=1.0, label="quick", path="/c")

    assert 36 <= run.requests <= 44  # 4 clients × 10 a second × 1 s, give or take the edges
    assert run.failures == 0
    assert run.p50 <= run.p95 <= run.p99 < 500


def test_a_slow_answer_counts_against_the_requests_it_delayed():
    # One client due every 100 ms, each answer taking 200 ms: the client falls further behind with every request,
    # and the latency is counted from when each request was due, not from when it could finally be sent.
    slow = _server(0.2)
    try:
        run = paced.run(slow.server_address[:2], _gets, clients=1, pace=10, duration=1.0, label="slow", path="/c")
    finally:
        slow.shutdown()

    assert run.requests >= 5
    assert run.p50 >= 300
    assert run.p99 >= 800


def test_an_unexpected_status_is_a_failure():
    refusing = _server(0.0, status=503)
    try:
        run = paced.run(refusing.server_address[:2], _gets, clients=2, pace=5, duration=0.5, label="x", path="/c")
    finally:
        refusing.shutdown()

    assert run.requests > 0
    assert run.failures == run.requests


def test_percentiles_are_nearest_rank():
    values = [float(v) for v in range(1, 101)]
    assert [paced.percentile(values, q) for q in (50, 95, 99, 100)] == [50, 95, 99, 100]
    assert paced.percentile([7.0], 99) == 7
    assert paced.percentile([], 50) == 0
