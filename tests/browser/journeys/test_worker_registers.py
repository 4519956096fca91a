"""A worker joins from a phone: types the number, gets a code by SMS, registers, and is signed in."""

from __future__ import annotations

from typing import Any

import pytest
from playwright.sync_api import expect

from zhijia.accounts.models import User
from zhijia.testing.sms import last_code

pytestmark = pytest.mark.browser

PHONE = "13800000099"


def test_a_worker_registers_with_an_sms_code_and_lands_signed_in(page: Any, shot: Any) -> None:
    page.goto("/accounts/register/")
    expect(page.locator("h1")).to_have_text("职工注册")
    shot("register-form")

    # asks for a code: htmx posts the phone and shows the answer without leaving the page
    page.fill("#id_phone", PHONE)
    page.click("#send-code")
    expect(page.locator("#code-status")).to_contain_text("验证码已发送")
    shot("code-sent")

    # reads the code from the SMS the platform sent, and registers
    page.fill("#id_code", last_code(PHONE))
    page.fill("#id_display_name", "孙师傅")
    page.fill("#id_password", "Spring-river-2026")
    page.click("#register-form button[type=submit]")

    # lands on the front page, signed in under the new name
    page.wait_for_url("**/")
    expect(page.locator(".messages")).to_contain_text("注册成功")
    expect(page.locator(".topnav")).to_contain_text("孙师傅")
    shot("signed-in")
    assert User.objects.filter(display_name="孙师傅", kind=User.Kind.WORKER).count() == 1
