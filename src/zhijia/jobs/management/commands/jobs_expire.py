"""`zhijia jobs_expire`: delete the job result files holding personal data whose time is up (run hourly, see
deploy/systemd/zhijia-jobs-expire.timer). Safe to run again: a file is deleted once."""

from __future__ import annotations

from typing import Any

from django.core.management.base import BaseCommand

from zhijia.jobs.services import job_files_expire


class Command(BaseCommand):
    help = "Delete the job result files holding personal data that have expired (idempotent)."

    def handle(self, *args: Any, **options: Any) -> None:
        count = job_files_expire()
        self.stdout.write(f"job result files expired: {count}")
