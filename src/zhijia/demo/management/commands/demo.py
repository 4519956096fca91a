"""`zhijia demo`: build the Beijing demo city and print one login for each role. Running it twice changes nothing."""

import time
from typing import Any

from django.core.management.base import BaseCommand, CommandParser

from zhijia.demo.builder import (
    DEMO_PASSWORD,
    build_activities,
    build_bookings,
    build_logins,
    build_members,
    build_network,
    build_planning,
    build_points,
    build_ratings,
    build_servicemenu,
    build_tree,
)


class Command(BaseCommand):
    help = "Build the Beijing demo city (idempotent) and print the demo logins."

    def add_arguments(self, parser: CommandParser) -> None:
        parser.add_argument(
            "--members", type=int, default=50_000, help="members in the demo city (default 50,000; only ever adds)"
        )

    def handle(self, *args: Any, **options: Any) -> None:
        started = time.monotonic()
        added = build_tree(progress=lambda m: self.stdout.write(f"  {m}"))
        logins = build_logins()
        added.update(build_members(members=options["members"], progress=lambda m: self.stdout.write(f"  {m}")))
        added.update(build_network(progress=lambda m: self.stdout.write(f"  {m}")))
        added.update(build_planning(progress=lambda m: self.stdout.write(f"  {m}")))
        added.update(build_servicemenu(progress=lambda m: self.stdout.write(f"  {m}")))
        added.update(build_bookings(progress=lambda m: self.stdout.write(f"  {m}")))
        added.update(build_activities(progress=lambda m: self.stdout.write(f"  {m}")))
        added.update(build_ratings(progress=lambda m: self.stdout.write(f"  {m}")))
        added.update(build_points(progress=lambda m: self.stdout.write(f"  {m}")))
        self.stdout.write(self.style.SUCCESS(f"Demo city ready in {time.monotonic() - started:.1f}s; added {added}"))
        self.stdout.write(f"\n演示账号 / demo logins (password for all: {DEMO_PASSWORD})")
        for login in logins:
            self.stdout.write(f"  {login.role:<28} {login.username:<16} {login.org}")
        self.stdout.write("\nOpen http://127.0.0.1:8000/  ·  staff console /console/  ·  API docs /api/v1/docs")
