"""`zhijia servicemenu_sweep`: send the reminders of scheduled services whose deferred task was lost. Idempotent; run
it every few minutes (deploy/systemd/zhijia-servicemenu-sweep.timer) so nothing depends on a single deferred task."""

from typing import Any

from django.core.management.base import BaseCommand

from zhijia.servicemenu.services import order_reminders_due


class Command(BaseCommand):
    help = "Send the reminders of scheduled services that are due."

    def handle(self, *args: Any, **options: Any) -> None:
        reminded = order_reminders_due()
        self.stdout.write(f"reminders sent {reminded}")
