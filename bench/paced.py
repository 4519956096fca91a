"""The paced runs' client: N clients, each sending one request every 1/pace seconds from its own random phase, each
request on a new connection closed as soon as the answer is in (as nginx talks to gunicorn). A request's latency is
counted from the moment it was due, not from when it was sent, so a slow answer that delays a client's next request
still shows in full (no coordinated omission).

Why not locust for these runs: on the shared two-core machines the benchmarks run on, locust's HTTP clients add tens
of milliseconds of their own to each request at a gentle pace. The bare JSON view, which takes about a millisecond to
answer, measured p50 60-90 ms and p95 90-110 ms through locust at 50 clients × 1 request/s, and p50 5-7 ms, p95
12-15 ms through this client at the same pace on the same server. A latency ceiling of 50 or 100 ms cannot be
checked through a client that adds that much by itself. Locust still drives the saturation runs: there every client
is always waiting on the server, and throughput is the figure.
"""

from __future__ import annotations

import math
import random
import socket
import threading
import time
from collections.abc import Callable, Iterator
from dataclasses import dataclass

from .results import Run


@dataclass(frozen=True)
class Request:
    method: str
    path: str
    headers: dict[str, str]
    body: bytes = b""
    expect: int = 200


def _send(host: str, port: int, request: Request) -> tuple[int, bytes]:
    headers = {
        "Host": f"{host}:{port}",
        "Connection": "close",
        **request.headers,
        "Content-Length": str(len(request.body)),
    }
    head = f"{request.method} {request.path} HTTP/1.1\r\n" + "".join(f"{k}: {v}\r\n" for k, v in headers.items())
    with socket.create_connection((host, port), timeout=30) as sock:
        sock.setsockopt(socket.IPPROTO_TCP, socket.TCP_NODELAY, 1)
        sock.sendall(head.encode("latin-1") + b"\r\n" + request.body)
        chunks = []
        while chunk := sock.recv(65536):
            chunks.append(chunk)
    answer = b"".join(chunks)
    status_line = answer.split(b"\r\n", 1)[0].split()
    return (int(status_line[1]) if len(status_line) > 1 else 0), answer


def percentile(sorted_values: list[float], q: float) -> float:
    """Nearest-rank percentile of values sorted ascending (0 if there are none)."""
    if not sorted_values:
        return 0.0
    rank = min(max(math.ceil(q / 100 * len(sorted_values)), 1), len(sorted_values))
    return sorted_values[rank - 1]


def run(
    address: tuple[str, int],
    requests_for: Callable[[int], Iterator[Request]],
    *,
    clients: int,
    pace: float,
    duration: float,
    label: str,
    path: str,
    seed: int = 2026,
) -> Run:
    """`clients` clients for `duration` seconds, each asking `pace` requests a second; client i sends the requests
    `requests_for(i)` yields, in order. Latencies in whole milliseconds, as locust reports them; the first few
    failures are printed."""
    host, port = address
    interval = 1.0 / pace
    start = time.monotonic() + 0.2
    end = start + duration
    latencies: list[float] = []
    errors: list[str] = []
    failures = 0
    lock = threading.Lock()

    def client(i: int) -> None:
        nonlocal failures
        requests = requests_for(i)
        due = start + random.Random(seed + i).random() * interval
        while due < end:
            wait = due - time.monotonic()
            if wait > 0:
                time.sleep(wait)
            request = next(requests)
            try:
                status, answer = _send(host, port, request)
                problem = None if status == request.expect else f"{status} {answer[-200:]!r}"
            except OSError as exc:
                problem = f"{type(exc).__name__}: {exc}"
            took = (time.monotonic() - due) * 1000
            with lock:
                latencies.append(took)
                if problem:
                    failures += 1
                    if len(errors) < 5:
                        errors.append(f"{request.method} {request.path}: {problem}")
            due += interval

    threads = [threading.Thread(target=client, args=(i,), daemon=True) for i in range(clients)]
    for thread in threads:
        thread.start()
    for thread in threads:
        thread.join()
    elapsed = max(time.monotonic() - start, 1e-9)
    latencies.sort()
    for error in errors:
        print(f"  {label}: {error}")
    return Run(
        label=label,
        path=path,
        pace=pace,
        requests=len(latencies),
        failures=failures,
        rps=len(latencies) / elapsed,
        p50=round(percentile(latencies, 50)),
        p95=round(percentile(latencies, 95)),
        p99=round(percentile(latencies, 99)),
    )
