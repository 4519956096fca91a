"""Load test: the platform served by gunicorn with the production settings, and the bare JSON view served the
same way; locust (headless, on 127.0.0.1 only, each run bounded in time) drives 100 concurrent users.

Two kinds of run:
- saturation: every user sends its next request as soon as the last is answered. Throughput is what the
  server can give; each endpoint's requests/s is put against the bare view's, measured before and after the
  endpoints so drift on a shared machine shows.
- paced: every user sends one request a second (100 users ≈ 100 requests/s, a busy member site for one
  district). Latency percentiles here are what a member waits for.
"""

from __future__ import annotations

import contextlib
import csv
import os
import random
import re
import signal
import socket
import statistics
import subprocess
import sys
import time
import urllib.request
from collections.abc import Callable, Iterator
from concurrent.futures import ThreadPoolExecutor
from dataclasses import dataclass
from pathlib import Path

from . import paced
from .environment import REPO_DIR
from .points import where
from .results import Check, Figure, Run

GROUP = "Load test (gunicorn, production settings, 100 concurrent users)"
GUNICORN_CONF = REPO_DIR / "deploy" / "gunicorn.conf.py"
LOCUSTFILE = Path(__file__).resolve().parent / "locustfile.py"
USERS = 100
P99_CEILING_MS = 100.0
THROUGHPUT_FLOOR = 0.70
# What every request of the benchmarks carries: nginx's word that the client came over HTTPS, and a Chinese browser.
HEADERS = {"X-Forwarded-Proto": "https", "Accept-Language": "zh-CN,zh;q=0.9"}


@dataclass
class Server:
    label: str
    app: str
    port: int
    process: subprocess.Popen[bytes]
    log: Path

    @property
    def host(self) -> str:
        return f"http://127.0.0.1:{self.port}"


def _cpu_seconds(pid: int, *, with_children: bool) -> float | None:
    """CPU time of a process from /proc (Linux); with_children adds the children it has reaped."""
    try:
        fields = Path(f"/proc/{pid}/stat").read_text().rsplit(")", 1)[1].split()
    except (OSError, IndexError):
        return None
    utime, stime, cutime, cstime = (int(x) for x in fields[11:15])
    ticks = utime + stime + (cutime + cstime if with_children else 0)
    return ticks / os.sysconf("SC_CLK_TCK")


def _children(parent: int) -> list[int]:
    pids = []
    for entry in Path("/proc").iterdir():
        if entry.name.isdigit():
            try:
                ppid = int((entry / "stat").read_text().rsplit(")", 1)[1].split()[1])
            except (OSError, IndexError, ValueError):
                continue
            if ppid == parent:
                pids.append(int(entry.name))
    return pids


def _database_backends() -> list[int]:
    """PostgreSQL backends serving the bench database, when the server runs on this machine."""
    from django.db import connection

    if connection.vendor != "postgresql" or connection.settings_dict.get("HOST") not in ("127.0.0.1", "localhost", ""):
        return []
    with connection.cursor() as cursor:
        cursor.execute(
            "SELECT pid FROM pg_stat_activity WHERE datname = current_database() AND pid <> pg_backend_pid()"
        )
        pids = [int(row[0]) for row in cursor.fetchall()]
    connection.close()
    return pids


def _cache_servers() -> list[int]:
    """The Redis server behind the shared cache, when the settings use one on this machine. Anything else using the
    same Redis meanwhile is counted too, so the figure can only err high."""
    from django.conf import settings

    location = str(settings.CACHES.get("default", {}).get("LOCATION", ""))
    if "redis" not in settings.CACHES.get("default", {}).get("BACKEND", "").lower() or not any(
        host in location for host in ("127.0.0.1", "localhost", "/")
    ):
        return []
    pids = []
    for entry in Path("/proc").iterdir():
        if entry.name.isdigit():
            try:
                if (entry / "comm").read_text().strip() == "redis-server":
                    pids.append(int(entry.name))
            except OSError:
                continue
    return pids


def cpu_snapshot(server: Server) -> dict[str, float]:
    """CPU seconds so far of the gunicorn master (with its reaped workers), each live worker, each database backend
    and the shared cache's server. A delta between two snapshots is what serving the requests in between cost."""
    snap: dict[str, float] = {}
    master = _cpu_seconds(server.process.pid, with_children=True)
    if master is not None:
        snap[f"web:{server.process.pid}"] = master
    for pid in _children(server.process.pid):
        value = _cpu_seconds(pid, with_children=False)
        if value is not None:
            snap[f"web:{pid}"] = value
    for pid in _database_backends():
        value = _cpu_seconds(pid, with_children=False)
        if value is not None:
            snap[f"db:{pid}"] = value
    for pid in _cache_servers():
        value = _cpu_seconds(pid, with_children=False)
        if value is not None:
            snap[f"cache:{pid}"] = value
    return snap


def cpu_delta(before: dict[str, float], after: dict[str, float], kind: str) -> float:
    return sum(v - before.get(k, 0.0) for k, v in after.items() if k.startswith(kind))


def _free_port() -> int:
    with socket.socket() as s:
        s.bind(("127.0.0.1", 0))
        return int(s.getsockname()[1])


def collect_static() -> None:
    from django.core.management import call_command

    call_command("collectstatic", interactive=False, verbosity=0)


@contextlib.contextmanager
def serve(label: str, app: str, scratch: Path) -> Iterator[Server]:
    port = _free_port()
    log = scratch / f"gunicorn-{label}.log"
    env = dict(os.environ)
    with log.open("wb") as out:
        process = subprocess.Popen(
            [
                sys.executable,
                "-m",
                "gunicorn",
                "-c",
                str(GUNICORN_CONF),
                "--bind",
                f"127.0.0.1:{port}",
                app,
            ],
            cwd=REPO_DIR,
            env=env,
            stdout=out,
            stderr=subprocess.STDOUT,
        )
    server = Server(label, app, port, process, log)
    try:
        yield server
    finally:
        if process.poll() is None:
            process.send_signal(signal.SIGTERM)
            try:
                process.wait(timeout=30)
            except subprocess.TimeoutExpired:
                process.kill()
                process.wait()


def _get(url: str, headers: dict[str, str]) -> int:
    request = urllib.request.Request(url, headers=headers)  # noqa: S310 (always http://127.0.0.1)
    with urllib.request.urlopen(request, timeout=60) as response:  # noqa: S310
        response.read()
        return int(response.status)


def _headers(token: str | None) -> dict[str, str]:
    headers = dict(HEADERS)
    if token:
        headers["Authorization"] = f"Bearer {token}"
    return headers


def wait_ready(server: Server, path: str, *, token: str | None = None, timeout: float = 300) -> None:
    # Each worker builds the finder's index before it answers (deploy/gunicorn.conf.py): on a busy machine, with the
    # platform's and the bare view's workers all starting at once, that takes well over a minute.
    deadline = time.monotonic() + timeout
    while True:
        if server.process.poll() is not None:
            raise RuntimeError(f"gunicorn ({server.label}) exited; see its log:\n{server.log.read_text()[-3000:]}")
        try:
            if _get(server.host + _concrete(path, random.Random(1)), _headers(token)) == 200:
                return
        except OSError:
            pass
        if time.monotonic() > deadline:
            raise RuntimeError(f"gunicorn ({server.label}) did not answer {path} within {timeout:.0f}s")
        time.sleep(0.3)


def _concrete(path: str, rng: random.Random) -> str:
    return path.format(**where(rng)) if "{" in path else path


def warm_up(server: Server, path: str, *, token: str | None = None, requests: int = 300) -> None:
    """Enough parallel requests that every worker has loaded its templates and opened its connection."""
    headers = _headers(token)
    rng = random.Random(2026)
    urls = [server.host + _concrete(path, rng) for _ in range(requests)]
    with ThreadPoolExecutor(max_workers=16) as pool:
        statuses = list(pool.map(lambda url: _get(url, headers), urls))
    bad = [s for s in statuses if s != 200]
    if bad:
        raise RuntimeError(f"warm-up of {path} got {len(bad)} non-200 answers")


def locust(
    server: Server,
    path: str,
    *,
    label: str,
    duration: int,
    scratch: Path,
    token: str | None = None,
) -> Run:
    """One saturation run of the read-endpoint visitors (locustfile.py) against `path`."""
    env = {"BENCH_PATH": path, "BENCH_TOKEN": token or ""}
    return run_locust(
        server, LOCUSTFILE, users=USERS, label=label, path=path, duration=duration, scratch=scratch, env=env
    )


def run_locust(
    server: Server,
    locustfile: Path,
    *,
    users: int,
    label: str,
    path: str,
    duration: int,
    scratch: Path,
    env: dict[str, str],
) -> Run:
    """Run `locustfile` headless with `users` users for `duration` seconds (bounded), `env` added to this process's
    environment; the run's aggregate figures as a Run."""
    slug = re.sub(r"[^a-z0-9]+", "-", label.lower()).strip("-")
    prefix = scratch / f"locust-{locustfile.stem}-{slug}"
    command = [
        sys.executable, "-m", "locust", "-f", str(locustfile), "--headless",
        "--users", str(users), "--spawn-rate", str(users), "--run-time", f"{duration}s",
        "--stop-timeout", "5", "--only-summary", "--loglevel", "WARNING", "--host", server.host, "--csv", str(prefix),
    ]  # fmt: skip
    with Path(f"{prefix}.log").open("wb") as out:
        subprocess.run(
            command,
            cwd=REPO_DIR,
            env=dict(os.environ, **env),
            stdout=out,
            stderr=subprocess.STDOUT,
            timeout=duration + 60,
        )
    with Path(f"{prefix}_stats.csv").open(newline="") as f:
        row = next(r for r in csv.DictReader(f) if r["Name"] == "Aggregated")
    return Run(
        label=label,
        path=path,
        pace=0,
        requests=int(row["Request Count"]),
        failures=int(row["Failure Count"]),
        rps=float(row["Requests/s"]),
        p50=float(row["50%"]),
        p95=float(row["95%"]),
        p99=float(row["99%"]),
    )


def run_paced(
    server: Server,
    requests_for: Callable[[int], Iterator[paced.Request]],
    *,
    clients: int,
    label: str,
    path: str,
    pace: float,
    duration: int,
) -> Run:
    """A paced run (bench/paced.py's client: open loop, one new connection per request) against `server`."""
    return paced.run(
        ("127.0.0.1", server.port), requests_for, clients=clients, pace=pace, duration=duration, label=label, path=path
    )


def _reads(path: str, token: str | None) -> Callable[[int], Iterator[paced.Request]]:
    """The read-endpoint visitors of locustfile.py, for paced runs: GET `path` (a random point for the finder)."""
    headers = _headers(token)

    def requests_for(client: int) -> Iterator[paced.Request]:
        rng = random.Random(client)
        while True:
            yield paced.Request("GET", _concrete(path, rng), headers)

    return requests_for


def run(
    *,
    scratch: Path,
    token: str,
    duration: int = 15,
    rounds: int = 2,
    paced_duration: int = 15,
    progress: Callable[[str], None] = print,
) -> tuple[list[Figure | Check], list[Run]]:
    from django.db import connections

    collect_static()
    connections.close_all()
    endpoints = [
        ("home page /", "/", None),
        ("my card: GET /api/v1/members/me (token)", "/api/v1/members/me", token),
        ("finder: GET /api/v1/network/nearest (random point)", "/api/v1/network/nearest?lng={lng}&lat={lat}", None),
    ]
    runs: list[Run] = []

    def measure(server: Server, path: str, label: str, tok: str | None, pace: float, seconds: int) -> Run:
        warm_up(server, path, token=tok)
        load_average = os.getloadavg()[0]
        before = cpu_snapshot(server)
        if pace:
            result = run_paced(
                server, _reads(path, tok), clients=USERS, label=label, path=path, pace=pace, duration=seconds
            )
        else:
            result = locust(server, path, label=label, duration=seconds, scratch=scratch, token=tok)
        after = cpu_snapshot(server)
        served = max(result.requests, 1)
        result.web_cpu_ms = cpu_delta(before, after, "web:") * 1000 / served
        result.db_cpu_ms = cpu_delta(before, after, "db:") * 1000 / served
        result.cache_cpu_ms = cpu_delta(before, after, "cache:") * 1000 / served
        result.load_average = load_average
        kind = f"paced {pace:g}/s per user" if pace else "saturation"
        progress(
            f"  load: {label:<36} {kind:<19} {result.rps:7.1f} req/s  p50 {result.p50:4.0f} ms"
            f"  p99 {result.p99:5.0f} ms"
            f"  CPU {result.web_cpu_ms:.2f}+{result.db_cpu_ms:.2f}+{result.cache_cpu_ms:.2f} ms/req"
            f"  failures {result.failures}/{result.requests}  (load average {load_average:.1f})"
        )
        runs.append(result)
        return result

    saturated: dict[str, list[Run]] = {name: [] for name, _, _ in endpoints}
    bare_runs: list[Run] = []
    paced: dict[str, Run] = {}
    with (
        serve("platform", "zhijia.wsgi:application", scratch) as platform,
        serve("bare", "bench.bare_wsgi:application", scratch) as bare,
    ):
        wait_ready(platform, "/")
        wait_ready(bare, "/bare")
        # bare, endpoints, bare, endpoints, ..., bare: every endpoint run sits between two baseline runs.
        for r in range(1, rounds + 1):
            bare_runs.append(measure(bare, "/bare", f"bare JSON view #{r}", None, 0, duration))
            for name, path, tok in endpoints:
                saturated[name].append(measure(platform, path, f"{name} #{r}", tok, 0, duration))
        bare_runs.append(measure(bare, "/bare", f"bare JSON view #{rounds + 1}", None, 0, duration))
        for name, path, tok in endpoints:
            paced[name] = measure(platform, path, f"{name} paced", tok, 1.0, paced_duration)
        paced["bare JSON view"] = measure(bare, "/bare", "bare JSON view paced", None, 1.0, paced_duration)

    def median(values: list[float]) -> float:
        return statistics.median(values)

    bare_rps = median([b.rps for b in bare_runs])
    bare_cpu = median([b.cpu_ms for b in bare_runs])
    bare_text = ", ".join(f"{b.rps:.0f}" for b in bare_runs)
    out: list[Figure | Check] = []
    for name, results in saturated.items():
        out.append(
            Figure(
                GROUP,
                f"{name}: requests/s at saturation (median of {len(results)})",
                median([r.rps for r in results]),
                f"bare JSON view (median of {bare_text})",
                bare_rps,
                "req/s",
                better="higher",
                target=THROUGHPUT_FLOOR,
            )
        )
    if bare_cpu > 0:
        for name, results in saturated.items():
            out.append(
                Figure(
                    GROUP,
                    f"{name}: server CPU per request, gunicorn + database + cache (median of {len(results)})",
                    median([r.cpu_ms for r in results]),
                    f"bare JSON view (median of {len(bare_runs)})",
                    bare_cpu,
                    "ms",
                    # A CPU-bound server's throughput goes as 1 / CPU per request, so 70% of the bare view's
                    # throughput means at most 1/0.7 times its CPU per request. Unlike requests/s, CPU per
                    # request hardly moves when other work shares the machine.
                    target=round(1 / THROUGHPUT_FLOOR, 2),
                )
            )
    for name, results in [*saturated.items(), ("bare JSON view", bare_runs)]:
        p99 = median([r.p99 for r in results])
        out.append(
            Check(
                GROUP,
                f"{name}: p99 at saturation ({USERS} users, no think time)",
                f"{p99:.0f} ms (p50 {median([r.p50 for r in results]):.0f} ms,"
                f" {median([r.rps for r in results]):.0f} req/s; median of {len(results)} runs)",
                passed=p99 < P99_CEILING_MS,
            )
        )
    for name, result in paced.items():
        out.append(
            Check(
                GROUP,
                f"{name}: p99 at {USERS} users × 1 request/s",
                f"{result.p99:.0f} ms (p50 {result.p50:.0f} ms, {result.rps:.0f} req/s)",
                passed=result.p99 < P99_CEILING_MS,
            )
        )
    for result in runs:
        if result.failures:
            out.append(
                Check(GROUP, f"{result.label}: failed requests", f"{result.failures} of {result.requests}", False)
            )
    return out, runs
