"""验证会员卡: staff scan a member's QR code with a USB or Bluetooth scanner (it types into the field), with the
device's camera, or with any phone camera (the code holds this page's address), and see the answer in large type."""

from __future__ import annotations

from django.http import HttpRequest, HttpResponse
from django.shortcuts import render

from zhijia.core.pages import staff_page
from zhijia.core.roles import Perm

from .. import services


@staff_page(Perm.CARD_VERIFY)
def card_verify(request: HttpRequest) -> HttpResponse:
    token = request.GET.get("token", "")
    check = services.card_check(actor=request.user, token=token) if token.strip() else None
    fragment = request.headers.get("HX-Request") == "true"
    template = "members/_card_check.html" if fragment else "members/card_verify.html"
    return render(request, template, {"check": check})
