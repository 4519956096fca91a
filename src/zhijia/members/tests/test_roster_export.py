"""Roster export: the actor's scope (or a node in it) in the background, masked by default, in full only for roles
that may reveal personal data, and then with an audit row."""

from __future__ import annotations

import csv
import io
from datetime import timedelta

import pytest
from django.test import TestCase
from django.utils import timezone
from openpyxl import load_workbook

from zhijia.audit.models import AuditEvent
from zhijia.core.errors import NotFound, PermissionDenied
from zhijia.jobs.models import Job
from zhijia.members.services.roster_export import roster_export_start
from zhijia.members.services.roster_import import roster_import_run
from zhijia.members.tasks import export_roster

from .roster_support import make_id, row, write_csv


@pytest.fixture
def roster(world, tmp_path):
    """Two members in union A (district X), one in union B (district Y)."""
    roster_import_run(
        actor=None, path=write_csv(tmp_path / "x.csv", [row(1, name="王一"), row(2, name="王二")]), union_code="T-UA"
    )
    roster_import_run(actor=None, path=write_csv(tmp_path / "y.csv", [row(3, name="李三")]), union_code="T-UB")
    return world


def _export(actor, **kwargs) -> Job:
    with TestCase.captureOnCommitCallbacks(execute=False):
        job = roster_export_start(actor=actor, **kwargs)
    export_roster.call(str(job.pk))
    job.refresh_from_db()
    assert job.status == Job.Status.SUCCEEDED
    return job


def _rows(job: Job) -> list[list[str]]:
    if str(job.result_file.name).endswith(".csv"):
        text = job.result_file.read().decode("utf-8-sig")
        return list(csv.reader(io.StringIO(text)))
    sheet = load_workbook(job.result_file.path).worksheets[0]
    return [[str(v) if v is not None else "" for v in r] for r in sheet.iter_rows(values_only=True)]


def test_a_masked_export_lists_the_scope_and_masks_id_numbers_and_phones(roster, media_root):
    job = _export(roster.user("district_x_staff"))

    header, *rows = _rows(job)
    assert header[:3] == ["姓名", "身份证号码", "手机号"]
    assert sorted(r[0] for r in rows) == ["王一", "王二"]  # not district Y's member
    for r in rows:
        assert "*" in r[1]
        assert r[1] not in (make_id(1), make_id(2))
        assert r[1][:6] == "110105"
        assert len(r[1]) == 18
        assert r[2].startswith("139")
        assert "****" in r[2]
    assert not AuditEvent.objects.filter(action="pii.export").exists()
    assert job.result == {"rows": 2, "full": False}


def test_a_full_export_shows_everything_and_writes_an_audit_row(roster, media_root):
    job = _export(roster.user("district_x_staff"), fmt="csv", full=True)

    _header, *rows = _rows(job)
    assert sorted(r[1] for r in rows) == sorted([make_id(1), make_id(2)])
    event = AuditEvent.objects.get(action="pii.export")
    assert (event.actor, event.org, event.changes["format"]) == (
        roster.user("district_x_staff"),
        roster.district_x,
        "csv",
    )


def test_only_a_full_exports_file_counts_as_personal_data_and_expires(roster, media_root, settings):
    settings.JOBS_PERSONAL_FILE_HOURS = 24
    staff = roster.user("district_x_staff")

    full = _export(staff, fmt="csv", full=True)
    masked = _export(staff, fmt="csv")

    assert full.result_personal
    assert full.result_expires_at is not None
    assert timedelta(hours=23) < full.result_expires_at - timezone.now() <= timedelta(hours=24)
    assert (masked.result_personal, masked.result_expires_at) == (False, None)
    assert full.org == roster.district_x


def test_a_read_only_role_may_export_masked_but_not_in_full(roster, media_root):
    readonly = roster.user("district_x_readonly")
    assert len(_rows(_export(readonly))) == 3

    with pytest.raises(PermissionDenied):
        roster_export_start(actor=readonly, full=True)
    assert not AuditEvent.objects.filter(action="pii.export").exists()


def test_a_district_cannot_export_another_districts_subtree(roster, media_root):
    jobs_before = Job.objects.count()

    with pytest.raises(NotFound):
        roster_export_start(actor=roster.user("district_y_staff"), under_id=roster.union_a.pk)

    assert Job.objects.count() == jobs_before


def test_an_export_of_one_union_lists_only_its_members(roster, media_root):
    job = _export(roster.user("city_staff"), under_id=roster.union_b.pk)

    assert [r[0] for r in _rows(job)[1:]] == ["李三"]
