"""Printing the figures, and writing them with the machine's description into bench/RESULTS.md."""

from __future__ import annotations

import datetime as dt
from pathlib import Path
from typing import Any

from .environment import BENCH_MEMBERS
from .results import Check, Figure

NOTES = Path(__file__).with_name("NOTES.md")


def _value(f: Figure) -> str:
    return f"{f.value:.3f} {f.unit}" if f.unit == "ms" else f"{f.value:.0f} {f.unit}"


def _baseline(f: Figure) -> str:
    return f"{f.baseline:.3f} {f.unit}" if f.unit == "ms" else f"{f.baseline:.0f} {f.unit}"


def console(figures: list[Figure | Check]) -> str:
    lines = []
    group = None
    for f in figures:
        if f.group != group:
            group = f.group
            lines.append(f"== {group}")
        if isinstance(f, Figure):
            verdict = f"  target {f.target_text()} {f.verdict()}" if f.target is not None else ""
            lines.append(f"  {f.ratio_text():>7}  {f.name}: {_value(f)} vs {_baseline(f)}{verdict}")
        else:
            verdict = f"  [{f.verdict()}]" if f.passed is not None else ""
            lines.append(f"  {'check':>7}  {f.name}: {f.detail}{verdict}")
    return "\n".join(lines)


def _cell(text: str) -> str:
    return text.replace("|", "\\|")


def write(
    path: Path,
    *,
    machine: list[tuple[str, str]],
    figures: list[Figure | Check],
    runs: list[Any],
    vendor: str,
    build_seconds: float,
    total_seconds: float,
    options: dict[str, Any],
) -> None:
    today = dt.datetime.now(dt.UTC).strftime("%Y-%m-%d %H:%M UTC")
    out = [
        "# Benchmark results",
        "",
        f"Written by `python -m bench` (`make bench`) on {today}, against {vendor}"
        f" ({options['benchmarks']}; load runs of {options['duration']} s, {options['rounds']} query rounds)."
        " Each figure is a ratio against a baseline measured in the same run, on the same machine;"
        " absolute numbers only make sense next to their baseline.",
        "",
        "## Machine",
        "",
        "| | |",
        "| --- | --- |",
        *[f"| {k} | {_cell(v)} |" for k, v in machine],
        "",
        "Data: the Beijing demo city from `zhijia.demo.builder` (the organisation tree and its employers, the logins,"
        f" the service network, {BENCH_MEMBERS:,} members) in a dedicated database ({build_seconds:.0f} s to migrate"
        f" and build). The whole run took {total_seconds:.0f} s.",
        "",
    ]
    groups: dict[str, list[Figure | Check]] = {}
    for f in figures:
        groups.setdefault(f.group, []).append(f)
    for group, items in groups.items():
        out += [f"## {group}", ""]
        ratios = [f for f in items if isinstance(f, Figure)]
        checks = [f for f in items if isinstance(f, Check)]
        if ratios:
            out += [
                "| figure | measured | baseline | ratio | target | |",
                "| --- | ---: | --- | ---: | --- | --- |",
            ]
            for f in ratios:
                out.append(
                    f"| {_cell(f.name)} | {_value(f)} | {_cell(f.baseline_name)}: {_baseline(f)} |"
                    f" **{f.ratio_text()}** | {f.target_text()} | {f.verdict()} |"
                )
            out.append("")
        if checks:
            out += ["| check | result | |", "| --- | --- | --- |"]
            for c in checks:
                out.append(f"| {_cell(c.name)} | {_cell(c.detail)} | {c.verdict()} |")
            out.append("")
    if runs:
        out += [
            f"### {RUNS_TITLE}",
            "",
            "CPU per request is measured from /proc: the gunicorn processes, the PostgreSQL backends serving"
            " them when the database runs on this machine, and the Redis server of the shared cache when it does."
            " Load average is the whole machine's when the run started (anything above the core count means other"
            " work was competing).",
            "",
            "| run | path | pace | requests | failures | req/s | p50 ms | p95 ms | p99 ms | CPU ms/req"
            " (web + db + cache) | load avg |",
            "| --- | --- | --- | ---: | ---: | ---: | ---: | ---: | ---: | ---: | ---: |",
        ]
        for r in runs:
            pace = f"{r.pace:g}/s per user" if r.pace else "none (saturation)"
            out.append(
                f"| {_cell(r.label)} | `{r.path}` | {pace} | {r.requests} | {r.failures} | {r.rps:.1f} |"
                f" {r.p50:.0f} | {r.p95:.0f} | {r.p99:.0f} |"
                f" {r.web_cpu_ms:.2f} + {r.db_cpu_ms:.2f} + {getattr(r, 'cache_cpu_ms', 0.0):.2f} |"
                f" {r.load_average:.1f} |"
            )
        out.append("")
    out += _kept_sections(path, measured=set(groups) | ({RUNS_TITLE} if runs else set()))
    if NOTES.exists():
        out += [NOTES.read_text().strip(), ""]
    path.write_text("\n".join(out))


RUNS_TITLE = "Every load run"
# Sections the runner writes itself each time, whatever was run.
_OWN_SECTIONS = {"Machine", "Reading these figures"}


def _kept_sections(path: Path, *, measured: set[str]) -> list[str]:
    """The sections of the previous results that this run did not measure (a run of one benchmark must not wipe
    the others' figures), each marked as kept, with the date of the run that wrote it."""
    if not path.exists():
        return []
    text = path.read_text()
    first = text.splitlines()[2] if len(text.splitlines()) > 2 else ""
    stamp = first.split(" on ", 1)[1].split(",", 1)[0] if first.startswith("Written by") and " on " in first else ""
    kept: list[str] = []
    title = None
    body: list[str] = []

    def flush() -> None:
        if title is None or title in measured or title in _OWN_SECTIONS:
            return
        note = "_Kept from an earlier run"
        lines = [f"{'###' if title == RUNS_TITLE else '##'} {title}", ""]
        if not body or not body[0].startswith("_Kept from"):
            lines += [f"{note}{f' ({stamp})' if stamp else ''}; not measured this time._", ""]
        kept.extend(lines + [b for b in body if b or lines[-1]])

    for line in text.splitlines():
        if line.startswith("## "):
            flush()
            title, body = line[3:].strip(), []
        elif line.startswith(f"### {RUNS_TITLE}"):
            flush()
            title, body = RUNS_TITLE, []
        elif title is not None:
            if not body and not line:
                continue
            body.append(line)
    flush()
    return kept
