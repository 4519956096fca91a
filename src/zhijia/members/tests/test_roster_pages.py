"""The roster file pages and API: upload a roster and land on the job page, download the template, start an
export; another district's union is missing (404) and nothing changes."""

from __future__ import annotations

import io

from django.core.files.uploadedfile import SimpleUploadedFile
from django.urls import reverse
from openpyxl import load_workbook

from zhijia.jobs.models import Job
from zhijia.members.roster_files import header_labels

from .roster_support import row, write_csv


def _upload(tmp_path, rows) -> SimpleUploadedFile:
    path = write_csv(tmp_path / "roster.csv", rows)
    return SimpleUploadedFile("roster.csv", path.read_bytes(), content_type="text/csv")


def test_the_import_page_starts_a_job_and_shows_its_progress(world, client_as, tmp_path, media_root):
    client = client_as(world.user("district_x_staff"))
    assert client.get(reverse("roster_files:import")).status_code == 200

    response = client.post(
        reverse("roster_files:import"),
        {"file": _upload(tmp_path, [row(1)]), "mode": "all_or_nothing", "union_code": "T-UA"},
    )

    job = Job.objects.get(kind="member.import")
    assert response.status_code == 302
    assert response["Location"] == reverse("jobs:detail", args=[job.pk])
    assert job.params["all_or_nothing"] is True
    assert job.params["default_union_id"] == world.union_a.pk
    assert (media_root / job.params["file"]).exists()


def test_another_districts_union_is_missing_and_nothing_is_started(world, client_as, tmp_path, media_root):
    client = client_as(world.user("district_y_staff"))

    response = client.post(
        reverse("roster_files:import"),
        {"file": _upload(tmp_path, [row(1)]), "mode": "accept_valid", "union_code": "T-UA"},
    )

    assert response.status_code == 404
    assert not Job.objects.exists()
    assert not (media_root / "roster-imports").exists()


def test_the_template_has_the_header_and_an_example_row(world, client_as):
    response = client_as(world.user("union_a_staff")).get(reverse("roster_files:template"))

    sheet = load_workbook(io.BytesIO(response.content)).worksheets[0]
    header, example = list(sheet.iter_rows(values_only=True))
    assert list(header) == header_labels()
    assert example[0] == "张伟"
    assert example[1] == "11010519491231002X"


def test_the_export_page_starts_a_masked_export(world, client_as, media_root):
    client = client_as(world.user("district_x_readonly"))
    assert client.get(reverse("roster_files:export")).status_code == 200

    response = client.post(reverse("roster_files:export"), {"under_code": "T-XS", "format": "csv"})

    job = Job.objects.get(kind="member.export")
    assert response["Location"] == reverse("jobs:detail", args=[job.pk])
    assert job.params == {"org_id": world.street_x.pk, "format": "csv", "full": False}


def test_an_export_under_an_organisation_that_is_no_id_is_not_found_and_starts_nothing(world, client_as, media_root):
    client = client_as(world.user("district_x_readonly"))

    response = client.post(reverse("roster_files:export"), {"under_id": "²", "format": "csv"})

    assert response.status_code == 404
    assert "找不到该记录，或您无权查看。" in response.content.decode()
    assert not Job.objects.exists()


def test_the_api_imports_a_multipart_upload(world, client_as, tmp_path, media_root):
    client = client_as(world.user("union_a_staff"))

    response = client.post("/api/v1/roster/import", {"file": _upload(tmp_path, [row(1)]), "union_code": "T-UA"})

    assert response.status_code == 202, response.content
    assert response.json()["url"] == reverse("jobs:detail", args=[response.json()["id"]])


def test_the_api_refuses_an_import_without_a_file_after_the_scope_check(world, client_as):
    assert client_as(world.user("union_a_staff")).post("/api/v1/roster/import").status_code == 400
    assert client_as(world.user("worker")).post("/api/v1/roster/import").status_code == 404
