"""Every write to membership. One module per use case; import them from here."""

from .card_check import CardCheck, card_check, token_from_scan
from .membership import (
    CARD_TOKEN_MAX_AGE,
    CONSENT_VERSION,
    application_approve,
    application_reject,
    application_submit,
    application_withdraw,
    card_printed_token,
    card_reissue,
    card_token_issue,
    card_token_member,
    member_numbers_allocate,
    member_reveal,
    membership_end,
    membership_flags_update,
    membership_transfer,
)
from .review_rules import review_policy_update, routing_rules_update

__all__ = [
    "CARD_TOKEN_MAX_AGE",
    "CONSENT_VERSION",
    "CardCheck",
    "application_approve",
    "application_reject",
    "application_submit",
    "application_withdraw",
    "card_check",
    "card_printed_token",
    "card_reissue",
    "card_token_issue",
    "card_token_member",
    "member_numbers_allocate",
    "member_reveal",
    "membership_end",
    "membership_flags_update",
    "membership_transfer",
    "review_policy_update",
    "routing_rules_update",
    "token_from_scan",
]
