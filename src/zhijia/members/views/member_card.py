"""The member's e-card (我的会员卡): the page with a QR code that renews itself, and the card as PNG and PDF."""

from __future__ import annotations

from datetime import timedelta

from django.contrib.auth.decorators import login_required
from django.http import HttpRequest, HttpResponse
from django.shortcuts import render
from django.utils import formats, timezone
from django.utils.translation import gettext as _

from zhijia.core.errors import NotFound, ZhijiaError
from zhijia.core.pages import error_page

from .. import selectors, services
from ..card import CardFace, card_pdf, card_png, card_qr_text, qr_svg
from ..models import Membership

# The page fetches a fresh QR code well before the token's ten minutes run out.
QR_REFRESH_SECONDS = 240


def _membership(request: HttpRequest) -> Membership:
    membership = selectors.my_membership(actor=request.user)
    if membership is None:
        raise NotFound("membership", _("您还不是工会会员。"))
    return membership


def _qr(request: HttpRequest, membership: Membership) -> dict[str, object]:
    token = services.card_token_issue(membership=membership)
    expires = timezone.localtime() + timedelta(seconds=services.CARD_TOKEN_MAX_AGE)
    return {"svg": qr_svg(card_qr_text(request, token), label=_("会员卡二维码")), "expires": expires}


def _face(request: HttpRequest, membership: Membership) -> CardFace:
    """The card to print (PNG, PDF): its QR code does not expire (a card in a wallet cannot refresh it) but carries
    the card's version, so staff reissuing the card voids the printed ones. The e-card page keeps its ten-minute
    code."""
    token = services.card_printed_token(membership=membership)
    return CardFace(
        title=_("职工之家 工会会员卡"),
        name=membership.name,
        member_no=membership.member_no,
        union=membership.union.name,
        joined=formats.date_format(timezone.localtime(membership.joined_at), "Y-m-d"),
        qr_text=card_qr_text(request, token),
        footnote=_("实体卡长期有效；补发新卡后旧卡作废"),
        labels={"member_no": _("会员号"), "union": _("所属工会"), "joined": _("入会日期")},
    )


@login_required
def card(request: HttpRequest) -> HttpResponse:
    membership = selectors.my_membership(actor=request.user)
    if membership is None:
        return render(request, "members/card_none.html")
    return render(
        request,
        "members/card.html",
        {"membership": membership, "qr": _qr(request, membership), "refresh_seconds": QR_REFRESH_SECONDS},
    )


def _no_store(response: HttpResponse) -> HttpResponse:
    # The QR code is a live credential for ten minutes: no cache keeps it.
    response["Cache-Control"] = "no-store"
    return response


@login_required
def card_qr(request: HttpRequest) -> HttpResponse:
    try:
        membership = _membership(request)
    except ZhijiaError as exc:
        return error_page(request, exc)
    return _no_store(render(request, "members/_card_qr.html", {"qr": _qr(request, membership)}))


@login_required
def card_png_download(request: HttpRequest) -> HttpResponse:
    try:
        membership = _membership(request)
    except ZhijiaError as exc:
        return error_page(request, exc)
    response = HttpResponse(card_png(_face(request, membership)), content_type="image/png")
    response["Content-Disposition"] = f'attachment; filename="member-card-{membership.member_no}.png"'
    return _no_store(response)


@login_required
def card_pdf_download(request: HttpRequest) -> HttpResponse:
    try:
        membership = _membership(request)
    except ZhijiaError as exc:
        return error_page(request, exc)
    response = HttpResponse(card_pdf(_face(request, membership)), content_type="application/pdf")
    response["Content-Disposition"] = f'attachment; filename="member-card-{membership.member_no}.pdf"'
    return _no_store(response)
