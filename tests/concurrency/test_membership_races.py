"""The same person applying, or being approved, many times at once still ends with one membership."""

from __future__ import annotations

from collections.abc import Callable
from typing import Any

import pytest

from zhijia.accounts.models import User
from zhijia.core.errors import Conflict
from zhijia.members.models import Application, Membership
from zhijia.members.services import application_approve, application_submit

pytestmark = pytest.mark.postgres

THREADS = 8
ID_NUMBER = "11010519491231002X"


def _submit(world: Any, worker_pk: int) -> Application:
    worker = User.objects.get(pk=worker_pk)
    return application_submit(
        actor=worker,
        name="王师傅",
        id_number=ID_NUMBER,
        phone=worker.phone,
        job_group="factory_worker",
        work_street_id=world.street_x.pk,
        consent=True,
        employer_id=world.employer_a.pk,
    )


def test_a_double_submission_leaves_one_open_application(world: Any, together: Callable[..., Any]) -> None:
    # given one worker whose phone taps "submit" several times at once
    worker = world.actor("worker")

    # when the submissions arrive at the same instant
    outcomes = together(THREADS, lambda i: _submit(world, worker.pk))

    # then exactly one application exists and every other submission was told one is already open
    assert Application.objects.filter(id_index=Application.objects.get().id_index).count() == 1
    refused = [o.error for o in outcomes if not o.ok]
    assert len(refused) == THREADS - 1
    assert all(isinstance(e, Conflict) and e.code == "application.already_open" for e in refused)


def test_approving_at_once_issues_one_membership(world: Any, together: Callable[..., Any]) -> None:
    # given one open application and several reviewers clicking "approve" at the same instant
    application = _submit(world, world.actor("worker").pk)
    reviewer = world.actor("union_a_staff")

    outcomes = together(
        THREADS, lambda i: application_approve(actor=User.objects.get(pk=reviewer.pk), application_id=application.pk)
    )

    # then one membership, one member number, and the others were told it is already decided
    assert Membership.objects.count() == 1
    assert sum(1 for o in outcomes if o.ok) == 1
    assert all(isinstance(o.error, Conflict) for o in outcomes if not o.ok)
