"""Browser journeys: Playwright (sync API) driving Debian's Chromium against the live test server.

When Chromium is missing every journey is skipped with the reason, and the end of the run says so loudly: a run
without a browser has not checked the pages.
"""

from __future__ import annotations

import re
import shutil
from collections.abc import Callable, Iterator
from pathlib import Path
from typing import Any

import pytest
from django.conf import settings as django_settings
from django.test import Client

CHROMIUM_ARGS = [
    "--no-sandbox",
    "--disable-gpu",
    "--disable-background-networking",
    "--disable-component-update",
    "--no-first-run",
    "--disable-sync",
    "--disable-quic",
]
ARTIFACTS = Path(__file__).resolve().parents[2] / "test-artifacts"
TIMEOUT_MS = 15_000

_skipped_for_no_browser: list[str] = []


def chromium_path() -> str | None:
    found = shutil.which("chromium") or "/usr/bin/chromium"
    return found if Path(found).exists() else None


@pytest.fixture(scope="package")
def chromium(django_db_setup: None) -> Iterator[Any]:
    path = chromium_path()
    if path is None:
        reason = "Chromium not found (install Debian's chromium): browser journeys were NOT run"
        _skipped_for_no_browser.append(reason)
        pytest.skip(reason)
    from playwright.sync_api import sync_playwright

    # Playwright's sync API keeps an event loop on this thread while it lives (this package's tests); the tests'
    # own database calls are still plain synchronous ones.
    with pytest.MonkeyPatch.context() as patch, sync_playwright() as playwright:
        patch.setenv("DJANGO_ALLOW_ASYNC_UNSAFE", "true")
        browser = playwright.chromium.launch(executable_path=path, headless=True, args=CHROMIUM_ARGS)
        yield browser
        browser.close()


@pytest.fixture
def page(chromium: Any, live_server: Any, settings: Any, tmp_path: Path) -> Any:
    """A fresh browser tab on the live server, in Chinese, with this test's own SMS outbox and media folder."""
    settings.SMS_OUTBOX = tmp_path / "sms-outbox.jsonl"
    settings.MEDIA_ROOT = tmp_path / "media"
    context = chromium.new_context(base_url=live_server.url, locale="zh-CN", viewport={"width": 1280, "height": 900})
    context.set_default_timeout(TIMEOUT_MS)
    tab = context.new_page()
    yield tab
    context.close()


@pytest.fixture
def sign_in(page: Any, live_server: Any) -> Callable[[Any], None]:
    """Put a signed-in session for `user` into the browser (journeys that are not about signing in start here)."""

    def as_user(user: Any) -> None:
        client = Client()
        client.force_login(user)
        name = django_settings.SESSION_COOKIE_NAME
        page.context.add_cookies([{"name": name, "value": client.cookies[name].value, "url": live_server.url}])

    return as_user


@pytest.fixture
def shot(page: Any, request: pytest.FixtureRequest) -> Callable[[str], Path]:
    """`shot("name")` saves a full-page screenshot to test-artifacts/<test>/<nn>-name.png."""
    folder = ARTIFACTS / re.sub(r"[^\w.-]+", "_", request.node.name)
    shutil.rmtree(folder, ignore_errors=True)
    folder.mkdir(parents=True)
    taken: list[Path] = []

    def take(name: str) -> Path:
        path = folder / f"{len(taken) + 1:02d}-{name}.png"
        page.screenshot(path=str(path), full_page=True)
        taken.append(path)
        return path

    return take


def pytest_terminal_summary(terminalreporter: Any) -> None:
    if _skipped_for_no_browser:
        terminalreporter.write_sep("!", "BROWSER JOURNEYS SKIPPED", red=True, bold=True)
        terminalreporter.write_line(
            "WARNING: Chromium is not installed, so no page was checked in a real browser "
            "(apt-get install chromium, then run the suite again).",
            red=True,
            bold=True,
        )
