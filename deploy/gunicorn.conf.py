"""Gunicorn for Zhijia (`gunicorn -c deploy/gunicorn.conf.py`). Every value can be overridden from the
environment, so one file serves one machine, many machines and the benchmarks alike.

Sync workers: each request is CPU-bound Django with short database queries, nginx in front buffers slow
clients, so one process per request at a time is the simplest and fastest model. Scale with processes.
"""

import multiprocessing
import os

wsgi_app = os.environ.get("ZHIJIA_WSGI_APP", "zhijia.wsgi:application")
# One machine: a UNIX socket nginx talks to. Several: a private address the load balancer reaches.
bind = os.environ.get("ZHIJIA_BIND", "127.0.0.1:8000").split(",")
# Two per core plus one keeps every core busy while some workers wait on the database.
workers = int(os.environ.get("ZHIJIA_WEB_WORKERS", multiprocessing.cpu_count() * 2 + 1))
worker_class = os.environ.get("ZHIJIA_WORKER_CLASS", "sync")
threads = int(os.environ.get("ZHIJIA_WEB_THREADS", "1"))
# Listen queue: bursts wait in the kernel for a free worker instead of being refused.
backlog = int(os.environ.get("ZHIJIA_BACKLOG", "2048"))
timeout = int(os.environ.get("ZHIJIA_WEB_TIMEOUT", "30"))
graceful_timeout = 30
keepalive = 5
# Recycle workers now and then so a slow leak never grows without bound; the jitter avoids all at once.
max_requests = int(os.environ.get("ZHIJIA_MAX_REQUESTS", "5000"))
max_requests_jitter = max_requests // 10
# Off, so that `systemctl reload` (SIGHUP) starts workers on the new code and retires the old ones gracefully.
# ZHIJIA_PRELOAD=1 loads Django once in the master instead (less memory; code changes then need a restart).
preload_app = os.environ.get("ZHIJIA_PRELOAD", "0") == "1"
# gunicorn honours X-Forwarded-* only from these proxies (nginx; with several machines, its addresses). Django
# trusts X-Forwarded-Proto from whoever reaches gunicorn, so gunicorn must never be reachable but through nginx.
forwarded_allow_ips = os.environ.get("ZHIJIA_FORWARDED_ALLOW_IPS", "127.0.0.1")
# nginx keeps the access log; gunicorn writes errors only unless asked.
accesslog = os.environ.get("ZHIJIA_ACCESS_LOG") or None
errorlog = "-"
loglevel = os.environ.get("ZHIJIA_LOG_LEVEL", "info")
proc_name = "zhijia"


def post_worker_init(worker: object) -> None:
    """Build the per-process caches before the worker takes its first request: the finder's nearest-point index
    takes seconds to load, and without this the first visitor after every start or recycle of a worker waits."""
    import logging

    log = logging.getLogger("gunicorn.error")
    try:
        from zhijia.network.nearest import current_index
    except ImportError:  # a release without the finder
        return
    try:
        current_index()
    except Exception:  # the index then loads on first use: a worker must start without it
        log.warning("finder index not preloaded; it will load on first use", exc_info=True)
