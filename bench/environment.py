"""The benchmarks' own world: throwaway secrets, a scratch directory, and a dedicated database built from scratch
with the migrations and the Beijing demo city. The user's database and var/ are never touched."""

from __future__ import annotations

import os
import secrets
import tempfile
from dataclasses import dataclass
from pathlib import Path
from typing import Any
from urllib.parse import urlsplit, urlunsplit

BENCH_DB_NAME = "zhijia_bench"
REPO_DIR = Path(__file__).resolve().parent.parent


@dataclass
class BenchEnv:
    scratch: Path
    vendor: str  # "postgresql" or "sqlite"
    admin_url: str | None  # the database DATABASE_URL named (PostgreSQL only): used to create and drop ours
    bench_url: str | None
    env: dict[str, str]


def bench_url_for(database_url: str) -> str:
    """The same server as DATABASE_URL, another database."""
    parts = urlsplit(database_url)
    return urlunsplit((parts.scheme, parts.netloc, f"/{BENCH_DB_NAME}", parts.query, parts.fragment))


def prepare(*, scratch: Path | None = None) -> BenchEnv:
    """Point this process (and every process it starts) at the bench world: production settings, throwaway
    secrets, a scratch var directory, and the bench database."""
    from cryptography.fernet import Fernet

    scratch = scratch or Path(tempfile.mkdtemp(prefix="zhijia-bench-"))
    database_url = os.environ.get("DATABASE_URL", "")
    is_pg = database_url.startswith(("postgres://", "postgresql://"))
    env = {
        "DJANGO_SETTINGS_MODULE": "zhijia.settings.production",
        "ZHIJIA_VAR_DIR": str(scratch),
        "ZHIJIA_STATIC_ROOT": str(scratch / "static"),
        "ZHIJIA_MEDIA_ROOT": str(scratch / "media"),
        "ZHIJIA_SECRET_KEY": secrets.token_urlsafe(50),
        "ZHIJIA_PII_ENCRYPTION_KEYS": Fernet.generate_key().decode(),
        "ZHIJIA_PII_BLIND_INDEX_KEY": secrets.token_hex(32),
        "ZHIJIA_CARD_SIGNING_KEY": secrets.token_urlsafe(32),
        "ZHIJIA_ALLOWED_HOSTS": "127.0.0.1",
        "ZHIJIA_SSL_REDIRECT": "0",
        "ZHIJIA_TASKS_BACKEND": "database",
        # No worker recycling in the middle of a timed run (production recycles every few thousand requests).
        "ZHIJIA_MAX_REQUESTS": "0",
        "PYTHONPATH": os.pathsep.join(p for p in [str(REPO_DIR), os.environ.get("PYTHONPATH", "")] if p),
    }
    bench_url = None
    if is_pg:
        bench_url = bench_url_for(database_url)
        env["DATABASE_URL"] = bench_url
    else:
        os.environ.pop("DATABASE_URL", None)  # production settings then use SQLite in the scratch directory
    os.environ.update(env)
    return BenchEnv(
        scratch=scratch,
        vendor="postgresql" if is_pg else "sqlite",
        admin_url=database_url if is_pg else None,
        bench_url=bench_url,
        env=env,
    )


def recreate_database(bench: BenchEnv) -> None:
    """A fresh, empty bench database (PostgreSQL); the SQLite file lives in the fresh scratch directory."""
    if bench.vendor != "postgresql":
        return
    import psycopg
    from psycopg import sql

    assert bench.admin_url is not None
    with psycopg.connect(bench.admin_url, autocommit=True) as conn:
        conn.execute(sql.SQL("DROP DATABASE IF EXISTS {} WITH (FORCE)").format(sql.Identifier(BENCH_DB_NAME)))
        conn.execute(sql.SQL("CREATE DATABASE {}").format(sql.Identifier(BENCH_DB_NAME)))


def drop_database(bench: BenchEnv) -> None:
    if bench.vendor != "postgresql":
        return
    import psycopg
    from psycopg import sql

    assert bench.admin_url is not None
    with psycopg.connect(bench.admin_url, autocommit=True) as conn:
        conn.execute(sql.SQL("DROP DATABASE IF EXISTS {} WITH (FORCE)").format(sql.Identifier(BENCH_DB_NAME)))


BENCH_MEMBERS = 10_000  # the demo has 50,000; the card is found by its owner's id, so the count hardly matters


def build_data(*, progress: Any = print) -> dict[str, Any]:
    """Migrations, the demo city with its logins, service network and members (the demo worker among them, with a
    card), and one API token for the demo worker."""
    from django.core.management import call_command
    from django.db import connection

    from zhijia.accounts.models import User
    from zhijia.accounts.services import api_token_issue
    from zhijia.demo.builder import build_logins, build_members, build_network, build_tree

    call_command("migrate", interactive=False, verbosity=0)
    say = lambda m: progress(f"  demo: {m}")  # noqa: E731
    added = build_tree(progress=say)
    build_logins()
    added.update(build_network(progress=say))
    added.update(build_members(members=BENCH_MEMBERS, progress=say))
    worker = User.objects.get(username="worker-demo")
    _, token = api_token_issue(user=worker)
    # Fresh statistics (and, on PostgreSQL, a visibility map) as a long-running database would have them.
    with connection.cursor() as cursor:
        cursor.execute("VACUUM ANALYZE" if connection.vendor == "postgresql" else "ANALYZE")
    return {"added": added, "worker_token": token}
