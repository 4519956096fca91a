"""Importing density layers and candidate lists: good files land whole, a file with bad rows is refused whole with a
reason naming each row, and nobody imports into another district."""

from __future__ import annotations

import pytest
from django.test import TestCase

from zhijia.core.errors import NotFound, PermissionDenied
from zhijia.jobs.models import Job
from zhijia.planning import files, services
from zhijia.planning.models import CandidateList, CandidateSite, DensityLayer, DensityPoint, ImportStatus

from .planning_support import finish

GOOD = "经度,纬度,人数,街道编码\n116.40,39.90,120,T-XS\n116.41,39.91,30,\n"
BAD = "经度,纬度,人数\n116.40,39.90,120\nabc,39.90,5\n116.41,39.91,-3\n39.9,116.4,7\n116.42,39.92,2.5\n"


def _import(world, content: str, actor="district_x_staff", owner=None, **kw):
    with TestCase.captureOnCommitCallbacks(execute=False):
        layer = services.density_layer_import(
            actor=world.user(actor),
            owner_id=(owner or world.district_x).pk,
            name="外卖骑手分布",
            content=content.encode(),
            **kw,
        )
    assert layer.job is not None
    return layer, finish(layer.job)


def test_a_good_layer_lands_with_its_counts_and_streets(world, media_root):
    layer, job = _import(world, GOOD)

    layer.refresh_from_db()
    assert (layer.status, layer.rows, layer.workers) == (ImportStatus.READY, 2, 150)
    assert job.status == Job.Status.SUCCEEDED
    assert sorted(DensityPoint.objects.filter(layer=layer).values_list("workers", "area_id")) == [
        (30, None),
        (120, world.street_x.pk),
    ]
    assert not list((media_root / "planning-imports").iterdir())  # the upload is gone once read


def test_a_file_with_bad_rows_is_refused_whole_and_says_which_rows(world, media_root):
    layer, job = _import(world, BAD)

    layer.refresh_from_db()
    assert layer.status == ImportStatus.FAILED
    assert not DensityPoint.objects.exists()
    assert job.result["reasons"] == [
        "第 3 行：经度不是数字。",
        "第 4 行：人数应为不小于 0 的整数。",
        "第 5 行：位置不在中国境内，请检查经纬度是否填反。",
        "第 6 行：人数应为不小于 0 的整数。",
    ]
    assert job.message == "第 3 行：经度不是数字。"


def test_a_street_code_outside_the_owner_is_refused(world, media_root):
    layer, job = _import(world, "经度,纬度,人数,街道编码\n116.40,39.90,1,T-YS\n")

    layer.refresh_from_db()
    assert layer.status == ImportStatus.FAILED
    assert "T-YS" in job.result["error"]


def test_gcj02_coordinates_are_stored_as_wgs84(world, media_root):
    layer, _ = _import(world, "lng,lat,workers\n116.40,39.90,1\n", system="gcj02")

    point = DensityPoint.objects.get(layer=layer)
    # Beijing's GCJ-02 offset is a few hundred metres to the north-east
    assert 116.39 < point.lng < 116.40
    assert 39.898 < point.lat < 39.90


def test_files_without_the_required_columns_or_rows_are_refused():
    with pytest.raises(files.PlanningFileError, match="人数"):
        files.read_density("经度,纬度\n116.4,39.9\n".encode())
    with pytest.raises(files.PlanningFileError, match="没有数据行"):
        files.read_density("经度,纬度,人数\n".encode())
    # a GBK file from Excel reads the same
    rows = files.read_candidates("名称,经度,纬度,类别\n朝外邮政支局,116.44,39.92,邮政网点\n".encode("gb18030"))
    assert (rows.name, rows.category) == (["朝外邮政支局"], ["邮政网点"])
    rows = files.read_candidates("名称,经度,纬度\n,116.44,39.92\n".encode())
    assert rows.errors == ["第 2 行：名称不能为空。"]


def test_candidates_import(world, media_root):
    with TestCase.captureOnCommitCallbacks(execute=False):
        candidates = services.candidate_list_import(
            actor=world.user("district_x_staff"),
            owner_id=world.street_x.pk,
            name="邮政网点",
            content=files.candidates_template().encode(),
        )
    assert candidates.job is not None
    finish(candidates.job)
    candidates.refresh_from_db()
    assert candidates.status == ImportStatus.READY
    assert list(CandidateSite.objects.values_list("name", "category")) == [("朝外邮政支局", "邮政网点")]


def test_nobody_imports_into_another_district_or_without_the_right(world, media_root):
    with pytest.raises(NotFound):
        _import(world, GOOD, actor="district_y_staff", owner=world.district_x)
    with pytest.raises(PermissionDenied):
        _import(world, GOOD, actor="district_x_readonly")
    with pytest.raises(NotFound):
        _import(world, GOOD, actor="worker")
    assert not DensityLayer.objects.exists()
    assert not CandidateList.objects.exists()


def test_work_locations_land_for_members_in_scope_and_update_old_ones(world, media_root):
    from zhijia.planning.models import WorkerLocation

    from .planning_support import workers_at

    a, b = (loc.membership for loc in workers_at(world.union_a, [(0.0, 0.0), (10.0, 0.0)]))
    WorkerLocation.objects.filter(membership=b).delete()
    content = f"会员号,经度,纬度\n{a.member_no},116.41,39.91\n{b.member_no},116.42,39.92\n".encode()
    with TestCase.captureOnCommitCallbacks(execute=False):
        job = services.worker_locations_import(
            actor=world.user("district_x_staff"), owner_id=world.district_x.pk, content=content
        )

    job = finish(job)

    assert (job.result["added"], job.result["updated"]) == (1, 1)
    assert WorkerLocation.objects.get(membership=a).lnglat == pytest.approx((116.41, 39.91))
    assert WorkerLocation.objects.get(membership=b).source == WorkerLocation.Source.IMPORT


def test_work_locations_of_members_elsewhere_are_refused_by_row(world, media_root):
    from zhijia.planning.models import WorkerLocation

    from .planning_support import workers_at

    (y_member,) = (loc.membership for loc in workers_at(world.union_b, [(0.0, 0.0)]))
    before = list(WorkerLocation.objects.values_list("pk", "position"))
    content = f"会员号,经度,纬度\nNOPE,116.41,39.91\n{y_member.member_no},116.42,39.92\n".encode()
    with TestCase.captureOnCommitCallbacks(execute=False):
        job = services.worker_locations_import(
            actor=world.user("district_x_staff"), owner_id=world.district_x.pk, content=content
        )

    job = finish(job)

    assert job.result["reasons"] == [
        "第 2 行：会员号 NOPE 不存在、已不在会，或不在本组织范围内。",
        f"第 3 行：会员号 {y_member.member_no} 不存在、已不在会，或不在本组织范围内。",
    ]
    assert list(WorkerLocation.objects.values_list("pk", "position")) == before
