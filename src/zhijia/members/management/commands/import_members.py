"""`zhijia import_members FILE --union CODE [--all-or-nothing]`: import a roster as the system.

`--union` is both the union for rows without a 工会编码 and the subtree the file may import into. Prints how many
rows were accepted and rejected, writes the rejected rows (with the reason on each) next to the file, and exits
non-zero when nothing was imported.
"""

from __future__ import annotations

import time
from pathlib import Path
from typing import Any

from django.core.management.base import BaseCommand, CommandError, CommandParser

from zhijia.core.errors import ZhijiaError
from zhijia.members import roster_files
from zhijia.members.services.roster_import import roster_import_run


class _Printer:
    def __init__(self, command: BaseCommand):
        self.command = command
        self.last = 0.0

    def set(self, done: int, total: int | None = None, message: str = "") -> None:
        now = time.monotonic()
        if message or now - self.last > 2:
            self.last = now
            self.command.stderr.write(f"  {done:,}/{total or 0:,} {message}".rstrip())


class Command(BaseCommand):
    help = "Import a roster (CSV or XLSX) into the subtree of a union, as the system."

    def add_arguments(self, parser: CommandParser) -> None:
        parser.add_argument("file", type=Path)
        parser.add_argument(
            "--union", required=True, help="code of the default union and of the subtree to import into"
        )
        parser.add_argument("--all-or-nothing", action="store_true", help="write nothing when any row is rejected")
        parser.add_argument("--workers", type=int, default=None, help="checking processes (default: 2 for big files)")

    def handle(self, *args: Any, **options: Any) -> None:
        path: Path = options["file"]
        if not path.is_file():
            raise CommandError(f"no such file: {path}")
        started = time.monotonic()
        try:
            result = roster_import_run(
                actor=None,
                path=path,
                union_code=options["union"],
                all_or_nothing=options["all_or_nothing"],
                filename=path.name,
                progress=_Printer(self) if options["verbosity"] > 1 else None,
                workers=options["workers"],
            )
        except roster_files.RosterFileError as exc:
            raise CommandError(str(exc)) from None
        except ZhijiaError as exc:
            raise CommandError(f"{exc.code}: {exc.message}") from None
        seconds = time.monotonic() - started
        self.stdout.write(f"accepted: {result.accepted}")
        self.stdout.write(f"rejected: {result.rejected}")
        self.stdout.write(f"imported: {result.written}")
        if result.rejects:
            target = path.with_name(f"{path.stem}.rejected.xlsx")
            target.write_bytes(roster_files.rejects_xlsx(result.rejects))
            self.stdout.write(f"rejected rows: {target}")
        self.stdout.write(f"{result.total:,} rows in {seconds:.1f}s ({result.total / max(seconds, 1e-9):,.0f} rows/s)")
        if result.message:
            self.stdout.write(result.message)
        if not result.written:
            raise CommandError("nothing was imported")
