"""The authorization matrix rows of rating homes, and the objects they point at: a shared home of street X that the
worker visited and rated and the other worker visited, the worker's opinion about it, an evaluation of district X
with its homes, and an award list of district X.

Members rate and send opinions; staff accounts never rate (403). Staff reach only what lies in their subtree (404
beyond it, so union A's staff below street X never see street X's home); read-only staff see but may not reply,
assess or share money (403); the case handler holds none of these permissions.
"""

from __future__ import annotations

from typing import Any

from tests.authz.matrix import AWAY, FORM, LOGIN, OWN, PUBLIC, Listed, Ref, Row, Seen, Text, api, page

STARS = {"environment": 5, "facilities": 4, "services": 5, "staff": 4, "activities": 3}
RATE = {"stars": STARS, "comment": "很温馨"}
PAGE_RATE = {**{f"star_{k}": str(v) for k, v in STARS.items()}, "comment": "很温馨"}
OPINION = {"body": "希望周末也开放", "point_id": Ref("x_home")}
PAGE_OPINION = {"body": "希望周末也开放", "point": Ref("x_home")}
REPLY = {"body": "感谢您的评价"}
ANSWER = {"answer": "周六上午开放"}
RULES = {"org_id": Ref("district_x"), "visit_days": 60, "period": "year"}
CRITERIA = {
    "org_id": Ref("district_x"),
    "criteria": [{"code": "clean", "label": "整洁"}, {"code": "warm", "label": "温馨"}],
}
SCHEME = {"org_id": Ref("district_x"), "year": 2026, "weights": [50, 25, 25], "thresholds": [60, 70, 80, 88, 95]}
ASSESS = {"year": 2026, "source": "higher", "scores": dict.fromkeys(STARS, 90)}
PAGE_ASSESS = {"year": "2026", "source": "higher", "note": "", **{f"score_{k}": "90" for k in STARS}}
PAGE_SCHEME = {
    "year": "2026",
    "member_weight": "50",
    "unit_weight": "25",
    "higher_weight": "25",
    **{f"star{n}": str(t) for n, t in zip(range(1, 6), [60, 70, 80, 88, 95], strict=True)},
}
PAGE_RULES = {"visit_days": "60", "period": "year"}
WEIGHTS = {"area": 40, "checkins": 20, "rating": 20, "satisfaction": 20}
EVALUATION = {
    "owner_id": Ref("district_x"),
    "year": 2026,
    "title": "2026年度考评",
    "budget_fen": 1_000_000,
    "weights": WEIGHTS,
}
PAGE_EVALUATION = {
    "owner": Ref("district_x"),
    "year": "2026",
    "title": "2026年度考评",
    "budget_yuan": "10000.00",
    "cap_yuan": "",
    **{
        f"w_{k}": str(WEIGHTS.get(k, 0))
        for k in ("area", "checkins", "activities", "attendance", "orders", "rating", "satisfaction")
    },
}
HOME_PATCH = {"area": 321}
PAGE_HOME = {
    "area": "321",
    "checkins": "0",
    "activities": "0",
    "attendance": "0",
    "orders": "0",
    "rating": "0",
    "satisfaction": "0",
    "cap_yuan": "",
}
AWARDS = {
    "owner_id": Ref("district_x"),
    "year": 2026,
    "title": "以奖代补",
    "benchmark_fen": 2_000_000,
    "candidate_fen": 1_000_000,
}
PAGE_AWARDS = {
    "owner": Ref("district_x"),
    "year": "2026",
    "title": "以奖代补",
    "benchmark_yuan": "20000",
    "candidate_yuan": "10000",
}
ENTRY = {"union_id": Ref("union_a"), "level": "benchmark"}
NEED = {"title": "希望有充电柜", "point_id": Ref("x_home")}
PAGE_NEED = {"title": "希望有充电柜", "body": "", "service_type": "", "point": Ref("x_home")}
RESOURCE = {"kind": "room", "name": "多功能活动室", "quantity": 1}
PAGE_RESOURCE = {"kind": "room", "name": "多功能活动室", "description": "", "quantity": "1"}
PAGE_ENTRY = {"union_code": "T-UA", "level": "benchmark"}

# fmt: off
RATINGS_API_ROWS: list[Row] = [
    #   operation                                      on               anon wkr  oth  uA   dX   dY   city ro   case su
    api("GET /ratings/points/{point_id}/summary",     "x_home",     (200, 200, 200, 200, 200, 200, 200, 200, 200, 200)),
    api("GET /ratings/points/{point_id}/ratings",     "x_home",     (200, 200, 200, 200, 200, 200, 200, 200, 200, 200)),
    # The worker rated this period already; the other worker visited and may; staff accounts never rate.
    api("POST /ratings/points/{point_id}/ratings",     "x_home",     (401, 409, 201, 403, 403, 403, 403, 403, 403, 403),
        RATE),
    api("GET /ratings/mine",                         None,          (401, 200, 200, 200, 200, 200, 200, 200, 200, 200)),
    api("POST /ratings/opinions",                     None,          (401, 201, 201, 403, 403, 403, 403, 403, 403, 403),
        OPINION),
    api("GET /ratings/opinions/mine",                None,          (401, 200, 200, 200, 200, 200, 200, 200, 200, 200)),
    api("GET /ratings",                              None,          (401, 200, 200, 200, 200, 200, 200, 200, 200, 200)),
    api("POST /ratings/{rating_id}/replies",          "x_rating",    (401, 404, 404, 404, 201, 404, 201, 403, 404, 201),
        REPLY),
    api("GET /ratings/opinions",                     None,          (401, 200, 200, 200, 200, 200, 200, 200, 200, 200)),
    api("POST /ratings/opinions/{opinion_id}/answer",  "x_opinion",  (401, 404, 404, 404, 200, 404, 200, 403, 404, 200),
        ANSWER),
    api("PUT /ratings/rules",                         None,          (401, 404, 404, 404, 200, 404, 200, 403, 404, 200),
        RULES),
    api("PUT /ratings/criteria",                      None,          (401, 404, 404, 404, 200, 404, 200, 403, 404, 200),
        CRITERIA),
    api("PUT /ratings/stars/scheme",                  None,          (401, 404, 404, 404, 200, 404, 200, 403, 404, 200),
        SCHEME),
    api("GET /ratings/stars",                        None,          (401, 200, 200, 200, 200, 200, 200, 200, 200, 200)),
    api("GET /ratings/stars/{point_id}",             "x_home",      (401, 404, 404, 404, 200, 404, 200, 200, 404, 200)),
    # District X and the city sit above street X, so theirs is the higher union's assessment.
    api("PUT /ratings/stars/{point_id}/assessments",   "x_home",     (401, 404, 404, 404, 200, 404, 200, 403, 404, 200),
        ASSESS),
    api("GET /ratings/evaluations",                  None,          (401, 200, 200, 200, 200, 200, 200, 200, 200, 200)),
    api("POST /ratings/evaluations",                  None,          (401, 404, 404, 404, 201, 404, 201, 403, 404, 201),
        EVALUATION),
    api("GET /ratings/evaluations/{evaluation_id}", "x_evaluation", (401, 404, 404, 404, 200, 404, 200, 200, 404, 200)),
    api("POST /ratings/evaluations/{evaluation_id}/finalise", "x_evaluation",
                                                                    (401, 404, 404, 404, 200, 404, 200, 403, 404, 200)),
    api("PATCH /ratings/evaluation-homes/{home_id}",  "x_eval_home", (401, 404, 404, 404, 200, 404, 200, 403, 404, 200),
        HOME_PATCH),
    api("GET /ratings/awards",                       None,          (401, 200, 200, 200, 200, 200, 200, 200, 200, 200)),
    api("POST /ratings/awards",                       None,          (401, 404, 404, 404, 201, 404, 201, 403, 404, 201),
        AWARDS),
    api("POST /ratings/awards/{award_list_id}/entries", "x_awards",  (401, 404, 404, 404, 201, 404, 201, 403, 404, 201),
        ENTRY),
    api("GET /ratings/summaries", None, (200, 200, 200, 200, 200, 200, 200, 200, 200, 200),
        {"point_id": [Ref("x_home")]}),
    api("GET /ratings/points/{point_id}/lists", "x_home", (200, 200, 200, 200, 200, 200, 200, 200, 200, 200)),
    api("POST /ratings/points/{point_id}/resources", "x_home", (401, 404, 404, 404, 201, 404, 201, 403, 404, 201),
        RESOURCE),
    # Workers post needs anywhere; staff only for unions of their own subtree (read-only staff included).
    api("POST /ratings/needs", None,          (401, 201, 201, 404, 201, 404, 201, 201, 404, 201), NEED),
    api("GET /ratings/needs/mine", None,      (401, 200, 200, 200, 200, 200, 200, 200, 200, 200)),
    api("GET /ratings/needs", None,           (401, 200, 200, 200, 200, 200, 200, 200, 200, 200)),
    api("GET /ratings/needs/unanswered", None, (401, 200, 200, 200, 200, 200, 200, 200, 200, 200)),
    api("POST /ratings/needs/{need_id}/close", "x_need", (401, 404, 404, 404, 200, 404, 200, 403, 404, 200)),
]

RATINGS_PAGE_ROWS: list[Row] = [
    #    page                               on               anon   wkr  oth  uA    dX   dY    city ro   case su
    page("GET ratings:rate",                "x_home",       (LOGIN, 200, 200, 200,  200, 200,  200, 200, 200, 200)),
    page("POST ratings:rate",              "x_home",       (LOGIN, FORM, 302, FORM, FORM, FORM, FORM, FORM, FORM, FORM),
         PAGE_RATE),
    page("GET ratings:opinion_new",         None,           (LOGIN, 200, 200, 200,  200, 200,  200, 200, 200, 200)),
    page("POST ratings:opinion_new",        None,           (LOGIN, 302, 302, FORM, FORM, FORM, FORM, FORM, FORM, FORM),
         PAGE_OPINION),
    page("GET ratings:mine",                None,           (LOGIN, 200, 200, 200,  200, 200,  200, 200, 200, 200)),
    page("GET ratings:console",             None,           (LOGIN, 404, 404, 200,  200, 200,  200, 200, 403, 200)),
    page("GET ratings:rating_reply",        "x_rating",     (  405, 405, 405, 405,  405, 405,  405, 405, 405, 405)),
    page("POST ratings:rating_reply",       "x_rating",     (LOGIN, 404, 404, 404,  302, 404,  302, 403, 403, 302),
         REPLY),
    page("GET ratings:opinions",            None,           (LOGIN, 404, 404, 200,  200, 200,  200, 200, 403, 200)),
    page("GET ratings:opinion",             "x_opinion",    (LOGIN, 404, 404, 404,  200, 404,  200, 200, 403, 200)),
    page("POST ratings:opinion",            "x_opinion",    (LOGIN, 404, 404, 404,  302, 404,  302, 403, 403, 302),
         ANSWER),
    page("GET ratings:stars",               None,           (LOGIN, 404, 404, 200,  200, 200,  200, 200, 403, 200)),
    page("GET ratings:scheme",              None,           (  405, 405, 405, 405,  405, 405,  405, 405, 405, 405)),
    # Each union sets the scheme and rules of its own node; the superuser is bound to none and is sent back.
    page("POST ratings:scheme",             None,           (LOGIN, 404, 404, 302,  302, 302,  302, 403, 403, AWAY),
         PAGE_SCHEME),
    page("GET ratings:rules",               None,           (  405, 405, 405, 405,  405, 405,  405, 405, 405, 405)),
    page("POST ratings:rules",              None,           (LOGIN, 404, 404, 302,  302, 302,  302, 403, 403, AWAY),
         PAGE_RULES),
    page("GET ratings:star_home",           "x_home",       (LOGIN, 404, 404, 404,  200, 404,  200, 200, 403, 200)),
    page("POST ratings:star_home",          "x_home",       (LOGIN, 404, 404, 404,  302, 404,  302, 403, 403, 302),
         PAGE_ASSESS),
    page("GET ratings:evaluations",         None,           (LOGIN, 404, 404, 200,  200, 200,  200, 200, 403, 200)),
    # Union A's and district Y's staff cannot choose district X: the form says so and nothing is made.
    page("POST ratings:evaluations",        None,           (LOGIN, 404, 404, FORM, 302, FORM, 302, 403, 403, 302),
         PAGE_EVALUATION),
    page("GET ratings:evaluation",          "x_evaluation", (LOGIN, 404, 404, 404,  200, 404,  200, 200, 403, 200)),
    page("GET ratings:evaluation_home",     "x_eval_home",  (LOGIN, 404, 404, 404,  200, 404,  200, 403, 403, 200)),
    page("POST ratings:evaluation_home",    "x_eval_home",  (LOGIN, 404, 404, 404,  302, 404,  302, 403, 403, 302),
         PAGE_HOME),
    page("GET ratings:evaluation_finalise", "x_evaluation", (  405, 405, 405, 405,  405, 405,  405, 405, 405, 405)),
    page("POST ratings:evaluation_finalise", "x_evaluation", (LOGIN, 404, 404, 404, 302, 404,  302, 403, 403, 302)),
    page("GET ratings:evaluation_xlsx",     "x_evaluation", (LOGIN, 404, 404, 404,  200, 404,  200, 200, 403, 200)),
    page("GET ratings:awards",              None,           (LOGIN, 404, 404, 200,  200, 200,  200, 200, 403, 200)),
    page("POST ratings:awards",             None,           (LOGIN, 404, 404, FORM, 302, FORM, 302, 403, 403, 302),
         PAGE_AWARDS),
    page("GET ratings:award",               "x_awards",     (LOGIN, 404, 404, 404,  200, 404,  200, 200, 403, 200)),
    page("POST ratings:award",              "x_awards",     (LOGIN, 404, 404, 404,  302, 404,  302, 403, 403, 302),
         PAGE_ENTRY),
    page("GET ratings:point_lists", "x_home", (200, 200, 200, 200, 200, 200, 200, 200, 200, 200)),
    page("GET ratings:need_new", None, (LOGIN, 200, 200, 200, 200, 200, 200, 200, 200, 200)),
    page("POST ratings:need_new", None, (LOGIN, 302, 302, 404, 302, 404, 302, 302, 404, 302), PAGE_NEED),
    page("GET ratings:needs", None, (LOGIN, 404, 404, 200, 200, 200, 200, 200, 403, 200)),
    page("GET ratings:need_close", "x_need", (405, 405, 405, 405, 405, 405, 405, 405, 405, 405)),
    page("POST ratings:need_close", "x_need", (LOGIN, 404, 404, 404, 302, 404, 302, 403, 403, 302)),
    page("GET ratings:resource_add", "x_home", (405, 405, 405, 405, 405, 405, 405, 405, 405, 405)),
    page("POST ratings:resource_add", "x_home", (LOGIN, 404, 404, 404, 302, 404, 302, 403, 403, 302),
         PAGE_RESOURCE),
    page("GET ratings:award_xlsx",          "x_awards",     (LOGIN, 404, 404, 404,  200, 404,  200, 200, 403, 200)),
]

Y, N, NA = True, False, None
RATINGS_SEEN_ROWS: list[Seen] = [
    Seen("GET /ratings",                    "x_rating",     (NA,  N,  N,  N,  Y,  N,  Y,   Y,  N,   Y)),
    Seen("GET /ratings/opinions",           "x_opinion",    (NA,  N,  N,  N,  Y,  N,  Y,   Y,  N,   Y)),
    Seen("GET /ratings/evaluations",        "x_evaluation", (NA,  N,  N,  N,  Y,  N,  Y,   Y,  N,   Y)),
    Seen("GET /ratings/needs",              "x_need",       (NA,  N,  N,  N,  Y,  N,  Y,   Y,  N,   Y)),
    Seen("GET /ratings/awards",             "x_awards",     (NA,  N,  N,  N,  Y,  N,  Y,   Y,  N,   Y)),
    Seen("GET /ratings/stars",              "x_home",       (NA,  N,  N,  N,  Y,  N,  Y,   Y,  N,   Y),
         shows=Listed("items", "point_id")),
    # The worker's need names no catalogue service, so no service answers it within ten minutes.
    Seen("GET /ratings/needs/unanswered",   "x_need",       (NA,  N,  N,  N,  Y,  N,  Y,   Y,  N,   Y),
         shows=Listed("", "need.id")),
    Seen("GET ratings:console",             "x_rating",     (NA,  NA, NA, N,  Y,  N,  Y,   Y,  NA,  Y),
         shows=Text("point.name")),
    Seen("GET ratings:opinions",            "x_opinion",    (NA,  NA, NA, N,  Y,  N,  Y,   Y,  NA,  Y),
         shows=Text("body")),
    Seen("GET ratings:stars",               "x_home",       (NA,  NA, NA, N,  Y,  N,  Y,   Y,  NA,  Y),
         shows=Text("name")),
    Seen("GET ratings:evaluations",         "x_evaluation", (NA,  NA, NA, N,  Y,  N,  Y,   Y,  NA,  Y),
         shows=Text("title")),
    Seen("GET ratings:awards",              "x_awards",     (NA,  NA, NA, N,  Y,  N,  Y,   Y,  NA,  Y),
         shows=Text("title")),
    Seen("GET ratings:needs",               "x_need",       (NA,  NA, NA, N,  Y,  N,  Y,   Y,  NA,  Y),
         shows=Text("title")),
]
# fmt: on

ABOUT_A_HOME = "a worker's form about a public home: it lists nothing of a district's own"
RATINGS_NOT_SCOPED: dict[str, str] = {
    "GET /ratings/points/{point_id}/summary": PUBLIC,
    "GET /ratings/points/{point_id}/ratings": PUBLIC,
    "GET /ratings/points/{point_id}/lists": PUBLIC,
    "GET /ratings/summaries": PUBLIC,
    "GET /ratings/mine": OWN,
    "GET /ratings/opinions/mine": OWN,
    "GET /ratings/needs/mine": OWN,
    "GET ratings:rate": ABOUT_A_HOME,
    "GET ratings:opinion_new": ABOUT_A_HOME,
    "GET ratings:need_new": ABOUT_A_HOME,
    "GET ratings:point_lists": PUBLIC,
    "GET ratings:mine": OWN,
}


def ratings_targets(world: Any, targets: dict[str, Any]) -> None:
    from zhijia.network import services as network_services
    from zhijia.network.models import PointKind
    from zhijia.ratings import services
    from zhijia.servicemenu.models import ServiceType
    from zhijia.servicemenu.services import (
        offering_create,
        order_accept,
        order_complete,
        order_create,
        order_schedule,
    )

    superuser = world.user("superuser")
    home = network_services.point_create(
        actor=superuser,
        owner_id=world.street_x.pk,
        name="X街道共享职工之家",
        kind=PointKind.SHARED_HOME,
        home_subtype="community",
        lng=116.40,
        lat=39.90,
        area_m2=800,
    )
    targets["x_home"] = home
    # Real visits: each worker orders a service there and the staff complete it.
    offering = offering_create(
        actor=superuser,
        point_id=home.pk,
        service_type_id=ServiceType.objects.get(code="haircut").pk,
        weekdays=0b1111111,
        starts_minute=0,
        ends_minute=1440,
    )
    import datetime as dt

    from django.utils import timezone

    for who in ("worker", "other_worker"):
        order = order_create(actor=world.user(who), offering_id=offering.pk)
        order_accept(actor=superuser, order_id=order.pk)
        order_schedule(actor=superuser, order_id=order.pk, scheduled_at=timezone.now() + dt.timedelta(hours=3))
        order_complete(actor=superuser, order_id=order.pk)
    targets["x_rating"] = services.rating_submit(actor=world.user("worker"), point_id=home.pk, stars=STARS)
    targets["x_opinion"] = services.opinion_submit(actor=world.user("worker"), body="厕所要加扶手", point_id=home.pk)
    evaluation = services.evaluation_create(
        actor=superuser,
        owner_id=world.district_x.pk,
        year=2026,
        title="X区2026年度考评",
        budget_fen=500_000,
        weights={"area": 100},
    )
    targets["x_evaluation"] = evaluation
    targets["x_eval_home"] = evaluation.homes.get(point=home)
    targets["x_need"] = services.need_post(actor=world.user("worker"), title="希望有针线包", point_id=home.pk)
    targets["x_awards"] = services.award_list_create(
        actor=superuser,
        owner_id=world.district_x.pk,
        year=2026,
        title="X区以奖代补",
        benchmark_fen=2_000_000,
        candidate_fen=1_000_000,
    )
