"""Points listen to the apps below them: a membership that starts earns the "joined" points of the union's rule,
once, after the approval has committed (points never hold an approval back)."""

from __future__ import annotations

from typing import Any

from django.db import transaction
from django.dispatch import receiver

from zhijia.members.signals import membership_started

from .models import EarnEvent
from .services import points_earn


@receiver(membership_started, dispatch_uid="points.joined")
def award_joined(sender: Any, membership: Any, **kwargs: Any) -> None:
    if membership.user_id is None:
        return
    user, union = membership.user, membership.union

    def award() -> None:
        points_earn(user, event=EarnEvent.JOINED, source=f"membership:{membership.pk}", node=union)

    transaction.on_commit(award, robust=True)
