"""The authorization matrix rows of the roster files (import, template, export): a district's staff can neither
import into nor export another district's unions, read-only staff export masked only, nobody else gets in."""

from __future__ import annotations

from typing import Any

from tests.authz.matrix import FORM, LOGIN, TYPED, Ref, Row, api, page
from zhijia.members.idnumber import check_character
from zhijia.members.roster_files import header_labels

assert FORM  # the roster pages refuse by status, never inside their forms


def _roster_csv() -> bytes:
    first17 = "11010519800101123"
    member = f"测试导入,{first17 + check_character(first17)},13900000099,T-UA,,快递员,否,否,"
    lines = [",".join(header_labels()), member]
    return ("\n".join(lines) + "\n").encode()


class RosterUpload:
    """A roster file the test client can send again and again (each actor posts the same upload)."""

    name = "roster.csv"
    content_type = "text/csv"

    def read(self, *args: Any) -> bytes:
        return _roster_csv()


PAGE_IMPORT_INTO_UNION_A = {"file": RosterUpload(), "mode": "accept_valid", "union_code": "T-UA"}
PAGE_EXPORT_STREET_X = {"under_code": "T-XS", "format": "xlsx"}
PAGE_FULL_EXPORT_STREET_X = {"under_code": "T-XS", "format": "csv", "full": "on"}
EXPORT_STREET_X = {"under_id": Ref("street_x"), "format": "xlsx"}
FULL_EXPORT_STREET_X = {"under_id": Ref("street_x"), "format": "csv", "full": True}

REVIEW_POLICY_AUTO = {"auto_approve": "on", "require_phone_verified": "on"}
ROUTING_INDUSTRY_FIRST = {
    "industry_federation__priority": 1, "industry_federation__active": "on",
    "employer_union__priority": 2, "employer_union__active": "on",
    "street_joint_or_grid__priority": 3, "street_joint_or_grid__active": "on",
    "community_or_street__priority": 4,
}  # fmt: skip

# fmt: off
ROSTER_API_ROWS: list[Row] = [
    #   operation                                 on             anon wkr  oth  uA   dX   dY   city ro   case su
    api("GET /roster/template",                   None,         (401, 404, 404, 200, 200, 200, 200, 403, 403, 200)),
    # The scope comes before the file: whoever may import is told the file is missing (400), nobody else learns it.
    api("POST /roster/import",                    None,         (401, 404, 404, 400, 400, 400, 400, 403, 403, 400)),
    api("POST /roster/export",                    None,         (401, 404, 404, 404, 202, 404, 202, 202, 403, 202),
        EXPORT_STREET_X),
    # In full only for roles that may reveal personal data (read-only staff may not).
    api("POST /roster/export",                    None,         (401, 404, 404, 404, 202, 404, 202, 403, 403, 202),
        FULL_EXPORT_STREET_X),
]

ROSTER_PAGE_ROWS: list[Row] = [
    #    page                                on              anon   wkr  oth  uA   dX   dY   city ro   case su
    page("GET roster_files:import",          None,          (LOGIN, 404, 404, 200, 200, 200, 200, 403, 403, 200)),
    # District Y's staff asking for union A (district X) gets 404 and nothing starts.
    page("POST roster_files:import",         None,          (LOGIN, 404, 404, 302, 302, 404, 302, 403, 403, 302),
         PAGE_IMPORT_INTO_UNION_A),
    page("GET roster_files:template",        None,          (LOGIN, 404, 404, 200, 200, 200, 200, 403, 403, 200)),
    page("GET roster_files:export",          None,          (LOGIN, 404, 404, 200, 200, 200, 200, 200, 403, 200)),
    page("POST roster_files:export",         None,          (LOGIN, 404, 404, 404, 302, 404, 302, 302, 403, 302),
         PAGE_EXPORT_STREET_X),
    page("POST roster_files:export",         None,          (LOGIN, 404, 404, 404, 302, 404, 302, 403, 403, 302),
         PAGE_FULL_EXPORT_STREET_X),
    # Reissuing a printed card (the old one stops checking as valid): the member's union and those above it.
    page("GET members:member_card_reissue",  "x_member",    (  405, 405, 405, 405, 405, 405, 405, 405, 405, 405)),
    page("POST members:member_card_reissue", "x_member",    (LOGIN, 404, 404, 302, 302, 404, 302, 403, 403, 302)),
    # Joining rules: union A's auto-approval, district X's routing order, by staff who manage members above them.
    page("GET members:review_policy",        "union_a",     (LOGIN, 404, 404, 200, 200, 404, 200, 403, 403, 200)),
    page("POST members:review_policy",       "union_a",     (LOGIN, 404, 404, 302, 302, 404, 302, 403, 403, 302),
         REVIEW_POLICY_AUTO),
    page("GET members:routing_rules",        "district_x",  (LOGIN, 404, 404, 404, 200, 404, 200, 403, 403, 200)),
    page("POST members:routing_rules",       "district_x",  (LOGIN, 404, 404, 404, 302, 404, 302, 403, 403, 302),
         ROUTING_INDUSTRY_FIRST),
]
# fmt: on

BLANK = "the blank roster file to fill in"
ROSTER_NOT_SCOPED: dict[str, str] = {
    "GET /roster/template": BLANK,
    "GET roster_files:import": TYPED,
    "GET roster_files:template": BLANK,
    "GET roster_files:export": TYPED,
}
