"""A small real organisation tree with one account of every kind, placed so that authorization can be tested
across the tree: a city with two sibling districts X and Y, a street and grassroots unions in each.

    中华全国总工会
    └── 测试市总工会 (city)
        ├── X区总工会 (district X)
        │   └── X街道总工会 (street)
        │       ├── X社区工会联合会 (community) ── X社区联合工会 (joint union)
        │       └── X甲公司工会 (enterprise union A)
        └── Y区总工会 (district Y)
            └── Y街道总工会 (street) ── Y乙公司工会 (enterprise union B)
"""

from __future__ import annotations

from dataclasses import dataclass, field
from functools import cache

from django.contrib.auth.hashers import make_password

from zhijia.accounts.models import StaffAssignment, StaffRole, User
from zhijia.core.roles import HandlerKind, Role
from zhijia.organizations.models import Employer, Organization, OrgKind
from zhijia.organizations.services import OrgSpec, org_append_children

PASSWORD = "Test-pass-2026"


@cache
def password_hash() -> str:
    # Argon2 is deliberately slow: hash the shared test password once per run, not once per account.
    return make_password(PASSWORD)


@dataclass
class World:
    national: Organization
    city: Organization
    district_x: Organization
    street_x: Organization
    community_x: Organization
    joint_x: Organization
    union_a: Organization
    district_y: Organization
    street_y: Organization
    union_b: Organization
    employer_a: Employer
    employer_b: Employer
    actors: dict[str, User | None] = field(default_factory=dict)

    def actor(self, name: str) -> User | None:
        return self.actors[name]

    def user(self, name: str) -> User:
        """A named account of the world (any actor but the anonymous visitor)."""
        user = self.actors[name]
        assert user is not None, f"{name} is not an account"
        return user


def _one(parent: Organization | None, code: str, name: str, kind: str) -> Organization:
    (node,), _ = org_append_children(actor=None, parent=parent, specs=[OrgSpec(code, name, kind)])
    return node


def make_user(
    username: str,
    *,
    display_name: str = "",
    phone: str = "",
    kind: str = User.Kind.WORKER,
    is_superuser: bool = False,
) -> User:
    user = User(
        username=username,
        display_name=display_name or username,
        kind=kind,
        is_superuser=is_superuser,
        is_staff=is_superuser,
        password=password_hash(),
    )
    if phone:
        user.set_phone(phone)
    user.save()
    return user


def make_staff(username: str, org: Organization, roles: list[str], *, phone: str = "", handler_kind: str = "") -> User:
    user = make_user(username, display_name=f"{org.name}{username}", phone=phone, kind=User.Kind.STAFF)
    assignment = StaffAssignment.objects.create(user=user, org=org, handler_kind=handler_kind)
    StaffRole.objects.bulk_create([StaffRole(assignment=assignment, role=r) for r in roles])
    return user


def build_world() -> World:
    national = _one(None, "T-CN", "中华全国总工会", OrgKind.NATIONAL_FEDERATION)
    city = _one(national, "T-CITY", "测试市总工会", OrgKind.CITY_FEDERATION)
    district_x = _one(city, "T-X", "X区总工会", OrgKind.DISTRICT_FEDERATION)
    district_y = _one(city, "T-Y", "Y区总工会", OrgKind.DISTRICT_FEDERATION)
    street_x = _one(district_x, "T-XS", "X街道总工会", OrgKind.STREET_FEDERATION)
    street_y = _one(district_y, "T-YS", "Y街道总工会", OrgKind.STREET_FEDERATION)
    community_x = _one(street_x, "T-XC", "X社区工会联合会", OrgKind.COMMUNITY)
    joint_x = _one(community_x, "T-XJ", "X社区联合工会", OrgKind.JOINT_UNION)
    union_a = _one(street_x, "T-UA", "X甲公司工会", OrgKind.ENTERPRISE_UNION)
    union_b = _one(street_y, "T-UB", "Y乙公司工会", OrgKind.ENTERPRISE_UNION)
    employer_a = Employer.objects.create(
        name="X甲公司", credit_code="91TESTXA000000001X", headcount=120, located_in=street_x, union=union_a
    )
    employer_b = Employer.objects.create(
        name="Y乙公司", credit_code="91TESTYB000000001X", headcount=80, located_in=street_y, union=union_b
    )
    world = World(
        national,
        city,
        district_x,
        street_x,
        community_x,
        joint_x,
        union_a,
        district_y,
        street_y,
        union_b,
        employer_a,
        employer_b,
    )
    world.actors = {
        "anonymous": None,
        "worker": make_user("worker", display_name="王师傅", phone="13800000001"),
        "other_worker": make_user("other_worker", display_name="李师傅", phone="13800000002"),
        "union_a_staff": make_staff("union_a_staff", union_a, [Role.UNION_ADMIN, Role.REVIEWER], phone="13900000001"),
        "district_x_staff": make_staff("district_x_staff", district_x, [Role.UNION_ADMIN], phone="13900000002"),
        "district_y_staff": make_staff("district_y_staff", district_y, [Role.UNION_ADMIN], phone="13900000003"),
        "city_staff": make_staff("city_staff", city, [Role.UNION_ADMIN], phone="13900000004"),
        "district_x_readonly": make_staff("district_x_readonly", district_x, [Role.READ_ONLY]),
        "case_handler": make_staff("case_handler", district_x, [Role.CASE_HANDLER], handler_kind=HandlerKind.LAWYER),
        "superuser": make_user("superuser", is_superuser=True, kind=User.Kind.STAFF),
    }
    return world
