"""One measured figure, put against the baseline measured in the same run."""

from __future__ import annotations

from dataclasses import dataclass, field


@dataclass
class Figure:
    group: str
    name: str
    value: float
    baseline_name: str
    baseline: float
    unit: str
    # "lower": smaller is better (a time), so the ratio is value / baseline and the target a ceiling;
    # "higher": larger is better (a throughput), so the ratio is value / baseline and the target a floor.
    better: str = "lower"
    target: float | None = None
    extra: dict[str, str] = field(default_factory=dict)

    @property
    def ratio(self) -> float:
        return self.value / self.baseline if self.baseline else float("inf")

    @property
    def passed(self) -> bool | None:
        if self.target is None:
            return None
        return self.ratio <= self.target if self.better == "lower" else self.ratio >= self.target

    def target_text(self) -> str:
        if self.target is None:
            return "—"
        if self.better == "lower":
            return f"≤ {self.target:g}×"
        return f"≥ {self.target:.0%}"

    def ratio_text(self) -> str:
        return f"{self.ratio:.2f}×" if self.better == "lower" else f"{self.ratio:.0%}"

    def verdict(self) -> str:
        return {True: "met", False: "MISSED", None: ""}[self.passed]


@dataclass
class Check:
    """A yes/no finding that is not a ratio (a query plan, a latency ceiling)."""

    group: str
    name: str
    detail: str
    passed: bool | None = None

    def verdict(self) -> str:
        return {True: "met", False: "MISSED", None: ""}[self.passed]


@dataclass
class Run:
    label: str
    path: str
    pace: float
    requests: int
    failures: int
    rps: float
    p50: float
    p95: float
    p99: float
    web_cpu_ms: float = 0.0  # gunicorn CPU per request
    db_cpu_ms: float = 0.0  # PostgreSQL backend CPU per request (0 on SQLite: it runs inside gunicorn)
    cache_cpu_ms: float = 0.0  # the shared cache's (Redis) CPU per request, when it runs on this machine
    load_average: float = 0.0  # of the whole machine when the run started: how much else was running

    @property
    def cpu_ms(self) -> float:
        return self.web_cpu_ms + self.db_cpu_ms + self.cache_cpu_ms
