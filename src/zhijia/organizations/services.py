"""Every write to the organisation tree: create, update, move a subtree, and bulk loading of real divisions."""

from __future__ import annotations

from collections.abc import Iterable, Sequence
from dataclasses import dataclass
from typing import Any

from django.db import transaction
from django.db.models import F, Max
from django.utils.translation import gettext as _

from zhijia.audit.services import audit_record
from zhijia.core.errors import ValidationFailed
from zhijia.core.roles import Perm
from zhijia.core.scope import scope_for
from zhijia.jobs.services import job_start

from .models import KIND_LEVEL, LEVEL_RANK, Employer, Organization
from .selectors import count_under, org_get
from .tasks import export_subtree

EDITABLE_FIELDS = ("name", "contact_name", "contact_phone", "address", "is_active")


@dataclass(frozen=True)
class OrgSpec:
    """One node to add under a parent (bulk loading)."""

    code: str
    name: str
    kind: str
    division_code: str = ""
    address: str = ""


def check_placement(*, parent: Organization | None, kind: str) -> str:
    """The level a node of `kind` gets under `parent`, or a refusal naming why it cannot sit there."""
    if kind not in KIND_LEVEL:
        raise ValidationFailed("org.unknown_kind", _("未知的组织类型：%(kind)s") % {"kind": kind}, field="kind")
    level = KIND_LEVEL[kind]
    if parent is not None and LEVEL_RANK[level] <= LEVEL_RANK[parent.level]:
        raise ValidationFailed(
            "org.level_not_below_parent",
            _("“%(kind)s”不能设在“%(parent)s”（%(parent_level)s）之下：下级组织的层级必须低于上级。")
            % {
                "kind": Organization(kind=kind).get_kind_display(),
                "parent": parent.name,
                "parent_level": parent.get_level_display(),
            },
            field="parent",
        )
    return level


@transaction.atomic
def org_create(
    *,
    actor: Any,
    parent_id: int,
    code: str,
    name: str,
    kind: str,
    division_code: str = "",
    contact_name: str = "",
    contact_phone: str = "",
    address: str = "",
) -> Organization:
    scope = scope_for(actor)
    parent = org_get(actor=actor, org_id=parent_id)
    scope.require(Perm.TREE_EDIT, "org")
    level = check_placement(parent=parent, kind=kind)
    code = code.strip()
    if not code or not name.strip():
        raise ValidationFailed(
            "org.missing_name_or_code", _("组织编码和名称都必须填写。"), field="code" if not code else "name"
        )
    if Organization.objects.filter(code=code).exists():
        raise ValidationFailed("org.code_taken", _("组织编码 %(code)s 已被使用。") % {"code": code}, field="code")
    # Lock the parent row: two children added at once must not compute the same path.
    parent = Organization.objects.select_for_update().get(pk=parent.pk)
    node = Organization.objects.add_child(
        parent,
        create_kwargs=dict(
            code=code,
            name=name.strip(),
            kind=kind,
            level=level,
            division_code=division_code,
            contact_name=contact_name,
            contact_phone=contact_phone,
            address=address,
        ),
    )
    audit_record(actor=actor, action="org.create", obj=node, org=node, changes={"parent": parent, "kind": kind})
    return node


@transaction.atomic
def org_update(*, actor: Any, org_id: int, **fields: Any) -> Organization:
    scope = scope_for(actor)
    org = org_get(actor=actor, org_id=org_id)
    scope.require(Perm.TREE_EDIT, "org")
    unknown = set(fields) - set(EDITABLE_FIELDS)
    if unknown:
        field = sorted(unknown)[0]
        raise ValidationFailed("org.field_not_editable", _("字段 %(field)s 不能修改。") % {"field": field}, field=field)
    if "name" in fields and not str(fields["name"]).strip():
        raise ValidationFailed("org.missing_name_or_code", _("名称不能为空。"), field="name")
    changes = {}
    for key, value in fields.items():
        old = getattr(org, key)
        if old != value:
            changes[key] = [old, value]
            setattr(org, key, value)
    if changes:
        org.save(update_fields=[*changes, "updated_at"])
        audit_record(actor=actor, action="org.update", obj=org, org=org, changes=changes)
    return org


@transaction.atomic
def org_move(*, actor: Any, org_id: int, new_parent_id: int) -> Organization:
    """Move a node and its whole subtree under another node. Every descendant's path follows in one UPDATE;
    rows elsewhere point at nodes by id, so nothing else needs rewriting."""
    scope = scope_for(actor)
    org = org_get(actor=actor, org_id=org_id)
    new_parent = org_get(actor=actor, org_id=new_parent_id)
    scope.require(Perm.TREE_EDIT, "org")
    if org.pk == scope.org_id:
        raise ValidationFailed("org.move_own_root", _("不能移动您自己所在的组织。"), field="org")
    if new_parent.path.startswith(org.path):
        raise ValidationFailed(
            "org.move_into_own_subtree", _("不能把组织移到它自己或它的下级组织之下。"), field="new_parent"
        )
    check_placement(parent=new_parent, kind=org.kind)
    old_parent = Organization.objects.get_parent(org)
    if old_parent is not None and old_parent.pk == new_parent.pk:
        return org
    # Lock both parents in path order so two concurrent moves cannot deadlock.
    list(
        Organization.objects.select_for_update()
        .filter(pk__in=[p.pk for p in (old_parent, new_parent) if p is not None])
        .order_by("path")
    )
    old_path = org.path
    Organization.objects.move(org, new_parent, pos="last-child")
    org.refresh_from_db()
    audit_record(
        actor=actor,
        action="org.move",
        obj=org,
        org=org,
        changes={
            "parent": [old_parent, new_parent],
            "path": [old_path, org.path],
            "subtree_size": count_under(org),
        },
    )
    return org


def _next_step(parent: Organization | None) -> int:
    if parent is None:
        last = Organization.objects.get_last_root_node()
    else:
        last = Organization.objects.filter(path__startswith=parent.path, depth=parent.depth + 1).aggregate(
            m=Max("path")
        )["m"]
        return Organization._str2int(last[-Organization.steplen :]) if last else 0
    return last._get_lastpos_in_path() if last else 0


@transaction.atomic
def org_append_children(
    *, actor: Any, parent: Organization | None, specs: Sequence[OrgSpec]
) -> tuple[list[Organization], int]:
    """Add many children under one parent in a few statements. Codes already present are skipped, so loading
    the same divisions twice changes nothing. Returns (the nodes now holding those codes, how many are new)."""
    codes = [s.code for s in specs]
    existing = {o.code: o for o in Organization.objects.filter(code__in=codes)}
    new_specs = [s for s in specs if s.code not in existing]
    if parent is not None:
        parent = Organization.objects.select_for_update().get(pk=parent.pk)
        for spec in new_specs:
            check_placement(parent=parent, kind=spec.kind)
    base_path = parent.path if parent else ""
    depth = (parent.depth + 1) if parent else 1
    step = _next_step(parent)
    created = []
    for i, spec in enumerate(new_specs, start=1):
        created.append(
            Organization(
                path=Organization._get_path(base_path, depth, step + i),
                depth=depth,
                numchild=0,
                code=spec.code,
                name=spec.name,
                kind=spec.kind,
                level=KIND_LEVEL[spec.kind],
                division_code=spec.division_code,
                address=spec.address,
            )
        )
    Organization.objects.bulk_create(created, batch_size=2000)
    if parent is not None and created:
        Organization.objects.filter(pk=parent.pk).update(numchild=F("numchild") + len(created))
        audit_record(
            actor=actor,
            action="org.bulk_create",
            obj=parent,
            org=parent,
            changes={"children_added": len(created), "first": created[0].code, "last": created[-1].code},
        )
    # bulk_create sets primary keys on PostgreSQL and SQLite alike, but re-read to be sure of a consistent view.
    by_code = {o.code: o for o in Organization.objects.filter(code__in=codes)}
    return [by_code[c] for c in codes], len(created)


@transaction.atomic
def employer_bulk_create(*, actor: Any, employers: Iterable[Employer], org: Organization) -> int:
    rows = list(employers)
    existing = set(
        Employer.objects.filter(credit_code__in=[e.credit_code for e in rows]).values_list("credit_code", flat=True)
    )
    new = [e for e in rows if e.credit_code not in existing]
    Employer.objects.bulk_create(new, batch_size=2000)
    if new:
        audit_record(
            actor=actor,
            action="employer.bulk_create",
            obj=org,
            org=org,
            changes={"employers_added": len(new)},
        )
    return len(new)


NATIONAL_CODE = "FED-CN"


def federation_code(division_code: str) -> str:
    return f"FED-{division_code}"


@transaction.atomic
def divisions_load(*, actor: Any, province_code: str, with_communities: bool = True) -> dict[str, int]:
    """Build the federation tree of one province (or municipality) from the shipped real divisions.

    national → province → city → district/county → street/town → community/village. A municipality's own
    federation is a city federation directly under the national one. Idempotent: codes already present are kept.
    """
    from . import divisions
    from .models import OrgKind

    added: dict[str, int] = {}
    (national,), n = org_append_children(
        actor=actor,
        parent=None,
        specs=[OrgSpec(NATIONAL_CODE, "中华全国总工会", OrgKind.NATIONAL_FEDERATION)],
    )
    added["national"] = n
    province = next((p for p in divisions.provinces() if p.code == province_code), None)
    if province is None:
        raise ValidationFailed(
            "divisions.unknown_province",
            _("未知的省级行政区划代码：%(code)s") % {"code": province_code},
            field="province",
        )
    if province_code in divisions.MUNICIPALITIES:
        (top,), n = org_append_children(
            actor=actor,
            parent=national,
            specs=[
                OrgSpec(
                    federation_code(province.code),
                    divisions.federation_name(province.name),
                    OrgKind.CITY_FEDERATION,
                    province.code,
                )
            ],
        )
        added["city"] = n
        area_parent = {c.code: top for c in divisions.cities(province_code)}
    else:
        (top,), n = org_append_children(
            actor=actor,
            parent=national,
            specs=[
                OrgSpec(
                    federation_code(province.code),
                    divisions.federation_name(province.name),
                    OrgKind.PROVINCE_FEDERATION,
                    province.code,
                )
            ],
        )
        added["province"] = n
        city_list = divisions.cities(province_code)
        city_nodes, n = org_append_children(
            actor=actor,
            parent=top,
            specs=[
                OrgSpec(
                    federation_code(c.code),
                    divisions.federation_name(c.name),
                    OrgKind.CITY_FEDERATION,
                    c.code,
                )
                for c in city_list
            ],
        )
        added["city"] = n
        area_parent = dict(zip([c.code for c in city_list], city_nodes, strict=True))

    added["district"] = _load_level(
        actor,
        divisions.areas(province_code),
        area_parent,
        OrgKind.DISTRICT_FEDERATION,
        divisions.federation_name,
    )
    district_nodes = {
        o.division_code: o
        for o in Organization.objects.filter(kind=OrgKind.DISTRICT_FEDERATION, path__startswith=top.path)
    }
    added["street"] = _load_level(
        actor,
        divisions.streets(province_code),
        district_nodes,
        OrgKind.STREET_FEDERATION,
        divisions.federation_name,
    )
    if with_communities:
        street_nodes = {
            o.division_code: o
            for o in Organization.objects.filter(kind=OrgKind.STREET_FEDERATION, path__startswith=top.path)
        }
        by_parent: dict[str, list[OrgSpec]] = {}
        for d in divisions.communities(province_code):
            kind = OrgKind.VILLAGE if divisions.is_village(d.name) else OrgKind.COMMUNITY
            by_parent.setdefault(d.parent_code, []).append(
                OrgSpec(federation_code(d.code), divisions.community_federation_name(d.name), kind, d.code)
            )
        added["community"] = sum(
            org_append_children(actor=actor, parent=street_nodes[parent], specs=specs)[1]
            for parent, specs in by_parent.items()
            if parent in street_nodes
        )
    return added


def _load_level(actor: Any, rows: list[Any], parents: dict[str, Organization], kind: str, namer: Any) -> int:
    by_parent: dict[str, list[OrgSpec]] = {}
    for d in rows:
        by_parent.setdefault(d.parent_code, []).append(OrgSpec(federation_code(d.code), namer(d.name), kind, d.code))
    return sum(
        org_append_children(actor=actor, parent=parents[parent], specs=specs)[1]
        for parent, specs in by_parent.items()
        if parent in parents
    )


def org_export_start(*, actor: Any, org_id: int) -> Any:
    """Start exporting a subtree to CSV in the background; the job shows its progress to the actor."""
    org = org_get(actor=actor, org_id=org_id)
    return job_start(
        owner=actor,
        kind="org.export",
        title=_("导出组织架构：%(name)s") % {"name": org.name},
        task=export_subtree,
        params={"org_id": org.pk},
        org=org,
    )
