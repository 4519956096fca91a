"""The printed card: its QR code does not expire like the e-card's, and staff reissuing the card void the printed
ones, which the verify check then calls invalid."""

from __future__ import annotations

import io
from urllib.parse import parse_qs, urlsplit

import zxingcpp
from django.urls import reverse
from PIL import Image

from zhijia.audit.models import AuditEvent
from zhijia.members import services
from zhijia.members.models import Membership
from zhijia.members.tests.membership_support import member


def _printed_token(client) -> str:
    image = Image.open(io.BytesIO(client.get(reverse("members:card_png")).content))
    (found,) = zxingcpp.read_barcodes(image.convert("L"))
    return parse_qs(urlsplit(found.text).query)["token"][0]


def _check(api, token):
    return api.get("/cards/verify", token=token).json()["status"]


def test_a_printed_card_stays_valid_after_the_e_cards_ten_minutes(world, client_as, api_as, monkeypatch):
    # given a member's downloaded card, and an e-card token
    membership = member(world)
    printed = _printed_token(client_as(world.user("worker")))
    e_card = services.card_token_issue(membership=membership)
    api = api_as(world.user("union_a_staff"))

    # when the e-card's ten minutes have passed
    monkeypatch.setattr("zhijia.members.services.membership.CARD_TOKEN_MAX_AGE", -1)

    # then the e-card token has expired but the printed card still checks as the member's valid card
    assert _check(api, e_card) == "expired"
    assert _check(api, printed) == "valid"
    assert services.card_token_member(printed) == (membership, "valid")
    assert _check(api, printed[:-3] + "abc") == "invalid"


def test_reissuing_the_card_voids_the_printed_ones_and_is_logged(world, client_as, api_as):
    # given a member with a printed card
    membership = member(world)
    worker = client_as(world.user("worker"))
    old = _printed_token(worker)
    api = api_as(world.user("union_a_staff"))

    # when union A's staff reissue the card from the member's page
    response = client_as(world.user("union_a_staff")).post(reverse("members:member_card_reissue", args=[membership.pk]))

    # then the old card is invalid, the newly downloaded one valid, the e-card unaffected, and the reissue logged
    assert response.status_code == 302
    assert _check(api, old) == "invalid"
    assert _check(api, _printed_token(worker)) == "valid"
    assert _check(api, services.card_token_issue(membership=membership)) == "valid"
    assert Membership.objects.get(pk=membership.pk).card_version == 2
    assert AuditEvent.objects.filter(action="membership.card_reissue").count() == 1


def test_an_ended_membership_s_printed_card_checks_as_inactive(world, client_as, api_as):
    membership = member(world)
    printed = _printed_token(client_as(world.user("worker")))

    Membership.objects.filter(pk=membership.pk).update(status="withdrawn", ended_at=membership.joined_at)

    assert _check(api_as(world.user("union_a_staff")), printed) == "inactive"


def test_another_district_cannot_reissue_the_card(world, client_as):
    membership = member(world)

    response = client_as(world.user("district_y_staff")).post(
        reverse("members:member_card_reissue", args=[membership.pk])
    )

    assert response.status_code == 404
    assert Membership.objects.get(pk=membership.pk).card_version == 1
