"""Subtree benchmark: questions about the organisation tree, each timed through the ORM against a plain
count(*) of the same table timed in the same rounds.

Every round runs each query once, in a shuffled order, so drift on a shared machine hits them all alike;
the figure is the median over the rounds.
"""

from __future__ import annotations

import json
import random
import statistics
import time
from collections.abc import Callable
from typing import Any

from .results import Check, Figure

GROUP = "Organisation tree (ORM, one query each)"


def _median_ms(samples: list[int]) -> float:
    return statistics.median(samples) / 1e6


def _time_rounds(cases: dict[str, Callable[[], Any]], *, rounds: int, warmup: int) -> dict[str, list[int]]:
    names = list(cases)
    samples: dict[str, list[int]] = {n: [] for n in names}
    rng = random.Random(2026)
    for i in range(warmup + rounds):
        rng.shuffle(names)
        for name in names:
            started = time.perf_counter_ns()
            cases[name]()
            elapsed = time.perf_counter_ns() - started
            if i >= warmup:
                samples[name].append(elapsed)
    return samples


def _sql_of(run: Callable[[], Any]) -> str:
    from django.db import connection
    from django.test.utils import CaptureQueriesContext

    with CaptureQueriesContext(connection) as captured:
        run()
    return str(captured.captured_queries[-1]["sql"])


def _pg_plan_nodes(plan: dict[str, Any]) -> list[str]:
    node = plan["Node Type"]
    if "Index Name" in plan:
        node += f" on {plan['Index Name']}"
    out = [node]
    for child in plan.get("Plans", []):
        out.extend(_pg_plan_nodes(child))
    return out


def explain(run: Callable[[], Any], *, seqscan: bool = True) -> list[str]:
    """The plan of the query `run` sends, as a list of nodes (PostgreSQL) or SQLite's plan lines."""
    from django.db import connection, transaction

    sql = _sql_of(run)
    with transaction.atomic(), connection.cursor() as cursor:
        if connection.vendor == "postgresql":
            if not seqscan:
                cursor.execute("SET LOCAL enable_seqscan = off")
            cursor.execute("EXPLAIN (FORMAT JSON) " + sql)
            raw = cursor.fetchone()[0]
            doc = json.loads(raw) if isinstance(raw, str) else raw
            return _pg_plan_nodes(doc[0]["Plan"])
        cursor.execute("EXPLAIN QUERY PLAN " + sql)
        return [str(row[-1]) for row in cursor.fetchall()]


def _uses_index(nodes: list[str]) -> bool:
    return any(("Index" in n or "INDEX" in n) and "path" in n.lower() for n in nodes)


def run(*, rounds: int = 300, warmup: int = 30, progress: Callable[[str], None] = print) -> list[Figure | Check]:
    from django.db import connection

    from zhijia.organizations.models import Organization, OrgKind
    from zhijia.organizations.selectors import count_under, subtree

    city = Organization.objects.get(code="FED-11")
    total = Organization.objects.count()
    # The street with the most nodes under it: the largest subtree a street federation's staff list.
    streets = list(Organization.objects.filter(kind=OrgKind.STREET_FEDERATION).only("path", "depth", "name"))
    street = max(streets, key=lambda s: (count_under(s), s.path))
    street_size = count_under(street) + 1
    city_under = count_under(city)

    def baseline() -> int:
        return Organization.objects.count()

    def city_count_under() -> int:
        return count_under(city)

    def city_subtree_count() -> int:
        return subtree(city).count()

    def street_list() -> list[Organization]:
        return list(subtree(street).order_by("path"))

    def street_count_under() -> int:
        return count_under(street)

    cases: dict[str, Callable[[], Any]] = {
        "baseline": baseline,
        "city_count_under": city_count_under,
        "city_subtree_count": city_subtree_count,
        "street_list": street_list,
        "street_count_under": street_count_under,
    }
    progress(f"  subtree: {rounds} rounds of {len(cases)} queries ({total:,} nodes, {connection.vendor})")
    samples = _time_rounds(cases, rounds=rounds, warmup=warmup)
    base = _median_ms(samples["baseline"])
    base_name = f"SELECT count(*) of the whole table ({total:,} rows)"
    figures: list[Figure | Check] = [
        Figure(
            GROUP,
            f"count_under(Beijing): everything below the city node ({city_under:,} nodes)",
            _median_ms(samples["city_count_under"]),
            base_name,
            base,
            "ms",
            target=3.0,
        ),
        Figure(
            GROUP,
            f"subtree(Beijing).count() ({city_under + 1:,} nodes)",
            _median_ms(samples["city_subtree_count"]),
            base_name,
            base,
            "ms",
            target=3.0,
        ),
        Figure(
            GROUP,
            f"count_under(street): largest street, {street.name} ({street_size - 1} nodes)",
            _median_ms(samples["street_count_under"]),
            base_name,
            base,
            "ms",
        ),
        Figure(
            GROUP,
            f"list(subtree(street)) ordered by path: {street.name}, {street_size} full rows",
            _median_ms(samples["street_list"]),
            base_name,
            base,
            "ms",
        ),
    ]
    street_plan = explain(street_list)
    city_plan = explain(city_count_under)
    figures.append(
        Check(
            GROUP,
            "plan of list(subtree(street))",
            " → ".join(street_plan),
            passed=_uses_index(street_plan),
        )
    )
    figures.append(Check(GROUP, "plan of count_under(Beijing)", " → ".join(city_plan)))
    if connection.vendor == "postgresql":
        forced = explain(city_count_under, seqscan=False)
        figures.append(
            Check(
                GROUP,
                "plan of count_under(Beijing) with seq scans disabled (the index path exists)",
                " → ".join(forced),
                passed=_uses_index(forced),
            )
        )
    return figures
