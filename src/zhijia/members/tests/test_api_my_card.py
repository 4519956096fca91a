"""GET /api/v1/members/me, the member site's busiest authenticated read: its answer keeps the declared schema, always
shows the membership as it is now, and costs one query and no decryption once the token is known."""

import json
from datetime import timedelta

from django.db import connection
from django.test.utils import CaptureQueriesContext
from django.utils.dateparse import parse_datetime
from ninja.responses import NinjaJSONEncoder

from zhijia.accounts.services import api_token_issue
from zhijia.members import services
from zhijia.members.api import MyCardOut
from zhijia.members.tests.membership_support import member, valid_id
from zhijia.testing.api import JsonClient


def _card(world, settings):
    settings.API_TOKEN_CACHE_SECONDS = 60
    _, raw = api_token_issue(user=world.user("worker"))
    return JsonClient(token=raw)


def test_the_card_answers_in_its_schema_with_the_membership_as_stored(world, settings):
    membership = member(world)
    api = _card(world, settings)

    response = api.get("/members/me")

    assert response.status_code == 200
    assert response["Content-Type"] == "application/json; charset=utf-8"
    body = response.json()
    # What django-ninja would have written from the validated schema, byte for byte once parsed.
    assert json.loads(json.dumps(MyCardOut.model_validate(body).model_dump(), cls=NinjaJSONEncoder)) == body
    assert body["member_no"] == membership.member_no
    assert body["name"] == "王师傅"
    assert body["status"] == "active"
    union = world.union_a
    assert body["union"] == {"id": union.pk, "code": union.code, "name": union.name}
    joined_at = parse_datetime(body["joined_at"])
    assert joined_at is not None
    assert abs(joined_at - membership.joined_at) < timedelta(milliseconds=1)
    assert body["joined_at"].endswith("Z")
    assert services.card_token_member(body["card_token"])[1] == "valid"
    assert valid_id(1) not in response.content.decode()
    assert world.user("worker").phone not in response.content.decode()


def test_a_transfer_shows_on_the_card_at_once(world, settings):
    membership = member(world)
    api = _card(world, settings)
    assert api.get("/members/me").json()["union"]["id"] == world.union_a.pk

    services.membership_transfer(
        actor=world.user("superuser"), membership_id=membership.pk, new_union_id=world.union_b.pk
    )

    assert api.get("/members/me").json()["union"]["id"] == world.union_b.pk


def test_an_ended_membership_has_no_card(world, settings):
    membership = member(world)
    api = _card(world, settings)
    assert api.get("/members/me").status_code == 200

    services.membership_end(actor=world.user("superuser"), membership_id=membership.pk, status="withdrawn")

    response = api.get("/members/me")
    assert response.status_code == 404
    assert response.json()["code"] == "membership.not_found"


def test_the_card_costs_one_query_and_reads_no_encrypted_column(world, settings):
    member(world)
    api = _card(world, settings)
    api.get("/members/me")  # the token is known from now on

    with CaptureQueriesContext(connection) as queries:
        response = api.get("/members/me")

    assert response.status_code == 200
    (query,) = queries.captured_queries
    assert "id_number" not in query["sql"]
    assert "phone" not in query["sql"]
