"""HTTP for the organisation tree."""

from django.http import HttpRequest
from ninja import Field, Query, Router, Schema
from ninja.pagination import paginate

from zhijia.core.api import PageMapped, Pagination, with_errors

from . import selectors, services
from .models import Organization, OrgKind, OrgLevel

router = Router(tags=["organizations"])


class OrgOut(Schema):
    id: int
    code: str
    name: str
    level: str
    kind: str
    kind_label: str
    division_code: str
    parent_id: int | None
    depth: int
    children: int
    contact_name: str
    contact_phone: str
    address: str
    is_active: bool


class OrgWithSizeOut(OrgOut):
    subtree_size: int


class OrgStatsOut(Schema):
    id: int
    total_below: int
    by_kind: dict[str, int]


class OrgFilters(Schema):
    parent_id: int | None = Field(None, description="只列出该组织的直接下级")
    under_id: int | None = Field(None, description="列出该组织之下的全部组织")
    kind: OrgKind | None = None
    level: OrgLevel | None = None
    search: str | None = Field(None, max_length=60, description="名称包含")


class OrgCreateIn(Schema):
    parent_id: int
    code: str = Field(..., min_length=1, max_length=40)
    name: str = Field(..., min_length=1, max_length=120)
    kind: OrgKind
    division_code: str = Field("", max_length=12)
    contact_name: str = Field("", max_length=60)
    contact_phone: str = Field("", max_length=30)
    address: str = Field("", max_length=200)


class OrgUpdateIn(Schema):
    name: str | None = Field(None, min_length=1, max_length=120)
    contact_name: str | None = Field(None, max_length=60)
    contact_phone: str | None = Field(None, max_length=30)
    address: str | None = Field(None, max_length=200)
    is_active: bool | None = None


class OrgMoveIn(Schema):
    new_parent_id: int


class JobRef(Schema):
    id: str
    status: str


def _parent_ids(orgs: list[Organization]) -> dict[str, int]:
    paths = {o.path[: -Organization.steplen] for o in orgs if o.depth > 1}
    return dict(Organization.objects.filter(path__in=paths).values_list("path", "pk"))


def _out(org: Organization, parents: dict[str, int]) -> dict[str, object]:
    return {
        "id": org.pk,
        "code": org.code,
        "name": org.name,
        "level": org.level,
        "kind": org.kind,
        "kind_label": org.get_kind_display(),
        "division_code": org.division_code,
        "parent_id": parents.get(org.path[: -Organization.steplen]) if org.depth > 1 else None,
        "depth": org.depth,
        "children": org.numchild,
        "contact_name": org.contact_name,
        "contact_phone": org.contact_phone,
        "address": org.address,
        "is_active": org.is_active,
        "subtree_size": getattr(org, "subtree_size", 0),
    }


def _many(orgs: list[Organization]) -> list[dict[str, object]]:
    parents = _parent_ids(orgs)
    return [_out(o, parents) for o in orgs]


@router.get("", response=with_errors({200: list[OrgOut]}), summary="组织列表（本级及下级）")
@paginate(Pagination, page_size=100)
def org_list(request: HttpRequest, filters: Query[OrgFilters]) -> list[dict[str, object]]:
    qs = selectors.org_list(actor=request.user, **filters.dict())
    return PageMapped(qs, _many)  # type: ignore[return-value]


@router.get("/{org_id}", response=with_errors({200: OrgOut}), summary="组织详情")
def org_detail(request: HttpRequest, org_id: int) -> dict[str, object]:
    return _many([selectors.org_get(actor=request.user, org_id=org_id)])[0]


@router.get("/{org_id}/children", response=with_errors({200: list[OrgWithSizeOut]}), summary="直接下级及各自规模")
def org_children(request: HttpRequest, org_id: int) -> list[dict[str, object]]:
    return _many(selectors.org_children_with_counts(actor=request.user, org_id=org_id))


@router.get("/{org_id}/stats", response=with_errors({200: OrgStatsOut}), summary="下级组织按类型统计")
def org_stats(request: HttpRequest, org_id: int) -> OrgStatsOut:
    by_kind = selectors.org_subtree_counts(actor=request.user, org_id=org_id)
    return OrgStatsOut(id=org_id, total_below=sum(by_kind.values()), by_kind=by_kind)


@router.post("", response=with_errors({201: OrgOut}), summary="新建下级组织")
def org_create(request: HttpRequest, payload: OrgCreateIn) -> tuple[int, dict[str, object]]:
    org = services.org_create(actor=request.user, **payload.dict())
    return 201, _many([org])[0]


@router.patch("/{org_id}", response=with_errors({200: OrgOut}), summary="修改组织信息")
def org_update(request: HttpRequest, org_id: int, payload: OrgUpdateIn) -> dict[str, object]:
    # null means "not sent": none of these fields may be emptied to NULL.
    org = services.org_update(actor=request.user, org_id=org_id, **payload.dict(exclude_unset=True, exclude_none=True))
    return _many([org])[0]


@router.post("/{org_id}/move", response=with_errors({200: OrgOut}), summary="移动组织（连同全部下级）")
def org_move(request: HttpRequest, org_id: int, payload: OrgMoveIn) -> dict[str, object]:
    org = services.org_move(actor=request.user, org_id=org_id, new_parent_id=payload.new_parent_id)
    return _many([org])[0]


@router.post("/{org_id}/export", response=with_errors({202: JobRef}), summary="后台导出下级组织（CSV）")
def org_export(request: HttpRequest, org_id: int) -> tuple[int, JobRef]:
    job = services.org_export_start(actor=request.user, org_id=org_id)
    return 202, JobRef(id=str(job.pk), status=job.status)
