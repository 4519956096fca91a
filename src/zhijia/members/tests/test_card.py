"""The member card: the e-card page, the PNG and PDF downloads (the QR code decodes to a token that verifies), and
checking a presented card through the API and the scanner page."""

from __future__ import annotations

import datetime as dt
import io
import re
from urllib.parse import parse_qs, urlsplit

import zxingcpp
from django.urls import reverse
from django.utils import timezone
from freezegun import freeze_time
from PIL import Image, ImageDraw
from pypdf import PdfReader

from zhijia.members import card, services
from zhijia.members.models import Membership
from zhijia.members.tests.membership_support import member, valid_id


def _decoded_token(image: Image.Image) -> str:
    (found,) = zxingcpp.read_barcodes(image.convert("L"))
    return parse_qs(urlsplit(found.text).query)["token"][0]


def test_the_card_page_shows_the_card_and_a_qr_code_but_no_id_or_phone(world, client_as):
    membership = member(world)

    response = client_as(world.user("worker")).get(reverse("members:card"))

    assert response.status_code == 200
    page = response.content.decode()
    assert membership.member_no in page
    assert "X甲公司工会" in page
    assert '<svg class="qr"' in page
    assert valid_id(1) not in page
    assert "13800000001" not in page


def test_someone_not_yet_a_member_is_offered_to_apply(world, client_as):
    response = client_as(world.user("other_worker")).get(reverse("members:card"))

    assert response.status_code == 200
    assert reverse("members:apply") in response.content.decode()
    assert client_as(world.user("other_worker")).get(reverse("members:card_png")).status_code == 404


def test_the_png_card_is_bank_card_sized_and_its_qr_code_verifies(world, client_as):
    membership = member(world)
    assert card.finders.find(card.FONT_FILE), "the Chinese font is vendored (make vendor)"

    response = client_as(world.user("worker")).get(reverse("members:card_png"))

    assert response.status_code == 200
    assert response["Content-Type"] == "image/png"
    assert response["Cache-Control"] == "no-store"
    assert response.content.startswith(b"\x89PNG\r\n\x1a\n")
    image = Image.open(io.BytesIO(response.content))
    assert image.size == card.PNG_SIZE == (1011, 638)
    carded, status = services.card_token_member(_decoded_token(image))
    assert status == "valid"
    assert carded == membership


def test_the_pdf_card_is_a_pdf_naming_no_id_or_phone(world, client_as):
    membership = member(world)

    response = client_as(world.user("worker")).get(reverse("members:card_pdf"))

    assert response.status_code == 200
    assert response["Content-Type"] == "application/pdf"
    assert response.content.startswith(b"%PDF")
    assert f"member-card-{membership.member_no}.pdf" in response["Content-Disposition"]
    # The text is compressed and set in a CID font: read it as a PDF reader does, with the document's properties.
    pdf = PdfReader(io.BytesIO(response.content))
    printed = "".join(page.extract_text() for page in pdf.pages)
    everything = printed + "".join(str(value) for value in (pdf.metadata or {}).values())
    assert membership.member_no in printed
    assert "王师傅" in printed
    assert "X甲公司工会" in printed
    assert valid_id(1) not in everything
    assert "13800000001" not in everything


def _qr_token(svg: str) -> str:
    """The token in the page's QR code, read back by drawing the SVG's unit squares and scanning the picture."""
    view = re.search(r'viewBox="0 0 (\d+) \d+"', svg)
    assert view is not None, "the fragment holds the QR code as an SVG"
    size = int(view.group(1))
    scale = 8
    image = Image.new("L", (size * scale, size * scale), 255)
    draw = ImageDraw.Draw(image)
    for x, y in re.findall(r"M(\d+) (\d+)h1v1h-1z", svg):
        left, top = int(x) * scale, int(y) * scale
        draw.rectangle((left, top, left + scale - 1, top + scale - 1), fill=0)
    return _decoded_token(image)


def test_the_qr_fragment_renews_the_token(world, client_as):
    membership = member(world)
    client = client_as(world.user("worker"))

    with freeze_time(timezone.now()) as clock:
        first = client.get(reverse("members:card_qr"))
        clock.tick(dt.timedelta(minutes=6))
        second = client.get(reverse("members:card_qr"))
        old, new = (_qr_token(r.content.decode()) for r in (first, second))

        assert first.status_code == second.status_code == 200
        assert first["Cache-Control"] == second["Cache-Control"] == "no-store"
        assert old != new
        assert services.card_token_member(old) == services.card_token_member(new) == (membership, "valid")
        # Once the first code's ten minutes are over only the renewed one still checks.
        clock.tick(dt.timedelta(minutes=6))
        assert services.card_token_member(old) == (None, "expired")
        assert services.card_token_member(new) == (membership, "valid")


def _check(api, token):
    return api.get("/cards/verify", token=token)


def test_staff_verify_a_presented_card_and_see_it_masked(world, api_as):
    membership = member(world)
    token = services.card_token_issue(membership=membership)

    # Staff of another district check cards too: shared homes serve every union's members.
    response = _check(api_as(world.user("district_y_staff")), token)

    assert response.status_code == 200
    assert response.json() == {
        "status": "valid",
        "message": "有效会员卡",
        "member_no": membership.member_no,
        "name": "王**",
        "union_name": "X甲公司工会",
    }


def test_the_verify_link_in_the_qr_code_is_accepted_as_it_is(world, api_as):
    membership = member(world)
    token = services.card_token_issue(membership=membership)
    link = "http://testserver" + reverse("members:card_verify") + "?token=" + token

    assert _check(api_as(world.user("case_handler")), link).json()["status"] == "valid"


def test_an_expired_a_forged_and_an_ended_card(world, api_as, monkeypatch):
    membership = member(world)
    api = api_as(world.user("union_a_staff"))
    token = services.card_token_issue(membership=membership)

    assert _check(api, token[:-2] + "xx").json()["status"] == "invalid"
    assert _check(api, "ZJ0000000001").json()["status"] == "invalid"

    monkeypatch.setattr("zhijia.members.services.membership.CARD_TOKEN_MAX_AGE", -1)
    assert _check(api, token).json()["status"] == "expired"
    monkeypatch.undo()

    Membership.objects.filter(pk=membership.pk).update(status="withdrawn", ended_at=membership.joined_at)
    ended = _check(api, token).json()
    assert ended["status"] == "inactive"
    assert ended["member_no"] == membership.member_no


def test_only_staff_verify_cards(world, api_as):
    token = services.card_token_issue(membership=member(world))

    assert _check(api_as(None), token).status_code == 401
    assert _check(api_as(world.user("other_worker")), token).status_code == 404


def test_the_scanner_page_answers_in_large_type(world, client_as):
    membership = member(world)
    token = services.card_token_issue(membership=membership)
    client = client_as(world.user("district_x_staff"))

    page = client.get(reverse("members:card_verify"))
    answered = client.get(reverse("members:card_verify"), {"token": token})
    fragment = client.get(reverse("members:card_verify"), {"token": "nonsense"}, headers={"HX-Request": "true"})

    assert page.status_code == 200
    assert 'id="scan-token"' in page.content.decode()
    assert "card-check-valid" in answered.content.decode()
    assert membership.member_no in answered.content.decode()
    assert "王**" in answered.content.decode()
    assert "card-check-invalid" in fragment.content.decode()
    assert "<html" not in fragment.content.decode()
    assert client_as(world.user("worker")).get(reverse("members:card_verify")).status_code == 404
