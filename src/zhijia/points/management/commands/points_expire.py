"""`zhijia points_expire`: write the expiry entries of points whose validity has ended (run daily, see
deploy/systemd/zhijia-points-expire.timer). Safe to run again: what already expired is not expired twice."""

from __future__ import annotations

import datetime as dt
from typing import Any

from django.core.management.base import BaseCommand, CommandParser

from zhijia.points.services import points_expire


class Command(BaseCommand):
    help = "Write the expiry entries of member points whose validity has ended (idempotent)."

    def add_arguments(self, parser: CommandParser) -> None:
        parser.add_argument("--today", type=dt.date.fromisoformat, default=None, help="as if today were (YYYY-MM-DD)")

    def handle(self, *args: Any, **options: Any) -> None:
        count = points_expire(today=options["today"])
        self.stdout.write(f"points expired for {count} account(s)")
