"""`make bench` / `python -m bench`: build a dedicated database (PostgreSQL when DATABASE_URL names one, else a
scratch SQLite file), run every benchmark, print each figure as a ratio against a baseline measured in the same
run, and write bench/RESULTS.md.

    python -m bench                 # everything (ten minutes or so on two cores)
    python -m bench --only subtree  # one benchmark
    python -m bench --duration 10   # shorter load runs
"""

from __future__ import annotations

import argparse
import shutil
import sys
import time
from pathlib import Path

from . import environment, report
from .results import Check, Figure

BENCHMARKS = (
    "subtree",
    "load",
    "booking_load",
    "network_nearest",
    "planning_coverage",
    "planning_sites",
    "member_import",
)


def main(argv: list[str] | None = None) -> int:
    parser = argparse.ArgumentParser(prog="python -m bench", description=__doc__.splitlines()[0] if __doc__ else "")
    parser.add_argument("--only", choices=BENCHMARKS, action="append", help="run only this benchmark (repeatable)")
    parser.add_argument("--duration", type=int, default=15, help="seconds per load run (default 15)")
    parser.add_argument("--load-rounds", type=int, default=2, help="rounds of saturation load runs (default 2)")
    parser.add_argument("--rounds", type=int, default=300, help="timed rounds of the subtree queries (default 300)")
    parser.add_argument("--results", type=Path, default=Path(__file__).with_name("RESULTS.md"))
    parser.add_argument("--keep", action="store_true", help="keep the bench database and scratch files")
    parser.add_argument(
        "--import-rows", type=int, default=2_650_000, help="rows in the roster import (default Chongqing's 2,650,000)"
    )
    parser.add_argument("--import-only", action="store_true", help="member_import: the import runs only, no search")
    parser.add_argument("--search-only", action="store_true", help="member_import: the roster search only")
    parser.add_argument(
        "--skip-import-export", action="store_true", help="member_import: leave out django-import-export"
    )
    args = parser.parse_args(argv)
    chosen = args.only or list(BENCHMARKS)
    if hasattr(sys.stdout, "reconfigure"):
        sys.stdout.reconfigure(line_buffering=True)  # progress shows as it happens, even through a pipe

    bench = environment.prepare()
    print(f"bench: {bench.vendor} database, scratch files in a temporary directory")
    started = time.monotonic()
    try:
        environment.recreate_database(bench)
        import django

        django.setup()
        from django.conf import settings

        assert settings.SETTINGS_MODULE == "zhijia.settings.production"
        from . import machine

        print("bench: building the Beijing demo city in the bench database")
        t0 = time.monotonic()
        data = environment.build_data()
        build_seconds = time.monotonic() - t0
        print(f"bench: built in {build_seconds:.0f}s")
        machine_rows = machine.describe()
        figures: list[Figure | Check] = []
        runs = []
        if "subtree" in chosen:
            from . import subtree

            figures += subtree.run(rounds=args.rounds)
        if "load" in chosen:
            from . import load

            load_figures, runs = load.run(
                scratch=bench.scratch,
                token=data["worker_token"],
                duration=args.duration,
                rounds=args.load_rounds,
                paced_duration=args.duration,
            )
            figures += load_figures
        if "booking_load" in chosen:
            from . import booking_load

            booking_figures, booking_runs = booking_load.run(
                scratch=bench.scratch, duration=args.duration, rounds=args.load_rounds
            )
            figures += booking_figures
            runs += booking_runs
        if "network_nearest" in chosen:
            from . import network_nearest

            figures += network_nearest.run()
        if "planning_coverage" in chosen:
            from . import planning_coverage

            figures += planning_coverage.run()
        if "planning_sites" in chosen:
            from . import planning_sites

            figures += planning_sites.run()
        if "member_import" in chosen:
            from . import member_import

            figures += member_import.run(
                rows=args.import_rows,
                scratch=bench.scratch,
                import_only=args.import_only,
                search_only=args.search_only,
                skip_import_export=args.skip_import_export,
            )
        print()
        print(report.console(figures))
        report.write(
            args.results,
            machine=machine_rows,
            figures=figures,
            runs=runs,
            vendor=bench.vendor,
            build_seconds=build_seconds,
            total_seconds=time.monotonic() - started,
            options={"duration": args.duration, "rounds": args.rounds, "benchmarks": ",".join(chosen)},
        )
        print(f"\nbench: wrote {args.results.name} ({time.monotonic() - started:.0f}s in all)")
        return 0
    finally:
        if not args.keep:
            from django.db import connections

            connections.close_all()
            environment.drop_database(bench)
            shutil.rmtree(bench.scratch, ignore_errors=True)
        else:
            print(f"bench: kept scratch files in {bench.scratch}")


if __name__ == "__main__":
    sys.exit(main())
