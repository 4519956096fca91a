"""Running the real background worker inside a test, as `zhijia db_worker` runs it beside the web server."""

import signal

from django.core.management import call_command

_SIGNALS = [signal.SIGINT, signal.SIGTERM, *([signal.SIGQUIT] if hasattr(signal, "SIGQUIT") else [])]


def run_task_worker() -> None:
    """Run every queued task with django-tasks-db's own worker, then return.

    Tasks are enqueued when their transaction commits, so the test needs committed rows (a transactional_db
    test, or on-commit callbacks executed). The worker installs signal handlers; the test runner's come back.
    """
    saved = {s: signal.getsignal(s) for s in _SIGNALS}
    try:
        call_command("db_worker", batch=True, startup_delay=False, interval=0, reload=False, verbosity=0)
    finally:
        for s, handler in saved.items():
            signal.signal(s, handler)
