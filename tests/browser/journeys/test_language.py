"""Anyone can switch the pages to English, and back."""

from __future__ import annotations

from typing import Any

import pytest
from playwright.sync_api import expect

pytestmark = pytest.mark.browser


def test_switching_to_english_changes_the_page_language(page: Any, shot: Any) -> None:
    page.goto("/")
    expect(page.locator("html")).to_have_attribute("lang", "zh-hans")
    shot("chinese")

    with page.expect_navigation():
        page.select_option("select[name=language]", "en")

    expect(page.locator("html")).to_have_attribute("lang", "en")
    shot("english")
