"""Every failure of the API has one shape, {code, message, detail}, whatever went wrong."""

import pytest


def _is_error(response, status: int, code: str) -> dict:
    assert response.status_code == status
    body = response.json()
    assert set(body) == {"code", "message", "detail"}
    assert body["code"] == code
    assert body["message"]
    return body["detail"]


@pytest.mark.parametrize("raw", ["{not json", '{"parent_id": 1,}', "[1, 2", "\ufffe"])
def test_a_body_that_is_not_json_names_the_body(world, api_as, raw):
    response = api_as(world.actor("district_x_staff")).post_raw("/orgs", raw)

    detail = _is_error(response, 422, "request.invalid")
    assert detail["field"] == "body"
    assert detail["errors"][0]["type"] == "json_invalid"


def test_a_missing_field_is_named(world, api_as):
    response = api_as(world.actor("district_x_staff")).post("/orgs", {"parent_id": world.street_x.pk, "kind": "x"})

    detail = _is_error(response, 422, "request.invalid")
    assert detail["field"] == "body.payload.code"
    assert {e["field"] for e in detail["errors"]} == {"body.payload.code", "body.payload.name", "body.payload.kind"}


def test_a_wrongly_typed_path_or_query_is_named(world, api_as):
    api = api_as(world.actor("city_staff"))

    path = _is_error(api.get("/orgs/not-a-number"), 422, "request.invalid")
    query = _is_error(api.get("/orgs", kind="guild"), 422, "request.invalid")

    assert path["field"] == "path.org_id"
    assert query["field"] == "query.kind"


def test_an_unknown_org_is_not_found(world, api_as):
    detail = _is_error(api_as(world.actor("city_staff")).get("/orgs/987654321"), 404, "org.not_found")

    assert detail == {}


def test_a_node_out_of_scope_looks_exactly_like_a_missing_one(world, api_as):
    api = api_as(world.actor("district_x_staff"))

    hidden = api.get(f"/orgs/{world.union_b.pk}")
    missing = api.get("/orgs/987654321")

    assert hidden.json() == missing.json()


@pytest.mark.parametrize("path", ["/orgs", "/accounts", "/audit", "/auth/me"])
def test_without_credentials_the_api_asks_to_sign_in(db, api_as, path):
    _is_error(api_as(None).get(path), 401, "auth.required")


def test_a_refusal_by_a_rule_carries_its_field(world, api_as):
    response = api_as(world.actor("district_x_staff")).post(
        "/orgs", {"parent_id": world.community_x.pk, "code": "T-Q", "name": "错位街道", "kind": "street_federation"}
    )

    detail = _is_error(response, 400, "org.level_not_below_parent")
    assert detail == {"field": "parent"}


def test_every_response_carries_a_request_id(world, api_as):
    response = api_as(None).get("/orgs")

    assert len(response["X-Request-ID"]) == 32


def test_a_nul_character_anywhere_in_the_input_is_refused_and_named(world, api_as):
    api = api_as(world.actor("district_x_staff"))

    body = _is_error(
        api.post("/orgs", {"parent_id": world.street_x.pk, "code": "T\x00Q", "name": "甲"}), 422, "request.invalid"
    )
    query = _is_error(api.get("/orgs", q="a\x00b"), 422, "request.invalid")

    assert body["field"] == "body.code"
    assert query["field"] == "query.q"
