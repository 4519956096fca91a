"""Reading the organisation tree, always from the actor's subtree. Every question is a prefix query on the
indexed materialised path, never recursion in Python."""

from __future__ import annotations

from typing import Any

from django.db.models import Count, QuerySet
from django.db.models.functions import Substr

from zhijia.core.errors import NotFound
from zhijia.core.roles import Perm
from zhijia.core.scope import scope_for

from .models import Employer, Organization


def org_visible(*, actor: Any) -> QuerySet[Organization]:
    return Organization.objects.filter(scope_for(actor).subtree_q(Perm.TREE_VIEW))


def org_get(*, actor: Any, org_id: int) -> Organization:
    try:
        return org_visible(actor=actor).get(pk=org_id)
    except (Organization.DoesNotExist, ValueError, TypeError):
        raise NotFound("org") from None


def org_root_for(*, actor: Any) -> Organization | None:
    """The node an actor's view of the tree starts from."""
    scope = scope_for(actor)
    if not scope.can(Perm.TREE_VIEW):
        return None
    if scope.org_id is not None:
        return Organization.objects.filter(pk=scope.org_id).first()
    return Organization.objects.get_first_root_node()


def subtree(org: Organization, *, include_self: bool = True) -> QuerySet[Organization]:
    qs = Organization.objects.filter(path__startswith=org.path)
    return qs if include_self else qs.exclude(pk=org.pk)


def is_under(node: Organization, ancestor: Organization) -> bool:
    """Is `node` in the subtree of `ancestor` (itself included)? A string test on the paths, no query."""
    return node.path.startswith(ancestor.path)


def count_under(org: Organization) -> int:
    """How many nodes lie strictly below `org`: one index range scan."""
    return Organization.objects.filter(path__startswith=org.path, depth__gt=org.depth).count()


def org_list(
    *,
    actor: Any,
    parent_id: int | None = None,
    under_id: int | None = None,
    kind: str | None = None,
    level: str | None = None,
    search: str | None = None,
) -> QuerySet[Organization]:
    qs = org_visible(actor=actor)
    if parent_id is not None:
        parent = org_get(actor=actor, org_id=parent_id)
        qs = qs.filter(path__startswith=parent.path, depth=parent.depth + 1)
    if under_id is not None:
        ancestor = org_get(actor=actor, org_id=under_id)
        qs = qs.filter(path__startswith=ancestor.path, depth__gt=ancestor.depth)
    if kind:
        qs = qs.filter(kind=kind)
    if level:
        qs = qs.filter(level=level)
    if search:
        qs = qs.filter(name__contains=search)
    return qs.order_by("path")


def org_children_with_counts(*, actor: Any, org_id: int) -> list[Organization]:
    """A node's children, each with the size of its subtree (`subtree_size`, the child itself excluded).

    One range scan of the parent's subtree grouped by the children's path prefixes, instead of a query per child.
    """
    parent = org_get(actor=actor, org_id=org_id)
    child_len = (parent.depth + 1) * Organization.steplen
    sizes = dict(
        Organization.objects.filter(path__startswith=parent.path, depth__gt=parent.depth + 1)
        .annotate(prefix=Substr("path", 1, child_len))
        .values("prefix")
        .annotate(n=Count("pk"))
        .order_by()
        .values_list("prefix", "n")
    )
    children = list(Organization.objects.filter(path__startswith=parent.path, depth=parent.depth + 1).order_by("path"))
    for child in children:
        child.subtree_size = sizes.get(child.path, 0)
    return children


def org_subtree_counts(*, actor: Any, org_id: int) -> dict[str, int]:
    """Nodes under a node by kind, the node itself excluded."""
    org = org_get(actor=actor, org_id=org_id)
    rows = subtree(org, include_self=False).values("kind").annotate(n=Count("pk")).order_by()
    return {r["kind"]: r["n"] for r in rows}


def org_ancestors_in_scope(*, actor: Any, org: Organization) -> list[Organization]:
    """The breadcrumb from the actor's own root down to `org` (never above what the actor may see)."""
    scope = scope_for(actor)
    paths = [org.path[: i * Organization.steplen] for i in range(1, org.depth)]
    visible = [p for p in paths if scope.covers_path(p)]
    return list(Organization.objects.filter(path__in=visible).order_by("depth"))


def employer_list(*, actor: Any, union_id: int | None = None) -> QuerySet[Employer]:
    scope = scope_for(actor)
    qs = Employer.objects.filter(scope.subtree_q(Perm.TREE_VIEW, "located_in")).select_related("union", "located_in")
    if union_id is not None:
        qs = qs.filter(union_id=union_id)
    return qs.order_by("name")


def org_get_by_code(*, actor: Any, code: str) -> Organization:
    try:
        return org_visible(actor=actor).get(code=code.strip())
    except Organization.DoesNotExist:
        raise NotFound("org") from None
