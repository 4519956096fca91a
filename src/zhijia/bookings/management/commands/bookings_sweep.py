"""`zhijia bookings_sweep`: release bookings nobody checked in for and pass on lapsed waitlist offers. Idempotent;
a systemd timer runs it every five minutes (docs/deploy.md), so nothing depends on a single deferred task."""

from typing import Any

from django.core.management.base import BaseCommand

from zhijia.bookings.services import bookings_sweep


class Command(BaseCommand):
    help = "Release bookings past their check-in window and pass on lapsed waitlist offers."

    def handle(self, *args: Any, **options: Any) -> None:
        done = bookings_sweep()
        self.stdout.write(f"released {done['released']}, lapsed offers {done['lapsed']}")
