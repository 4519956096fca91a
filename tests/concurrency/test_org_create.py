"""Children added to one parent at the same instant each get their own path: org_create locks the parent row."""

from __future__ import annotations

from collections.abc import Callable
from typing import Any

import pytest

from tests.support.concurrency import raise_first_error
from zhijia.accounts.models import User
from zhijia.organizations.models import Organization, OrgKind
from zhijia.organizations.services import org_create

pytestmark = pytest.mark.postgres

THREADS = 8


def test_children_created_at_once_under_one_parent_all_land(world: Any, together: Callable[..., Any]) -> None:
    # given a new street in district X with no children yet, and district X's staff
    staff = world.actor("district_x_staff")
    parent = org_create(
        actor=staff, parent_id=world.district_x.pk, code="T-XRACE", name="X竞速街道", kind=OrgKind.STREET_FEDERATION
    )

    # when THREADS requests each add a community under it at the same instant
    def add_child(i: int) -> Organization:
        actor = User.objects.get(pk=staff.pk)  # each thread loads its own account, as each request would
        return org_create(
            actor=actor, parent_id=parent.pk, code=f"T-XRACE-{i}", name=f"X竞速社区{i}", kind=OrgKind.COMMUNITY
        )

    outcomes = together(THREADS, add_child)

    # then every one succeeded, each child has its own path under the parent, and the parent counts them all
    raise_first_error(outcomes)
    children = [o.value for o in outcomes]
    assert len({c.path for c in children}) == THREADS
    assert all(c.path.startswith(parent.path) and c.depth == parent.depth + 1 for c in children)
    parent.refresh_from_db()
    assert parent.numchild == THREADS
    assert Organization.objects.filter(path__startswith=parent.path, depth=parent.depth + 1).count() == THREADS
