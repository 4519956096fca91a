"""Membership's rows of the audit guard (`audit/tests/test_audit_record.py`): each write service of the
`zhijia.members.services` package, what it does on a fresh world, and the action it records."""

from __future__ import annotations

import io
import tempfile
from collections.abc import Callable
from pathlib import Path
from typing import Any

from django.test import override_settings

from zhijia.members import services
from zhijia.members.models import Membership, RouteRule
from zhijia.members.services.industry_routes import industry_route_add
from zhijia.members.services.roster_export import roster_export_start
from zhijia.members.services.roster_import import roster_import_run, roster_import_start
from zhijia.organizations.models import OrgKind
from zhijia.organizations.services import OrgSpec, org_append_children
from zhijia.testing.world import World

from .membership_support import member, submitted
from .roster_support import row, write_csv

# Functions that are not writes of their own: they check a card or sign and read its tokens, format or take member
# numbers for the writes that record the row (approving, importing), name the export's columns, find where an actor
# may import, or are the background halves of the imports and exports started (and audited) here.
NOT_AUDITED = {
    "token_from_scan",
    "card_check",
    "card_token_issue",
    "card_printed_token",
    "card_token_member",
    "member_number",
    "member_numbers_reserve",
    "member_numbers_allocate",
    "export_header",
    "import_scope",
    "roster_export_work",
    "roster_import_work",
}


def _union_staff(w: World) -> Any:
    return w.user("union_a_staff")


def _withdrawn(w: World) -> Any:
    return services.application_withdraw(actor=w.user("worker"), application_id=submitted(w).pk)


def _rejected(w: World) -> Any:
    return services.application_reject(actor=_union_staff(w), application_id=submitted(w).pk, reason="wrong_union")


def _transferred(w: World) -> Membership:
    return services.membership_transfer(
        actor=w.user("district_x_staff"), membership_id=member(w).pk, new_union_id=w.joint_x.pk
    )


def _industry_route(w: World) -> Any:
    (federation,), _new = org_append_children(
        actor=None, parent=w.street_x, specs=[OrgSpec("T-XI", "X街道快递行业工会联合会", OrgKind.INDUSTRY)]
    )
    return industry_route_add(actor=w.user("district_x_staff"), federation_id=federation.pk, job_group="courier")


def _imported(w: World) -> Any:
    with tempfile.TemporaryDirectory() as folder:
        path = write_csv(Path(folder) / "roster.csv", [row(1, name="赵一")])
        return roster_import_run(actor=None, path=path, union_code=w.union_a.code)


def _import_started(w: World) -> Any:
    with tempfile.TemporaryDirectory() as folder, override_settings(MEDIA_ROOT=folder):
        upload = io.BytesIO(write_csv(Path(folder) / "roster.csv", [row(1, name="赵一")]).read_bytes())
        return roster_import_start(
            actor=_union_staff(w), upload=upload, filename="名册.csv", all_or_nothing=False, union_code=w.union_a.code
        )


WRITES: list[tuple[str, str | None, Callable[[World], object], str]] = [
    ("application_submit", "worker", submitted, "application.submit"),
    ("application_approve", "union_a_staff", member, "application.approve"),
    ("application_reject", "union_a_staff", _rejected, "application.reject"),
    ("application_withdraw", "worker", _withdrawn, "application.withdraw"),
    ("membership_transfer", "district_x_staff", _transferred, "membership.transfer"),
    (
        "membership_end",
        "union_a_staff",
        lambda w: services.membership_end(
            actor=_union_staff(w), membership_id=member(w).pk, status="withdrawn", reason="离职"
        ),
        "membership.withdrawn",
    ),
    (
        "membership_flags_update",
        "union_a_staff",
        lambda w: services.membership_flags_update(
            actor=_union_staff(w), membership_id=member(w).pk, needy_level="relative"
        ),
        "membership.flags",
    ),
    (
        "member_reveal",
        "union_a_staff",
        lambda w: services.member_reveal(actor=_union_staff(w), membership_id=member(w).pk, field="phone"),
        "pii.reveal",
    ),
    (
        "card_reissue",
        "union_a_staff",
        lambda w: services.card_reissue(actor=_union_staff(w), membership_id=member(w).pk),
        "membership.card_reissue",
    ),
    (
        "review_policy_update",
        "union_a_staff",
        lambda w: services.review_policy_update(
            actor=_union_staff(w),
            union_id=w.union_a.pk,
            auto_approve=True,
            require_phone_verified=True,
            require_employer_on_roster=False,
        ),
        "review_policy.update",
    ),
    (
        "routing_rules_update",
        "district_x_staff",
        lambda w: services.routing_rules_update(
            actor=w.user("district_x_staff"),
            owner_id=w.district_x.pk,
            rules=[(rule, place, True) for place, rule in enumerate(RouteRule.values, start=1)],
        ),
        "routing.rules_update",
    ),
    ("industry_route_add", "district_x_staff", _industry_route, "routing.industry_add"),
    ("roster_import_run", None, _imported, "member.import"),
    # Its one write is the job it starts (the import's own row is roster_import_run's, when the job runs).
    ("roster_import_start", "union_a_staff", _import_started, "job.start"),
    # A masked export is only its job (job.start); an export in full is personal data leaving, logged as such.
    (
        "roster_export_start",
        "district_x_staff",
        lambda w: roster_export_start(actor=w.user("district_x_staff"), fmt="csv", full=True),
        "pii.export",
    ),
]
