"""Staff export a subtree from a node's page and watch the progress bar fill up until the download is offered."""

from __future__ import annotations

from typing import Any

import pytest
from playwright.sync_api import expect

from zhijia.jobs.models import Job
from zhijia.testing.worker import run_task_worker

pytestmark = pytest.mark.browser


def test_an_export_started_from_a_node_page_reaches_100_percent(page: Any, shot: Any, sign_in: Any, world: Any) -> None:
    staff = world.actor("district_x_staff")
    sign_in(staff)
    page.goto(f"/console/orgs/{world.street_x.pk}/")
    shot("node-page")

    # starts the export: the job's page shows a progress bar, still queued
    page.click("form[action$='/export/'] button")
    page.wait_for_url("**/console/jobs/**")
    bar = page.locator("#job-progress progress")
    expect(bar).to_be_visible()
    shot("queued")

    # the task worker runs the job (between two polls of the page, which keeps asking every second)
    with page.expect_response(lambda r: "/progress/" in r.url):
        pass
    run_task_worker()

    # the page's own polling brings the bar to 100% and offers the file
    expect(bar).to_have_attribute("value", "100")
    expect(page.locator("#job-download")).to_be_visible()
    shot("done")
    job = Job.objects.get(owner=staff)
    assert job.status == Job.Status.SUCCEEDED
    assert job.result == {"rows": 4}  # street X, community X, joint union X, union A
