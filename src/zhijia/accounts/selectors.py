"""Reading accounts, always within the actor's subtree."""

from __future__ import annotations

from typing import Any

from django.db.models import Q, QuerySet

from zhijia.core.errors import NotFound
from zhijia.core.pii import is_mainland_mobile, normalize_phone, phone_index
from zhijia.core.roles import Perm
from zhijia.core.scope import scope_for

from .models import User


def staff_account_list(
    *, actor: Any, org_id: int | None = None, role: str | None = None, search: str | None = None
) -> QuerySet[User]:
    scope = scope_for(actor)
    qs = User.objects.filter(kind=User.Kind.STAFF).filter(scope.subtree_q(Perm.ACCOUNT_VIEW, "staff_assignment__org"))
    if org_id is not None:
        # Through the organisation's own key: its lookup answers "none" for an id past the column's range, where
        # the foreign-key column's lookup makes SQLite raise OverflowError.
        qs = qs.filter(staff_assignment__org__pk=org_id)
    if role:
        qs = qs.filter(staff_assignment__roles__role=role)
    if search:
        term = search.strip()
        cond = Q(username__icontains=term) | Q(display_name__contains=term)
        if is_mainland_mobile(normalize_phone(term)):
            cond |= Q(phone_index=phone_index(term))
        qs = qs.filter(cond)
    return (
        qs.select_related("staff_assignment__org")
        .prefetch_related("staff_assignment__roles")
        .order_by("staff_assignment__org__path", "username")
        .distinct()
    )


def staff_account_get(*, actor: Any, user_id: int) -> User:
    try:
        return staff_account_list(actor=actor).get(pk=user_id)
    except (User.DoesNotExist, ValueError, TypeError):
        raise NotFound("account") from None
