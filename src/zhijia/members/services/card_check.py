"""Checking a presented member card: staff at a home or station scan its QR code (or type what a scanner reads) and
learn whether the card is valid and whose it is, masked. Reads only; later modules record check-ins on top of it."""

from __future__ import annotations

from dataclasses import dataclass
from typing import Any
from urllib.parse import parse_qs, urlsplit

from django.utils.translation import gettext as _

from zhijia.core.pii import mask_name
from zhijia.core.roles import Perm
from zhijia.core.scope import scope_for

from ..models import Membership
from .membership import card_token_member

# A token is the member number, a timestamp and a signature: well under this. Longer input is not a card.
MAX_SCAN_LENGTH = 500


@dataclass(frozen=True)
class CardCheck:
    status: str  # valid, expired, invalid, inactive
    membership: Membership | None

    @property
    def is_valid(self) -> bool:
        return self.status == "valid"

    @property
    def message(self) -> str:
        return {
            "valid": _("有效会员卡"),
            "expired": _("二维码已过期，请会员刷新“我的会员卡”页面后重新出示"),
            "invalid": _("无效的会员卡二维码"),
            "inactive": _("会籍已结束，不是在会会员"),
        }[self.status]

    @property
    def masked_name(self) -> str:
        return mask_name(self.membership.name) if self.membership else ""

    @property
    def member_no(self) -> str:
        return self.membership.member_no if self.membership else ""

    @property
    def union_name(self) -> str:
        return self.membership.union.name if self.membership else ""


def token_from_scan(text: str) -> str:
    """What a scanner or a pasted link gives: the card's QR code holds the verify page's address with the token in
    it, so a phone camera opens the page; a bare token is accepted too."""
    text = text.strip()
    if "token=" in text:
        values = parse_qs(urlsplit(text).query).get("token") or parse_qs(text.split("?", 1)[-1]).get("token")
        return values[0].strip() if values else ""
    return text


def card_check(*, actor: Any, token: str) -> CardCheck:
    """Anyone who staffs a home or a station may check any card: shared homes serve workers of every union. The
    answer names the member masked, never their ID number or phone."""
    scope_for(actor).require(Perm.CARD_VERIFY, "card")
    token = token_from_scan(token)
    if not token or len(token) > MAX_SCAN_LENGTH:
        return CardCheck("invalid", None)
    membership, status = card_token_member(token)
    return CardCheck(status, membership)
