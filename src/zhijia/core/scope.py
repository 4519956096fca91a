"""The organisation scope: what part of the tree an actor may see, and with which permissions.

Every selector starts from `scope_for(actor)`. A staff account sees the subtree of the node it is bound to;
a superuser sees everything; a worker and an anonymous visitor see no subtree (only their own data).
"""

from __future__ import annotations

from dataclasses import dataclass
from typing import Any

from django.db.models import Q
from django.utils.translation import gettext

from .errors import NotFound, PermissionDenied
from .roles import Perm, roles_grant


@dataclass(frozen=True)
class Scope:
    user_id: int | None = None
    org_id: int | None = None
    # Materialised path of the node the account is bound to; "" is the whole tree, None is no subtree at all.
    path: str | None = None
    roles: frozenset[str] = frozenset()
    is_superuser: bool = False

    def can(self, perm: Perm) -> bool:
        if self.is_superuser:
            return True
        return self.path is not None and roles_grant(self.roles, perm)

    def subtree_q(self, perm: Perm, field: str = "") -> Q:
        """A filter for rows whose organisation lies in this scope's subtree (`field` points at the org)."""
        if not self.can(perm) or self.path is None:
            return Q(pk__in=[])
        prefix = f"{field}__" if field else ""
        return Q(**{f"{prefix}path__startswith": self.path})

    def covers_path(self, path: str) -> bool:
        return self.path is not None and path.startswith(self.path)

    def require(self, perm: Perm, what: str = "object") -> None:
        """Refuse an action. Someone with no place in the tree gets the same 404 a missing object gives (no hint
        that the thing exists); staff who can see the object but whose roles do not allow the action get 403."""
        if self.can(perm):
            return
        if self.path is None and not self.is_superuser:
            raise NotFound(what)
        raise PermissionDenied(
            "permission.denied", gettext("您的角色无权执行此操作。"), detail={"permission": str(perm)}
        )


ANONYMOUS = Scope()


def scope_for(actor: Any) -> Scope:
    """The scope of a user (or of nobody: None, AnonymousUser)."""
    if actor is None or not actor.is_authenticated:
        return ANONYMOUS
    return actor.scope
