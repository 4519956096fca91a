"""`zhijia backup` then `zhijia restore` gives back every row of every table, keys and stored bytes included, and
restore refuses anything but an empty database."""

from __future__ import annotations

import gzip
import hashlib
import itertools
import json
import os
import subprocess
import sys
from pathlib import Path

import pytest
from django.apps import apps
from django.conf import settings
from django.core.management import call_command
from django.core.management.base import CommandError
from django.db import connection, connections
from django.db.models import Model

from zhijia.accounts.models import User
from zhijia.accounts.services import api_token_issue
from zhijia.audit.models import AuditEvent
from zhijia.audit.services import audit_record
from zhijia.core import context
from zhijia.organizations.models import Organization
from zhijia.organizations.services import OrgSpec, org_append_children
from zhijia.testing.world import World

pytestmark = pytest.mark.django_db(transaction=True)


def _tables(using: str = "default") -> list[type[Model]]:
    existing = set(connections[using].introspection.table_names())
    return [
        m
        for m in apps.get_models(include_auto_created=True)
        if m._meta.managed and not m._meta.proxy and m._meta.db_table in existing
    ]


def _stored_rows(using: str = "default") -> dict[str, tuple[int, str]]:
    """Per table: the row count and a SHA-256 of the rows exactly as the database returns them."""
    conn = connections[using]
    qn = conn.ops.quote_name
    out = {}
    with conn.cursor() as cursor:
        for model in _tables(using):
            assert model._meta.pk is not None
            cursor.execute(
                f"SELECT * FROM {qn(model._meta.db_table)} ORDER BY {qn(str(model._meta.pk.column))}"  # noqa: S608
            )
            rows = cursor.fetchall()
            out[model._meta.label_lower] = (len(rows), hashlib.sha256(repr(rows).encode()).hexdigest())
    return out


@pytest.fixture
def populated(world: World) -> World:
    """The test world, plus audit events (with an address and non-ASCII changes), an API token, more nodes."""
    worker = world.actor("worker")
    assert isinstance(worker, User)
    api_token_issue(user=worker)
    org_append_children(
        actor=None,
        parent=world.street_x,
        specs=[OrgSpec(f"T-BK{i}", f"备份测试{i}号公司工会", "enterprise_union") for i in range(30)],
    )
    with context.bound(context.RequestMeta(ip="203.0.113.7", user_agent="pytest")):
        for i in range(25):
            audit_record(
                actor=world.actor("city_staff"),
                action="test.backup",
                obj=world.union_a,
                org=world.union_a,
                changes={"名称": ["旧名", f"新名{i}"], "n": i, "flag": i % 2 == 0, "nested": {"list": [1, 2.5, None]}},
            )
    return world


@pytest.fixture
def backup_file(tmp_path: Path) -> Path:
    return tmp_path / "zhijia.jsonl.gz"


def _production_env(var_dir: Path) -> dict[str, str]:
    """Another process on the production settings with this one's keys, its database a new SQLite file."""
    var_dir.mkdir()
    env = {k: v for k, v in os.environ.items() if not k.startswith(("ZHIJIA_", "DJANGO_", "DATABASE_URL"))}
    env.update(
        DJANGO_SETTINGS_MODULE="zhijia.settings.production",
        ZHIJIA_SECRET_KEY=settings.SECRET_KEY,
        ZHIJIA_PII_ENCRYPTION_KEYS=",".join(settings.PII_ENCRYPTION_KEYS),
        ZHIJIA_PII_BLIND_INDEX_KEY=settings.PII_BLIND_INDEX_KEY,
        ZHIJIA_CARD_SIGNING_KEY=settings.CARD_SIGNING_KEY,
        ZHIJIA_ALLOWED_HOSTS="testserver",
        ZHIJIA_VAR_DIR=str(var_dir),
    )
    return env


def _zhijia(env: dict[str, str], *args: str) -> str:
    result = subprocess.run(  # noqa: S603 (our own interpreter and command)
        [sys.executable, "-m", "zhijia", *args], env=env, capture_output=True, text=True, timeout=300, check=False
    )
    assert result.returncode == 0, result.stdout + result.stderr
    return result.stdout


def _table_footers(path: Path) -> dict[str, tuple[int, str]]:
    """Per table, the row count and checksum a backup file gives for it (its values in portable form)."""
    with gzip.open(path, "rt", encoding="utf-8") as f:
        footers = [json.loads(line) for line in f if line.startswith('{"end"')]
    return {item["end"]: (item["rows"], item["sha256"]) for item in footers}


def test_restore_into_an_emptied_database_gives_back_every_row_as_stored(populated: World, backup_file: Path) -> None:
    # given a populated database and its backup
    before = _stored_rows()
    assert before["audit.auditevent"][0] >= 25
    assert before["organizations.organization"][0] >= 40
    call_command("backup", str(backup_file))

    # when the database is emptied and the backup restored into it
    call_command("flush", interactive=False)
    assert Organization.objects.count() == 0
    call_command("restore", str(backup_file))

    # then every table has the same rows, byte for byte, with the same keys
    assert _stored_rows() == before
    # and new rows get keys after the restored ones (sequences were reset)
    city = Organization.objects.get(code="T-CITY")
    spec = OrgSpec("T-NEW", "新区总工会", "district_federation")
    (node,), _ = org_append_children(actor=None, parent=city, specs=[spec])
    assert node.pk > max(Organization.objects.exclude(pk=node.pk).values_list("pk", flat=True))
    event = audit_record(actor=None, action="test.after_restore", obj=node)
    assert event.pk > max(AuditEvent.objects.exclude(pk=event.pk).values_list("pk", flat=True))


def test_restore_into_a_new_database_of_another_kind_gives_back_every_row(
    populated: World, backup_file: Path, tmp_path: Path
) -> None:
    # given a backup of the default database (PostgreSQL or SQLite)
    call_command("backup", str(backup_file))

    # when it is restored into a new SQLite database that has no tables yet, and that one is backed up in turn
    env = _production_env(tmp_path / "elsewhere")
    _zhijia(env, "restore", str(backup_file))
    again = tmp_path / "again.jsonl.gz"
    _zhijia(env, "backup", str(again))

    # then every table has the same rows there, value for value
    original = _table_footers(backup_file)
    assert original["organizations.organization"][0] >= 40
    assert _table_footers(again) == original
    # and personal data decrypts there as it did here
    phone = _zhijia(
        env, "shell", "-c", "from zhijia.accounts.models import User; print(User.objects.get(username='worker').phone)"
    )
    assert phone.strip().splitlines()[-1] == "13800000001"


def test_encrypted_columns_stay_encrypted_in_the_backup(populated: World, backup_file: Path) -> None:
    # given a worker whose phone is stored encrypted
    with connection.cursor() as cursor:
        cursor.execute("SELECT phone FROM accounts_user WHERE username = %s", ["worker"])
        (stored,) = cursor.fetchone()
    assert stored
    assert stored != "13800000001"

    # when the database is backed up
    call_command("backup", str(backup_file))

    # then the file holds the ciphertext as stored, never the number itself
    with gzip.open(backup_file, "rt", encoding="utf-8") as f:
        text = f.read()
    assert stored in text
    assert "13800000001" not in text
    # and it is readable by its owner only
    assert backup_file.stat().st_mode & 0o077 == 0


def test_restore_refuses_a_database_that_is_not_empty(populated: World, backup_file: Path) -> None:
    # given a backup and the database it came from, still populated
    call_command("backup", str(backup_file))
    before = _stored_rows()

    # when it is restored over that database
    with pytest.raises(CommandError, match="not empty") as refused:
        call_command("restore", str(backup_file))

    # then the refusal names a table with rows, and nothing changed
    assert "organizations.organization" in str(refused.value)
    assert _stored_rows() == before


def test_a_truncated_backup_restores_nothing(populated: World, backup_file: Path, tmp_path: Path) -> None:
    # given a backup cut off in the middle
    call_command("backup", str(backup_file))
    with gzip.open(backup_file, "rt", encoding="utf-8") as f:
        lines = f.readlines()
    truncated = tmp_path / "truncated.jsonl.gz"
    with gzip.open(truncated, "wt", encoding="utf-8") as f:
        f.writelines(itertools.islice(lines, len(lines) * 2 // 3))
    call_command("flush", interactive=False)
    emptied = _stored_rows()

    # when it is restored
    with pytest.raises(CommandError, match=r"incomplete|damaged"):
        call_command("restore", str(truncated))

    # then the database is exactly as empty as before
    assert _stored_rows() == emptied


def test_backup_never_overwrites_a_file(populated: World, backup_file: Path) -> None:
    backup_file.write_text("keep me")

    with pytest.raises(CommandError, match="already exists"):
        call_command("backup", str(backup_file))

    assert backup_file.read_text() == "keep me"


def test_restore_refuses_a_backup_made_at_other_migrations(populated: World, backup_file: Path, tmp_path: Path) -> None:
    # given a backup whose header says it was made at a migration this release does not have
    call_command("backup", str(backup_file))
    with gzip.open(backup_file, "rt", encoding="utf-8") as f:
        header, *rest = f.readlines()
    meta = json.loads(header)
    meta["migrations"].append(["organizations", "9999_from_the_future"])
    future = tmp_path / "future.jsonl.gz"
    with gzip.open(future, "wt", encoding="utf-8") as f:
        f.write(json.dumps(meta) + "\n")
        f.writelines(rest)
    call_command("flush", interactive=False)
    emptied = _stored_rows()

    # when it is restored
    with pytest.raises(CommandError, match="not at the migrations") as refused:
        call_command("restore", str(future))

    # then the refusal names the migration, and nothing was written
    assert "9999_from_the_future" in str(refused.value)
    assert _stored_rows() == emptied
