"""Who gets what: every API operation and every page, called as every kind of actor, on objects placed in district X.

Each row names an API operation (`METHOD /path` under /api/v1, as in the OpenAPI document) or a page
(`METHOD url-name`), the object its path parameter points at, the request data, and the answer each actor gets, in
the order of ACTORS. A new operation or page without a row fails `test_every_operation_and_page_has_a_row`.

The targets sit in district X (see `build_targets`), so district Y's staff, a sibling, gets 404 where district X's
staff gets 200; union A's staff, below street X, gets 404 for street X too: scope only ever reaches downwards.

Where district Y's staff get 200 (a list, a report, a page), the status proves nothing: a Seen row then checks that
they find none of district X's objects in it while district X's staff do. Every such GET has a Seen row, or an entry
in NOT_SCOPED saying why it shows nothing of a district's own (`test_every_list_a_sibling_district_reads_...`).
"""

from __future__ import annotations

import html
import re
from dataclasses import dataclass, field
from typing import Any

from django.core.files.base import ContentFile
from django.test import TestCase

from zhijia.accounts.services import sms_code_send, staff_account_create
from zhijia.audit.models import AuditEvent
from zhijia.core.gateways.sms import outbox_messages
from zhijia.core.roles import Role
from zhijia.jobs.models import Job
from zhijia.members.idnumber import check_character
from zhijia.members.models import Application, Membership, MembershipTransfer
from zhijia.members.services import (
    application_approve,
    application_submit,
    card_token_issue,
    membership_transfer,
)
from zhijia.organizations.models import Organization
from zhijia.testing.world import PASSWORD, World, make_user

API_PREFIX = "/api/v1"

ACTORS = (
    "anonymous",
    "worker",
    "other_worker",
    "union_a_staff",
    "district_x_staff",
    "district_y_staff",
    "city_staff",
    "district_x_readonly",
    "case_handler",
    "superuser",
)

# A page that sends the visitor to the sign-in page (302 to /accounts/login/?next=...).
LOGIN = "login"
# A page that refuses inside its form: 200, the form shows why, and nothing changes.
FORM = "form"
# A page that sends the visitor elsewhere instead of acting (302, nothing changes).
AWAY = "away"
# Not applicable: the actor does not get the list at all.
NA = None

STRONG_PASSWORD = "Quiet-harbour-2026"
REGISTER_PHONE = "13700000001"
APPLY_PHONE = "13700000003"


@dataclass(frozen=True)
class Ref:
    """An object from `build_targets`, sent as its primary key (or as itself when it has none)."""

    name: str


@dataclass(frozen=True)
class Raw:
    """A path argument given as is (a word, not an object's key)."""

    value: str

    def __str__(self) -> str:
        return self.value


@dataclass(frozen=True)
class _Keyed:
    key: str  # "GET /orgs/{org_id}" (API, under /api/v1) or "GET orgs:detail" (page, by URL name)

    @property
    def method(self) -> str:
        return self.key.split(" ", 1)[0]

    @property
    def target(self) -> str:
        return self.key.split(" ", 1)[1]

    @property
    def is_api(self) -> bool:
        return self.target.startswith("/")


@dataclass(frozen=True)
class Row(_Keyed):
    on: str | Raw | None  # the object the path parameter points at
    expect: tuple[int | str, ...]
    data: dict[str, Any] = field(default_factory=dict)  # query for GET, body otherwise
    # A write that legitimately touches no watched table (signing out only ends a session).
    changes_nothing: bool = False

    @property
    def is_write(self) -> bool:
        return self.method != "GET"

    @property
    def label(self) -> str:
        return f"{self.key} on {self.on}" if self.on else self.key

    def expected(self) -> dict[str, int | str]:
        assert len(self.expect) == len(ACTORS), f"{self.label}: {len(self.expect)} answers for {len(ACTORS)} actors"
        return dict(zip(ACTORS, self.expect, strict=True))


# How an answer shows an object of the targets (`Seen.shows`). Each probe says whether `response` shows `obj`.


@dataclass(frozen=True)
class Listed:
    """An API list names the object by its key (followed through dots: "need.id"): among the `items` of a paginated
    list (the default), among the rows of a list nested in the body ("top_items"), or of the body itself ("")."""

    where: str = "items"
    key: str = "id"

    def __call__(self, response: Any, obj: Any) -> bool:
        body = response.json()
        rows = body[self.where] if self.where else body
        return any(_dig(row, self.key) == obj.pk for row in rows)


def _dig(value: Any, path: str) -> Any:
    for part in path.split("."):
        value = value[part]
    return value


@dataclass(frozen=True)
class Text:
    """A page shows the object by a text of its own: an attribute, followed through dots ("venue.name"), put into
    `template` when the text around it is what tells it apart ('id="queue-order-{}"')."""

    attr: str
    template: str = "{}"

    def __call__(self, response: Any, obj: Any) -> bool:
        value = obj
        for part in self.attr.split("."):
            value = getattr(value, part)
        return self.template.format(html.escape(str(value))) in response.content.decode()


@dataclass(frozen=True)
class Figure:
    """A report counts the object. The figure is read from the JSON body along a dotted path, where "*" sums over
    a list ("*.no_shows", "months.*.earned", "overall.count"), or from a page, as the number in the element of that
    id ("#report-total"). What these reports count of the targets lies in district X only, so the figure is above
    zero for whoever sees the object and exactly zero for whoever does not: a sibling district's report that counts
    X's objects fails, and so does a report that counts nothing (the positive control)."""

    path: str

    def __call__(self, response: Any, obj: Any) -> bool:
        if self.path.startswith("#"):
            text = response.content.decode()
            found = re.search(rf'id="{re.escape(self.path[1:])}"[^>]*>\s*([\d,.]+)\s*<', text)
            assert found, f"no figure in element {self.path}"
            figure = float(found.group(1).replace(",", ""))
        else:
            figure = _figure(response.json(), self.path.split("."))
        return figure > 0


def _figure(value: Any, parts: list[str]) -> float:
    if not parts:
        return float(value or 0)
    head, rest = parts[0], parts[1:]
    if head == "*":
        return sum(_figure(item, rest) for item in value)
    return _figure(value[head], rest)


@dataclass(frozen=True)
class Named:
    """The default for pages: an organisation, application or membership by its name, an audit event by what it
    names, an account by its username in a cell of its own."""

    def __call__(self, response: Any, obj: Any) -> bool:
        text = response.content.decode()
        if isinstance(obj, AuditEvent):
            return obj.object_repr in text
        if isinstance(obj, Organization | Application | Membership):
            return obj.name in text
        return f">{obj.username}<" in text


Shows = Listed | Text | Figure | Named


@dataclass(frozen=True)
class Seen(_Keyed):
    """A list, report or page that answers 200 to every actor it names (None: not applicable), filtered to the
    actor's scope: who finds `finds` in it? Every target lies in district X, so district X's staff finding it is the
    positive control and district Y's staff not finding it is the scope.

    `shows` says how the answer shows the object: an API list by its id among `items` and a page by its name unless
    told otherwise (see the probes above)."""

    finds: str
    sees: tuple[bool | None, ...]
    # Query parameters (Ref allowed) that narrow a long list to where `finds` belongs, or that the page needs.
    params: tuple[tuple[str, Any], ...] = ()
    shows: Shows | None = None

    def expected(self) -> dict[str, bool | None]:
        assert len(self.sees) == len(ACTORS), f"{self.key}: {len(self.sees)} answers for {len(ACTORS)} actors"
        return dict(zip(ACTORS, self.sees, strict=True))

    def probe(self) -> Shows:
        return self.shows or (Listed() if self.is_api else Named())


def api(key: str, on: str | Raw | None, expect: tuple[int | str, ...], data: dict[str, Any] | None = None) -> Row:
    return Row(key, on, expect, data or {})


def page(
    key: str, on: str | Raw | None, expect: tuple[int | str, ...], data: dict[str, Any] | None = None, **kw: Any
) -> Row:
    return Row(key, on, expect, data or {}, **kw)


# Request data. Bodies are valid, so an allowed actor really gets its 2xx (or the page's redirect after success).
LOGIN_AS_WORKER = {"login": "worker", "password": Ref("password")}
SMS_CODE = {"phone": "13700000002", "purpose": "register"}
REGISTER = {"phone": REGISTER_PHONE, "code": Ref("code"), "password": STRONG_PASSWORD, "display_name": "赵师傅"}
NEW_ACCOUNT = {
    "org_id": Ref("street_x"),
    "username": "x_new_clerk",
    "display_name": "X街道新文员",
    "password": STRONG_PASSWORD,
    "roles": ["read_only"],
}
ACCOUNT_PATCH = {"display_name": "X街道文员（改）", "roles": ["reviewer"]}
CHILDREN_OF_STREET_X = {"parent_id": Ref("street_x")}
NEW_ORG = {"parent_id": Ref("street_x"), "code": "T-XNEW", "name": "X新社区工会联合会", "kind": "community"}
ORG_PATCH = {"name": "X街道总工会（改）", "address": "X区人民路 1 号"}
MOVE_UNDER_COMMUNITY_X = {"new_parent_id": Ref("community_x")}
PAGE_NEW_ACCOUNT = {**NEW_ACCOUNT, "handler_kind": "", "phone": "", "title": ""}
PAGE_ACCOUNT_EDIT = {"roles": ["reviewer"], "is_active": "on"}
PAGE_REVEAL = {"reveal_phone": "1"}
STAFF_FORM_ON_STREET_X = {"org": Ref("street_x")}
PAGE_ADD_CHILD = {"add_child": "1", "name": "X新社区工会联合会", "code": "T-XNEW", "kind": "community"}
PAGE_MOVE_UNDER_COMMUNITY_X = {"move": "1", "new_parent_code": "T-XC"}


def id_number(seq: int) -> str:
    """A valid mainland ID number (the check character computed), one per person of the rows."""
    first17 = f"11010519850312{seq:03d}"
    return first17 + check_character(first17)


APPLY = {
    "name": "赵师傅",
    "id_number": id_number(3),
    "phone": APPLY_PHONE,
    "sms_code": Ref("apply_code"),
    "job_group": "courier",
    "work_street_id": Ref("street_x"),
    "employer_id": Ref("employer_a"),
    "consent": True,
}
PAGE_APPLY = {**APPLY, "consent": "on"}
VERIFY_PHONE_CODE = {"phone": "13700000004"}
PLACES_IN_X = {"prefix": "work", "work_district": Ref("district_x")}
REJECT_INCOMPLETE = {"reason": "incomplete"}
TRANSFER_TO_UNION_B = {"new_union_code": "T-UB"}
END_LAPSED = {"status": "lapsed"}
FLAGS_NEEDY = {"needy_level": "deep"}
PAGE_FLAGS_NEEDY = {"needy_level": "deep", "model_worker_level": "none", "job_group": "courier"}
REVEAL_ID = {"field": "id_number"}
PAGE_REVEAL_ID = {"reveal": "id_number"}
CARD_TOKEN = {"token": Ref("x_card_token")}

# Columns: anon(ymous), w(or)k(e)r, oth(er worker), u(nion )A(staff), d(istrict )X(staff), d(istrict )Y(staff), city
# (staff), r(ead-)o(nly in district X), case (handler in district X), s(uper)u(ser).
# fmt: off
API_ROWS: list[Row] = [
    #   operation                                on               anon wkr  oth  uA   dX   dY   city ro   case su
    api("POST /auth/login",                      None,           (200, 200, 200, 200, 200, 200, 200, 200, 200, 200),
        LOGIN_AS_WORKER),
    api("POST /auth/sms-code",                   None,           (200, 200, 200, 200, 200, 200, 200, 200, 200, 200),
        SMS_CODE),
    api("POST /auth/register",                   None,           (201, 201, 201, 201, 201, 201, 201, 201, 201, 201),
        REGISTER),
    api("GET /auth/me",                          None,           (401, 200, 200, 200, 200, 200, 200, 200, 200, 200)),
    api("POST /auth/logout",                     None,           (401, 200, 200, 200, 200, 200, 200, 200, 200, 200)),
    api("GET /accounts",                         None,           (401, 200, 200, 200, 200, 200, 200, 200, 200, 200)),
    api("POST /accounts",                        None,           (401, 404, 404, 404, 201, 404, 201, 403, 404, 201),
        NEW_ACCOUNT),
    api("GET /accounts/{user_id}",               "x_clerk",      (401, 404, 404, 404, 200, 404, 200, 200, 404, 200)),
    api("GET /accounts/{user_id}",               "a_clerk",      (401, 404, 404, 200, 200, 404, 200, 200, 404, 200)),
    api("PATCH /accounts/{user_id}",             "x_clerk",      (401, 404, 404, 404, 200, 404, 200, 403, 404, 200),
        ACCOUNT_PATCH),
    api("POST /accounts/{user_id}/reveal-phone", "x_clerk",      (401, 404, 404, 404, 200, 404, 200, 403, 404, 200)),
    api("POST /accounts/{user_id}/reveal-phone", "a_clerk",      (401, 404, 404, 200, 200, 404, 200, 403, 404, 200)),
    api("GET /orgs",                             None,           (401, 200, 200, 200, 200, 200, 200, 200, 200, 200)),
    api("GET /orgs",                             None,           (401, 404, 404, 404, 200, 404, 200, 200, 404, 200),
        CHILDREN_OF_STREET_X),
    api("POST /orgs",                            None,           (401, 404, 404, 404, 201, 404, 201, 403, 404, 201),
        NEW_ORG),
    api("GET /orgs/{org_id}",                    "street_x",     (401, 404, 404, 404, 200, 404, 200, 200, 404, 200)),
    api("GET /orgs/{org_id}",                    "union_a",      (401, 404, 404, 200, 200, 404, 200, 200, 404, 200)),
    api("PATCH /orgs/{org_id}",                  "street_x",     (401, 404, 404, 404, 200, 404, 200, 403, 404, 200),
        ORG_PATCH),
    api("GET /orgs/{org_id}/children",           "street_x",     (401, 404, 404, 404, 200, 404, 200, 200, 404, 200)),
    api("GET /orgs/{org_id}/stats",              "street_x",     (401, 404, 404, 404, 200, 404, 200, 200, 404, 200)),
    api("POST /orgs/{org_id}/move",              "union_a",      (401, 404, 404, 404, 200, 404, 200, 403, 404, 200),
        MOVE_UNDER_COMMUNITY_X),
    api("POST /orgs/{org_id}/export",            "street_x",     (401, 404, 404, 404, 202, 404, 202, 202, 404, 202)),
    api("GET /audit",                            None,           (401, 200, 200, 200, 200, 200, 200, 200, 200, 200)),
    api("POST /applications",                    None,           (401, 201, 201, 201, 201, 201, 201, 201, 201, 201),
        APPLY),
    api("GET /applications/mine",                None,           (401, 200, 200, 200, 200, 200, 200, 200, 200, 200)),
    api("GET /applications/places",              None,           (200, 200, 200, 200, 200, 200, 200, 200, 200, 200)),
    api("GET /applications/places",              None,           (200, 200, 200, 200, 200, 200, 200, 200, 200, 200),
        {"parent_id": Ref("street_x")}),
    api("GET /applications/employers",           None,           (200, 200, 200, 200, 200, 200, 200, 200, 200, 200),
        {"search": "甲"}),
    api("GET /applications/time-to-card",        None,           (401, 404, 404, 200, 200, 200, 200, 200, 403, 200)),
    api("GET /applications",                     None,           (401, 200, 200, 200, 200, 200, 200, 200, 200, 200)),
    # The applicant reads their own application; staff read it within their subtree.
    api("GET /applications/{application_id}",    "x_application", (401, 200, 404, 200, 200, 404, 200, 200, 404, 200)),
    api("POST /applications/{application_id}/approve", "x_application",
                                                                 (401, 404, 404, 200, 200, 404, 200, 403, 404, 200)),
    api("POST /applications/{application_id}/reject", "x_application",
                                                                 (401, 404, 404, 200, 200, 404, 200, 403, 404, 200),
        REJECT_INCOMPLETE),
    api("POST /applications/{application_id}/withdraw", "x_application",
                                                                 (401, 200, 404, 404, 404, 404, 404, 404, 404, 404)),
    api("GET /members/me",                       None,           (401, 404, 200, 404, 404, 404, 404, 404, 404, 404)),
    api("GET /members",                          None,           (401, 200, 200, 200, 200, 200, 200, 200, 200, 200)),
    api("GET /members/transfers-out",            None,           (401, 200, 200, 200, 200, 200, 200, 200, 200, 200)),
    api("GET /members/{membership_id}",          "x_member",     (401, 404, 404, 200, 200, 404, 200, 200, 404, 200)),
    api("POST /members/{membership_id}/transfer", "x_member",    (401, 404, 404, 200, 200, 404, 200, 403, 404, 200),
        TRANSFER_TO_UNION_B),
    api("POST /members/{membership_id}/end",     "x_member",     (401, 404, 404, 200, 200, 404, 200, 403, 404, 200),
        END_LAPSED),
    api("PATCH /members/{membership_id}/flags",  "x_member",     (401, 404, 404, 200, 200, 404, 200, 403, 404, 200),
        FLAGS_NEEDY),
    api("POST /members/{membership_id}/reveal",  "x_member",     (401, 404, 404, 200, 200, 404, 200, 403, 404, 200),
        REVEAL_ID),
    # Whoever staffs a home checks any union's cards (shared homes serve every member); workers cannot.
    api("GET /cards/verify",                     None,           (401, 404, 404, 200, 200, 200, 200, 200, 200, 200),
        CARD_TOKEN),
    api("GET /jobs/{job_id}",                    "x_staff_job",  (401, 404, 404, 404, 200, 404, 404, 404, 404, 200)),
    api("GET /jobs/{job_id}",                    "worker_job",   (401, 200, 404, 404, 404, 404, 404, 404, 404, 200)),
]

PAGE_ROWS: list[Row] = [
    #    page                                 on                 anon wkr  oth  uA   dX   dY   city ro   case su
    page("GET home",                          None,           (  200, 200, 200, 200, 200, 200, 200, 200, 200, 200)),
    page("GET healthz",                       None,           (  200, 200, 200, 200, 200, 200, 200, 200, 200, 200)),
    page("GET accounts:login",                None,           (  200, 302, 302, 302, 302, 302, 302, 302, 302, 302)),
    page("GET accounts:logout",               None,           (  405, 405, 405, 405, 405, 405, 405, 405, 405, 405)),
    page("POST accounts:logout",              None,           (  302, 302, 302, 302, 302, 302, 302, 302, 302, 302),
         changes_nothing=True),
    page("GET accounts:register",             None,           (  200, 200, 200, 200, 200, 200, 200, 200, 200, 200)),
    page("POST accounts:register",            None,           (  302, 302, 302, 302, 302, 302, 302, 302, 302, 302),
         REGISTER),
    page("GET accounts:register_code",        None,           (  405, 405, 405, 405, 405, 405, 405, 405, 405, 405)),
    page("POST accounts:register_code",       None,           (  200, 200, 200, 200, 200, 200, 200, 200, 200, 200),
         SMS_CODE),
    page("GET accounts:me",                   None,           (LOGIN, 200, 200, 200, 200, 200, 200, 200, 200, 200)),
    page("GET accounts:staff_list",           None,           (LOGIN, 404, 404, 200, 200, 200, 200, 200, 403, 200)),
    page("GET accounts:staff_create",         None,           (LOGIN, 404, 404, 200, 200, 200, 200, 403, 403, 200)),
    page("GET accounts:staff_create",         None,           (LOGIN, 404, 404, 404, 200, 404, 200, 403, 403, 200),
         STAFF_FORM_ON_STREET_X),
    page("POST accounts:staff_create",        None,           (LOGIN, 404, 404, 404, 302, 404, 302, 403, 403, 302),
         PAGE_NEW_ACCOUNT),
    page("GET accounts:staff_detail",         "x_clerk",      (LOGIN, 404, 404, 404, 200, 404, 200, 200, 403, 200)),
    page("POST accounts:staff_detail",        "x_clerk",      (LOGIN, 404, 404, 404, 302, 404, 302, 403, 403, 302),
         PAGE_ACCOUNT_EDIT),
    page("POST accounts:staff_detail",        "x_clerk",      (LOGIN, 404, 404, 404, 200, 404, 200, 403, 403, 200),
         PAGE_REVEAL),
    page("GET orgs:dashboard",                None,           (LOGIN, 404, 404, 200, 200, 200, 200, 200, 403, 200)),
    page("GET orgs:tree",                     None,           (LOGIN, 404, 404, 200, 200, 200, 200, 200, 403, 200)),
    page("GET orgs:detail",                   "street_x",     (LOGIN, 404, 404, 404, 200, 404, 200, 200, 403, 200)),
    page("GET orgs:detail",                   "union_a",      (LOGIN, 404, 404, 200, 200, 404, 200, 200, 403, 200)),
    page("GET orgs:children",                 "street_x",     (LOGIN, 404, 404, 404, 200, 404, 200, 200, 403, 200)),
    page("GET orgs:manage",                   "street_x",     (LOGIN, 404, 404, 404, 200, 404, 200, 403, 403, 200)),
    page("POST orgs:manage",                  "street_x",     (LOGIN, 404, 404, 404, 302, 404, 302, 403, 403, 302),
         PAGE_ADD_CHILD),
    # Union A's staff may edit union A but cannot see community X: the move form says no such node.
    page("POST orgs:manage",                  "union_a",      (LOGIN, 404, 404, FORM, 302, 404, 302, 403, 403, 302),
         PAGE_MOVE_UNDER_COMMUNITY_X),
    page("GET orgs:export",                   "street_x",     (  405, 405, 405, 405, 405, 405, 405, 405, 405, 405)),
    page("POST orgs:export",                  "street_x",     (LOGIN, 404, 404, 404, 302, 404, 302, 302, 403, 302)),
    page("GET jobs:detail",                   "x_staff_job",  (LOGIN, 404, 404, 404, 200, 404, 404, 404, 404, 200)),
    page("GET jobs:detail",                   "worker_job",   (LOGIN, 200, 404, 404, 404, 404, 404, 404, 404, 200)),
    # A finished job answers 286 so that htmx stops polling.
    page("GET jobs:progress",                 "x_staff_job",  (LOGIN, 404, 404, 404, 286, 404, 404, 404, 404, 286)),
    page("GET jobs:progress",                 "worker_job",   (LOGIN, 200, 404, 404, 404, 404, 404, 404, 404, 200)),
    page("GET jobs:download",                 "x_staff_job",  (LOGIN, 404, 404, 404, 200, 404, 404, 404, 404, 200)),
    # The worker has an application waiting (shown its status); the other worker is a member (shown the card).
    page("GET members:apply",                 None,           (LOGIN, 302, 302, 200, 200, 200, 200, 200, 200, 200)),
    page("POST members:apply",                None,           (LOGIN, 302, 302, 302, 302, 302, 302, 302, 302, 302),
         PAGE_APPLY),
    page("GET members:apply_code",            None,           (  405, 405, 405, 405, 405, 405, 405, 405, 405, 405)),
    page("POST members:apply_code",           None,           (LOGIN, 200, 200, 200, 200, 200, 200, 200, 200, 200),
         VERIFY_PHONE_CODE),
    page("GET members:apply_places",          None,           (  200, 200, 200, 200, 200, 200, 200, 200, 200, 200),
         PLACES_IN_X),
    page("GET members:apply_employers",       None,           (  200, 200, 200, 200, 200, 200, 200, 200, 200, 200),
         {"employer_q": "甲"}),
    page("GET members:privacy",               None,           (  200, 200, 200, 200, 200, 200, 200, 200, 200, 200)),
    page("GET members:application_status",    "x_application", (LOGIN, 200, 404, 200, 200, 404, 200, 200, 404, 200)),
    page("GET members:application_progress",  "x_application", (LOGIN, 200, 404, 200, 200, 404, 200, 200, 404, 200)),
    page("GET members:application_withdraw",  "x_application", (  405, 405, 405, 405, 405, 405, 405, 405, 405, 405)),
    page("POST members:application_withdraw", "x_application", (LOGIN, 302, 404, 404, 404, 404, 404, 404, 404, 404)),
    page("GET members:card",                  None,           (LOGIN, 200, 200, 200, 200, 200, 200, 200, 200, 200)),
    page("GET members:card_qr",               None,           (LOGIN, 404, 200, 404, 404, 404, 404, 404, 404, 404)),
    page("GET members:card_png",              None,           (LOGIN, 404, 200, 404, 404, 404, 404, 404, 404, 404)),
    page("GET members:card_pdf",              None,           (LOGIN, 404, 200, 404, 404, 404, 404, 404, 404, 404)),
    page("GET members:queue",                 None,           (LOGIN, 404, 404, 200, 200, 200, 200, 200, 403, 200)),
    page("GET members:application_detail",    "x_application", (LOGIN, 404, 404, 200, 200, 404, 200, 200, 403, 200)),
    page("GET members:application_approve",   "x_application", (  405, 405, 405, 405, 405, 405, 405, 405, 405, 405)),
    page("POST members:application_approve",  "x_application", (LOGIN, 404, 404, 302, 302, 404, 302, 403, 403, 302)),
    page("GET members:application_reject",    "x_application", (  405, 405, 405, 405, 405, 405, 405, 405, 405, 405)),
    page("POST members:application_reject",   "x_application", (LOGIN, 404, 404, 302, 302, 404, 302, 403, 403, 302),
         REJECT_INCOMPLETE),
    page("GET members:time_to_card",          None,           (LOGIN, 404, 404, 200, 200, 200, 200, 200, 403, 200)),
    page("GET members:roster",                None,           (LOGIN, 404, 404, 200, 200, 200, 200, 200, 403, 200)),
    page("GET members:transfers_out",         None,           (LOGIN, 404, 404, 200, 200, 200, 200, 200, 403, 200)),
    page("GET members:member_detail",         "x_member",     (LOGIN, 404, 404, 200, 200, 404, 200, 200, 403, 200)),
    page("POST members:member_detail",        "x_member",     (LOGIN, 404, 404, 200, 200, 404, 200, 403, 403, 200),
         PAGE_REVEAL_ID),
    page("GET members:member_transfer",       "x_member",     (LOGIN, 404, 404, 200, 200, 404, 200, 403, 403, 200)),
    page("POST members:member_transfer",      "x_member",     (LOGIN, 404, 404, 302, 302, 404, 302, 403, 403, 302),
         TRANSFER_TO_UNION_B),
    page("GET members:member_flags",          "x_member",     (LOGIN, 404, 404, 200, 200, 404, 200, 403, 403, 200)),
    page("POST members:member_flags",         "x_member",     (LOGIN, 404, 404, 302, 302, 404, 302, 403, 403, 302),
         PAGE_FLAGS_NEEDY),
    page("GET members:member_end",            "x_member",     (LOGIN, 404, 404, 200, 200, 404, 200, 403, 403, 200)),
    page("POST members:member_end",           "x_member",     (LOGIN, 404, 404, 302, 302, 404, 302, 403, 403, 302),
         END_LAPSED),
    page("GET members:card_verify",           None,           (LOGIN, 404, 404, 200, 200, 200, 200, 200, 200, 200),
         CARD_TOKEN),
    page("GET audit:list",                    None,           (LOGIN, 404, 404, 200, 200, 200, 200, 200, 403, 200)),
]

# Why a GET that district Y's staff read with 200 needs no Seen row: it shows nothing of district X's by design.
PUBLIC = "public: the same for every visitor"
OWN = "the actor's own account, membership, orders or bookings only"
TYPED = "a form where a code, number or file is given: it lists nothing"
ANY_UNION = "checks a card of any union, wherever it is shown (shared homes serve every member)"

NOT_SCOPED: dict[str, str] = {
    "GET /auth/me": OWN,
    "GET /applications/mine": OWN,
    "GET /applications/places": PUBLIC,
    "GET /applications/employers": PUBLIC,
    "GET /cards/verify": ANY_UNION,
    "GET home": PUBLIC,
    "GET healthz": PUBLIC,
    "GET accounts:register": PUBLIC,
    "GET accounts:me": OWN,
    # Binds the new account to the actor's own node; another node only by ?org= (its own row: 404 beyond the
    # subtree).
    "GET accounts:staff_create": TYPED,
    "GET members:apply": OWN,
    "GET members:apply_places": PUBLIC,
    "GET members:apply_employers": PUBLIC,
    "GET members:privacy": PUBLIC,
    "GET members:card": OWN,
    "GET members:card_verify": ANY_UNION,
}

Y, N = True, False
SEEN_ROWS: list[Seen] = [
    #    list                        finds                anon wkr oth uA  dX  dY  city ro  case su
    Seen("GET /orgs",                "street_x",         (NA,  N,  N,  N,  Y,  N,  Y,   Y,  N,   Y)),
    Seen("GET /accounts",            "x_clerk",          (NA,  N,  N,  N,  Y,  N,  Y,   Y,  N,   Y)),
    Seen("GET /audit",               "x_clerk_created",  (NA,  N,  N,  N,  Y,  N,  Y,   Y,  N,   Y),
         params=(("action", "account.create"),)),
    Seen("GET /applications",        "x_application",    (NA,  N,  N,  Y,  Y,  N,  Y,   Y,  N,   Y)),
    Seen("GET /members",             "x_member",         (NA,  N,  N,  Y,  Y,  N,  Y,   Y,  N,   Y)),
    Seen("GET accounts:staff_list",  "x_clerk",          (NA,  NA, NA, N,  Y,  N,  Y,   Y,  NA,  Y)),
    Seen("GET audit:list",           "x_clerk_created",  (NA,  NA, NA, N,  Y,  N,  Y,   Y,  NA,  Y),
         params=(("action", "account.create"),)),
    Seen("GET members:queue",        "x_application",    (NA,  NA, NA, Y,  Y,  N,  Y,   Y,  NA,  Y)),
    Seen("GET members:roster",       "x_member",         (NA,  NA, NA, Y,  Y,  N,  Y,   Y,  NA,  Y)),
    # The overview and the tree show the actor's node and the level below it.
    Seen("GET orgs:dashboard",       "street_x",         (NA,  NA, NA, N,  Y,  N,  N,   Y,  NA,  N)),
    Seen("GET orgs:tree",            "street_x",         (NA,  NA, NA, N,  Y,  N,  N,   Y,  NA,  N)),
    Seen("GET /members/transfers-out", "x_transfer",     (NA,  N,  N,  Y,  Y,  N,  Y,   Y,  N,   Y)),
    Seen("GET members:transfers_out", "x_transfer",      (NA,  NA, NA, Y,  Y,  N,  Y,   Y,  NA,  Y),
         shows=Text("membership.member_no")),
    # Approved applications counted by the union that reviewed them (union A approved the member's).
    Seen("GET /applications/time-to-card", "x_member",   (NA,  NA, NA, Y,  Y,  N,  Y,   Y,  NA,  Y),
         shows=Figure("overall.count")),
    Seen("GET members:time_to_card", "x_member",         (NA,  NA, NA, Y,  Y,  N,  Y,   Y,  NA,  Y),
         shows=Figure("#overall-count")),
]
# fmt: on


class Targets(dict[str, Any]):
    """The named objects of the matrix. Each module's rows add their own; a name is given once, so one module's
    object can never silently replace another's (the rows of the first would then be called on the wrong object)."""

    def __setitem__(self, name: str, value: Any) -> None:
        if name in self:
            raise KeyError(f"matrix target {name!r} is already taken; give the new object its own name")
        super().__setitem__(name, value)


def build_targets(world: World) -> Targets:
    """The objects rows point at, all placed in district X, plus the world's own nodes and accounts."""
    targets = Targets()
    for name in World.__dataclass_fields__:
        if name != "actors":
            targets[name] = getattr(world, name)
    for name, actor in world.actors.items():
        targets[name] = actor
    superuser = world.actor("superuser")
    # Staff accounts below district X: one on street X, one in union A (which union A's own staff can see).
    targets["x_clerk"] = staff_account_create(
        actor=superuser,
        org_id=world.street_x.pk,
        username="x_clerk",
        display_name="X街道文员",
        password=STRONG_PASSWORD,
        roles=[Role.READ_ONLY],
        phone="13900000011",
    )
    targets["a_clerk"] = staff_account_create(
        actor=superuser,
        org_id=world.union_a.pk,
        username="a_clerk",
        display_name="X甲公司文员",
        password=STRONG_PASSWORD,
        roles=[Role.READ_ONLY],
        phone="13900000012",
    )
    targets["x_clerk_created"] = AuditEvent.objects.get(action="account.create", object_id=str(targets["x_clerk"].pk))
    # A finished export of district X's staff (with its file), and a job of the worker's own.
    job = Job.objects.create(
        owner=world.actor("district_x_staff"),
        kind="org.export",
        title="导出 X街道总工会",
        status=Job.Status.SUCCEEDED,
        done=5,
        total=5,
        params={"org_id": world.street_x.pk},
    )
    job.result_file.save("org-T-XS.csv", ContentFile("\ufeffcode,name\nT-XS,X街道总工会\n".encode()), save=True)
    targets["x_staff_job"] = job
    targets["worker_job"] = Job.objects.create(owner=world.actor("worker"), kind="demo", title="职工自己的任务")
    # A real registration code, sent through the SMS gateway and read back from its outbox.
    with TestCase.captureOnCommitCallbacks(execute=True):
        sms_code_send(phone=REGISTER_PHONE, purpose="register")
    targets["code"] = outbox_messages(REGISTER_PHONE)[-1]["params"]["code"]  # type: ignore[index]
    # Membership in district X: the worker's application waiting at union A, and the other worker a member of union A
    # with a card to show; a code sent to the phone the application rows verify.
    targets["x_application"] = application_submit(
        actor=world.actor("worker"),
        name="王师傅",
        id_number=id_number(1),
        phone=world.user("worker").phone,
        job_group="courier",
        work_street_id=world.street_x.pk,
        employer_id=world.employer_a.pk,
        consent=True,
    )
    joined = application_submit(
        actor=world.actor("other_worker"),
        name="李师傅",
        id_number=id_number(2),
        phone=world.user("other_worker").phone,
        job_group="delivery_rider",
        work_street_id=world.street_x.pk,
        employer_id=world.employer_a.pk,
        consent=True,
    )
    targets["x_member"] = application_approve(actor=superuser, application_id=joined.pk)
    targets["x_card_token"] = card_token_issue(membership=targets["x_member"])
    # A member who left union A for union B in district Y: union A's line of the tree keeps seeing the transfer out,
    # district Y's staff, who now hold the member, do not (it is not theirs to see where members went).
    mover = make_user("x_mover", display_name="钱师傅", phone="13700000093")
    moved = application_submit(
        actor=mover,
        name="钱师傅",
        id_number=id_number(4),
        phone=mover.phone,
        job_group="courier",
        work_street_id=world.street_x.pk,
        employer_id=world.employer_a.pk,
        consent=True,
    )
    moved = application_approve(actor=superuser, application_id=moved.pk)
    membership_transfer(actor=superuser, membership_id=moved.pk, new_union_id=world.union_b.pk)
    targets["x_transfer"] = MembershipTransfer.objects.get(membership=moved, from_union=world.union_a)
    with TestCase.captureOnCommitCallbacks(execute=True):
        sms_code_send(phone=APPLY_PHONE, purpose="verify_phone")
    targets["apply_code"] = outbox_messages(APPLY_PHONE)[-1]["params"]["code"]  # type: ignore[index]
    targets["password"] = PASSWORD
    # The ten-minute circle: a finished analysis of district X with one site suggestion, a layer and a candidate list.
    from tests.authz.planning_rows import planning_targets

    planning_targets(world, targets)
    # The service network: open, planned and mobile points of street X.
    from tests.authz.network_rows import network_targets

    network_targets(world, targets)
    # The service menu: a home of street X with its menu and the worker's orders.
    from tests.authz.servicemenu_rows import servicemenu_targets

    servicemenu_targets(world, targets)
    # Venue booking: a home of street X with a court, bookings, an offer, a queue place and a suspension.
    from tests.authz.bookings_rows import bookings_targets

    bookings_targets(world, targets)
    # The inbox: an unread message for every account, and one of the worker's the rows point at.
    from tests.authz.notifications_rows import notifications_targets

    notifications_targets(world, targets)
    # Member points: a rule, a merchant and an item of street X; the member's points and one redemption code.
    from tests.authz.points_rows import points_targets

    points_targets(world, targets)
    # Activities and interest groups: activities of street X (open, full with an offer, under way) and a group.
    from tests.authz.activities_rows import activities_targets

    activities_targets(world, targets)
    # Rating homes: a home of street X the workers visited, a rating, an opinion, an evaluation and an award list.
    from tests.authz.ratings_rows import ratings_targets

    ratings_targets(world, targets)
    return targets


def resolve(value: Any, targets: dict[str, Any]) -> Any:
    """Request data with every Ref replaced by the object's primary key."""
    if isinstance(value, Ref):
        obj = targets[value.name]
        return getattr(obj, "pk", obj)
    if isinstance(value, dict):
        return {k: resolve(v, targets) for k, v in value.items()}
    if isinstance(value, list):
        return [resolve(v, targets) for v in value]
    return value


# The ten-minute circle's rows live beside this file; they use the row types above.
from tests.authz.planning_rows import PLANNING_API_ROWS, PLANNING_PAGE_ROWS, PLANNING_SEEN_ROWS  # noqa: E402

API_ROWS += PLANNING_API_ROWS
PAGE_ROWS += PLANNING_PAGE_ROWS
SEEN_ROWS += PLANNING_SEEN_ROWS

# The service network's rows, likewise.
from tests.authz.network_rows import (  # noqa: E402
    NETWORK_API_ROWS,
    NETWORK_NOT_SCOPED,
    NETWORK_PAGE_ROWS,
    NETWORK_SEEN_ROWS,
)

API_ROWS += NETWORK_API_ROWS
PAGE_ROWS += NETWORK_PAGE_ROWS
SEEN_ROWS += NETWORK_SEEN_ROWS
NOT_SCOPED |= NETWORK_NOT_SCOPED

# The roster files' rows (import, template, export), likewise.
from tests.authz.roster_rows import ROSTER_API_ROWS, ROSTER_NOT_SCOPED, ROSTER_PAGE_ROWS  # noqa: E402

API_ROWS += ROSTER_API_ROWS
PAGE_ROWS += ROSTER_PAGE_ROWS
NOT_SCOPED |= ROSTER_NOT_SCOPED

# The inbox's rows, likewise.
from tests.authz.notifications_rows import (  # noqa: E402
    NOTIFICATIONS_API_ROWS,
    NOTIFICATIONS_NOT_SCOPED,
    NOTIFICATIONS_PAGE_ROWS,
    NOTIFICATIONS_SEEN_ROWS,
)

API_ROWS += NOTIFICATIONS_API_ROWS
PAGE_ROWS += NOTIFICATIONS_PAGE_ROWS
SEEN_ROWS += NOTIFICATIONS_SEEN_ROWS
NOT_SCOPED |= NOTIFICATIONS_NOT_SCOPED

# Member points' rows, likewise.
from tests.authz.points_rows import (  # noqa: E402
    POINTS_API_ROWS,
    POINTS_NOT_SCOPED,
    POINTS_PAGE_ROWS,
    POINTS_SEEN_ROWS,
)

API_ROWS += POINTS_API_ROWS
PAGE_ROWS += POINTS_PAGE_ROWS
SEEN_ROWS += POINTS_SEEN_ROWS
NOT_SCOPED |= POINTS_NOT_SCOPED

# The service menu's rows, likewise.
from tests.authz.servicemenu_rows import (  # noqa: E402
    SERVICEMENU_API_ROWS,
    SERVICEMENU_NOT_SCOPED,
    SERVICEMENU_PAGE_ROWS,
    SERVICEMENU_SEEN_ROWS,
)

API_ROWS += SERVICEMENU_API_ROWS
PAGE_ROWS += SERVICEMENU_PAGE_ROWS
SEEN_ROWS += SERVICEMENU_SEEN_ROWS
NOT_SCOPED |= SERVICEMENU_NOT_SCOPED

# Venue booking's rows, likewise.
from tests.authz.bookings_rows import (  # noqa: E402
    BOOKINGS_API_ROWS,
    BOOKINGS_NOT_SCOPED,
    BOOKINGS_PAGE_ROWS,
    BOOKINGS_SEEN_ROWS,
)

API_ROWS += BOOKINGS_API_ROWS
PAGE_ROWS += BOOKINGS_PAGE_ROWS
SEEN_ROWS += BOOKINGS_SEEN_ROWS
NOT_SCOPED |= BOOKINGS_NOT_SCOPED

# Activities' rows, likewise.
from tests.authz.activities_rows import (  # noqa: E402
    ACTIVITIES_API_ROWS,
    ACTIVITIES_NOT_SCOPED,
    ACTIVITIES_PAGE_ROWS,
    ACTIVITIES_SEEN_ROWS,
)

API_ROWS += ACTIVITIES_API_ROWS
PAGE_ROWS += ACTIVITIES_PAGE_ROWS
SEEN_ROWS += ACTIVITIES_SEEN_ROWS
NOT_SCOPED |= ACTIVITIES_NOT_SCOPED

# Rating homes' rows, likewise.
from tests.authz.ratings_rows import (  # noqa: E402
    RATINGS_API_ROWS,
    RATINGS_NOT_SCOPED,
    RATINGS_PAGE_ROWS,
    RATINGS_SEEN_ROWS,
)

API_ROWS += RATINGS_API_ROWS
PAGE_ROWS += RATINGS_PAGE_ROWS
SEEN_ROWS += RATINGS_SEEN_ROWS
NOT_SCOPED |= RATINGS_NOT_SCOPED
