"""Nearest-point benchmark: the finder's in-memory index (a k-d tree over unit vectors) against a vectorised numpy
brute force over the same points, both answering "the 5 nearest open points" from the same random positions in
the same rounds; then the finder API's p95 through Django's test client against the health check's p95.

Targets (issue 4): nearest 5 of 9,000 points under 0.1 ms in-process; the finder API p95 under 20 ms.

    python -m bench --only network_nearest      # through the runner (bench database, production settings)
    python -m bench.network_nearest             # on its own, same set-up
"""

from __future__ import annotations

import random
import statistics
import time
from typing import Any

from .results import Check, Figure

GROUP = "Service network: nearest 5 points"
LIMIT = 5


def _ensure_points(progress: Any = print) -> int:
    from zhijia.network.models import PointStatus, ServicePoint

    if ServicePoint.objects.filter(status=PointStatus.OPEN).count() < 9000:
        from zhijia.demo.network import build

        progress("bench: loading the demo city's service network")
        build(progress=lambda m: progress(f"  demo: {m}"))
    return ServicePoint.objects.filter(status=PointStatus.OPEN).count()


def _positions(lngs: Any, lats: Any, n: int) -> list[tuple[float, float]]:
    """Random positions over the points' own extent (central Beijing weighs most, as the points do)."""
    rng = random.Random(2026)
    picks = []
    for _ in range(n):
        i = rng.randrange(len(lngs))
        picks.append((float(lngs[i]) + rng.uniform(-0.02, 0.02), float(lats[i]) + rng.uniform(-0.02, 0.02)))
    return picks


def _percentile(samples: list[float], q: float) -> float:
    ordered = sorted(samples)
    return ordered[min(len(ordered) - 1, int(q * len(ordered)))]


def run(*, rounds: int = 2000, requests: int = 400, progress: Any = print) -> list[Figure | Check]:
    import numpy as np
    from django.test import Client

    from zhijia.network import nearest
    from zhijia.network.geo import haversine_many_m

    count = _ensure_points(progress)
    index = nearest.current_index()
    cards = index.all.cards
    lngs = np.array([c.lng for c in cards])
    lats = np.array([c.lat for c in cards])
    ids = np.array([c.id for c in cards])
    positions = _positions(lngs, lats, rounds)

    def brute(lng: float, lat: float) -> list[int]:
        d = haversine_many_m(lng, lat, lngs, lats)
        top = np.argpartition(d, LIMIT)[:LIMIT]
        return [int(ids[i]) for i in top[np.argsort(d[top])]]

    # Both answer the same question: the mobile homes (not in the tree) aside, the same five points in order.
    disagreements = 0
    for lng, lat in positions[:200]:
        found = [h.card.id for h in index.nearest(lng, lat, limit=LIMIT) if h.visit is None][:LIMIT]
        if found != brute(lng, lat)[: len(found)]:
            disagreements += 1

    index_ns: list[int] = []
    brute_ns: list[int] = []
    for i, (lng, lat) in enumerate(positions):
        runs = [
            ("index", lambda lng=lng, lat=lat: index.nearest(lng, lat, limit=LIMIT)),
            ("brute", lambda lng=lng, lat=lat: brute(lng, lat)),
        ]
        if i % 2:
            runs.reverse()
        for name, call in runs:
            started = time.perf_counter_ns()
            call()
            elapsed = time.perf_counter_ns() - started
            (index_ns if name == "index" else brute_ns).append(elapsed)
    index_us = statistics.median(index_ns) / 1e3
    brute_us = statistics.median(brute_ns) / 1e3

    client = Client(HTTP_HOST="127.0.0.1")
    api_ms: list[float] = []
    health_ms: list[float] = []
    for i, (lng, lat) in enumerate(positions[:requests]):
        calls = [
            ("api", f"/api/v1/network/nearest?lng={lng:.6f}&lat={lat:.6f}&limit={LIMIT}"),
            ("health", "/healthz"),
        ]
        if i % 2:
            calls.reverse()
        for name, url in calls:
            started = time.perf_counter()
            response = client.get(url)
            elapsed = (time.perf_counter() - started) * 1e3
            assert response.status_code == 200, (url, response.status_code)
            (api_ms if name == "api" else health_ms).append(elapsed)
    api_p95 = _percentile(api_ms[20:], 0.95)
    health_p95 = _percentile(health_ms[20:], 0.95)

    return [
        Figure(
            GROUP,
            f"nearest {LIMIT} of {count:,} points, in-process (median)",
            index_us,
            "numpy brute force over every point",
            brute_us,
            "µs",
            target=None,
            extra={"index": f"{index_us:.1f} µs", "brute force": f"{brute_us:.1f} µs"},
        ),
        Check(GROUP, "in-process search under 0.1 ms", f"median {index_us:.1f} µs", index_us < 100),
        Check(
            GROUP, "same five points as the brute force", f"{disagreements} of 200 positions differ", not disagreements
        ),
        Figure(
            GROUP,
            "finder API p95 (test client)",
            api_p95,
            "health check p95 (same client)",
            health_p95,
            "ms",
            extra={"finder p95": f"{api_p95:.2f} ms", "health p95": f"{health_p95:.2f} ms"},
        ),
        Check(GROUP, "finder API p95 under 20 ms", f"p95 {api_p95:.2f} ms", api_p95 < 20),
    ]


def main() -> int:
    import shutil

    from . import environment, report

    bench = environment.prepare()
    try:
        environment.recreate_database(bench)
        import django

        django.setup()
        environment.build_data()
        figures = run()
        print(report.console(figures))
        return 0
    finally:
        from django.db import connections

        connections.close_all()
        environment.drop_database(bench)
        shutil.rmtree(bench.scratch, ignore_errors=True)


if __name__ == "__main__":
    raise SystemExit(main())
