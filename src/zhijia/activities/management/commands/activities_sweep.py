"""`zhijia activities_sweep`: pass on lapsed waitlist offers and send reminders whose deferred task was lost.
Idempotent; run it every few minutes (deploy/systemd/zhijia-activities-sweep.timer) so nothing depends on a single
deferred task."""

from typing import Any

from django.core.management.base import BaseCommand

from zhijia.activities.services import offers_expire_due, reminders_due


class Command(BaseCommand):
    help = "Pass on lapsed waitlist offers of activities and send reminders that are due."

    def handle(self, *args: Any, **options: Any) -> None:
        lapsed = offers_expire_due()
        reminded = reminders_due()
        self.stdout.write(f"lapsed offers {lapsed}, reminders sent {reminded}")
