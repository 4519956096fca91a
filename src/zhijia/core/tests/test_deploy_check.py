"""`zhijia check --deploy` on the production settings reports nothing: HTTPS, HSTS, secure cookies, a strong secret
key, debug off. Run in a subprocess because the production settings read their secrets at import."""

from __future__ import annotations

import os
import secrets
import subprocess
import sys
from pathlib import Path

import pytest
from cryptography.fernet import Fernet


def _production_env(tmp_path: Path, **extra: str) -> dict[str, str]:
    env = {k: v for k, v in os.environ.items() if not k.startswith(("ZHIJIA_", "DJANGO_"))}
    env.update(
        DJANGO_SETTINGS_MODULE="zhijia.settings.production",
        ZHIJIA_SECRET_KEY=secrets.token_urlsafe(50),
        ZHIJIA_PII_ENCRYPTION_KEYS=f"{Fernet.generate_key().decode()},{Fernet.generate_key().decode()}",
        ZHIJIA_PII_BLIND_INDEX_KEY=secrets.token_hex(32),
        ZHIJIA_CARD_SIGNING_KEY=secrets.token_urlsafe(32),
        ZHIJIA_ALLOWED_HOSTS="zhijia.example.org,www.zhijia.example.org",
        ZHIJIA_VAR_DIR=str(tmp_path),
        ZHIJIA_STATIC_ROOT=str(tmp_path / "static"),
        ZHIJIA_MEDIA_ROOT=str(tmp_path / "media"),
        # Production sends text messages through a provider's gateway (here a stand-in), not the local outbox.
        ZHIJIA_SMS_GATEWAY="zhijia.testing.sms.MemorySmsGateway",
    )
    env.update(extra)
    return env


def _zhijia(env: dict[str, str], *args: str) -> subprocess.CompletedProcess[str]:
    return subprocess.run(  # noqa: S603 (our own interpreter and command)
        [sys.executable, "-m", "zhijia", *args], env=env, capture_output=True, text=True, timeout=120, check=False
    )


@pytest.mark.parametrize("tasks_backend", ["database", "rq"])
def test_deploy_check_is_clean_on_production_settings(tmp_path: Path, tasks_backend: str) -> None:
    # given production settings with every required secret, for either task backend
    env = _production_env(tmp_path, ZHIJIA_TASKS_BACKEND=tasks_backend)

    # when the deploy check runs, failing on anything from a warning up
    result = _zhijia(env, "check", "--deploy", "--fail-level", "WARNING")

    # then it finds nothing to report
    assert result.returncode == 0, result.stdout + result.stderr
    assert "System check identified no issues" in result.stdout
    assert "WARNINGS" not in result.stdout + result.stderr


def test_the_deploy_check_warns_when_production_would_send_sms_to_the_local_outbox(tmp_path: Path) -> None:
    # given production settings that name no SMS provider
    env = _production_env(tmp_path)
    del env["ZHIJIA_SMS_GATEWAY"]

    # when the deploy check runs
    result = _zhijia(env, "check", "--deploy", "--fail-level", "WARNING")

    # then it fails on the warning about the local outbox, and names the variable to set
    assert result.returncode != 0
    assert "zhijia.W001" in result.stdout + result.stderr
    assert "ZHIJIA_SMS_GATEWAY" in result.stdout + result.stderr


def test_production_refuses_to_start_without_its_secrets(tmp_path: Path) -> None:
    # given production settings with the secret key missing
    env = _production_env(tmp_path)
    del env["ZHIJIA_SECRET_KEY"]

    # when any command starts
    result = _zhijia(env, "check")

    # then it stops and names the missing variable
    assert result.returncode != 0
    assert "ZHIJIA_SECRET_KEY" in result.stderr
