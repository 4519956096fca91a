"""Applications and memberships for the HTTP tests: valid ID numbers, the form's fields, and a member in union A."""

from __future__ import annotations

from typing import Any

from django.test import TestCase

from zhijia.accounts.services import sms_code_send
from zhijia.core.gateways.sms import outbox_messages
from zhijia.members import services
from zhijia.members.idnumber import check_character
from zhijia.members.models import Application, Membership
from zhijia.testing.world import World


def valid_id(seq: int = 1, *, area: str = "110105", born: str = "19850312") -> str:
    first17 = f"{area}{born}{seq % 1000:03d}"
    return first17 + check_character(first17)


def application_fields(world: World, **overrides: Any) -> dict[str, Any]:
    """What a worker in union A's employer sends: their own (already verified) phone, so no SMS code."""
    worker = world.user("worker")
    data: dict[str, Any] = {
        "name": "王师傅",
        "id_number": valid_id(1),
        "phone": worker.phone,
        "job_group": "courier",
        "work_street_id": world.street_x.pk,
        "work_community_id": world.community_x.pk,
        "employer_id": world.employer_a.pk,
        "consent": True,
    }
    data.update(overrides)
    return data


def submitted(world: World, actor: str = "worker", **overrides: Any) -> Application:
    fields = application_fields(world, **overrides)
    user = world.user(actor)
    if actor != "worker" and "phone" not in overrides:
        fields["phone"] = user.phone
    return services.application_submit(actor=user, **fields)


def member(world: World, actor: str = "worker", **overrides: Any) -> Membership:
    """A member of union A, approved by union A's reviewer."""
    application = submitted(world, actor, **overrides)
    return services.application_approve(actor=world.user("union_a_staff"), application_id=application.pk)


def sms_code_for(phone: str) -> str:
    """Send a verify_phone code through the real gateway and read it back from the outbox."""
    with TestCase.captureOnCommitCallbacks(execute=True):
        sms_code_send(phone=phone, purpose="verify_phone")
    return str(outbox_messages(phone)[-1]["params"]["code"])  # type: ignore[index]
