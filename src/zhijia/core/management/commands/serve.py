"""`zhijia serve`: the web server and the background task worker together, for a single machine or the demo."""

import atexit
import os
import signal
import subprocess
import sys
from typing import Any

from django.core.management import call_command
from django.core.management.base import BaseCommand


class Command(BaseCommand):
    help = "Run the development web server and the background task worker side by side."

    def add_arguments(self, parser: Any) -> None:
        parser.add_argument("addrport", nargs="?", default="127.0.0.1:8000")

    def handle(self, *args: Any, **options: Any) -> None:
        env = dict(os.environ)
        worker = subprocess.Popen([sys.executable, "-m", "zhijia", "db_worker", "--interval", "0.5"], env=env)
        self.stdout.write(f"background worker started (pid {worker.pid})")

        def stop_worker() -> None:
            if worker.poll() is None:
                worker.send_signal(signal.SIGTERM)
                try:
                    worker.wait(timeout=10)
                except subprocess.TimeoutExpired:
                    worker.kill()

        atexit.register(stop_worker)
        try:
            call_command("runserver", options["addrport"], use_reloader=False)
        finally:
            stop_worker()
