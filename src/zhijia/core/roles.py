"""Staff roles and what each may do. The one place permissions are declared: no role checks elsewhere."""

from enum import StrEnum

from django.db import models
from django.utils.translation import gettext_lazy as _


class Role(models.TextChoices):
    UNION_ADMIN = "union_admin", _("工会管理员")
    REVIEWER = "reviewer", _("审核员")
    CASE_HANDLER = "case_handler", _("个案承办人")
    FINANCE = "finance", _("财务")
    PLANNER = "planner", _("规划员")
    READ_ONLY = "read_only", _("只读")


class HandlerKind(models.TextChoices):
    LAWYER = "lawyer", _("律师")
    MEDIATOR = "mediator", _("调解员")
    COUNSELLOR = "counsellor", _("心理咨询师")
    VOLUNTEER = "volunteer", _("志愿者")


class Perm(StrEnum):
    TREE_VIEW = "tree.view"
    TREE_EDIT = "tree.edit"
    ACCOUNT_VIEW = "account.view"
    ACCOUNT_MANAGE = "account.manage"
    AUDIT_VIEW = "audit.view"
    PII_REVEAL = "pii.reveal"
    MEMBER_VIEW = "member.view"
    MEMBER_REVIEW = "member.review"
    MEMBER_MANAGE = "member.manage"
    MEMBER_EXPORT = "member.export"
    CARD_VERIFY = "card.verify"
    NETWORK_VIEW = "network.view"
    NETWORK_EDIT = "network.edit"
    NETWORK_INSPECT = "network.inspect"
    PLANNING_VIEW = "planning.view"
    PLANNING_EDIT = "planning.edit"
    MENU_EDIT = "menu.edit"
    ORDER_VIEW = "order.view"
    ORDER_HANDLE = "order.handle"
    ACTIVITY_VIEW = "activity.view"
    ACTIVITY_EDIT = "activity.edit"
    ACTIVITY_CHECKIN = "activity.checkin"
    VENUE_EDIT = "venue.edit"
    BOOKING_VIEW = "booking.view"
    BOOKING_CHECKIN = "booking.checkin"
    RATINGS_VIEW = "ratings.view"
    RATINGS_REPLY = "ratings.reply"
    STAR_ASSESS = "star.assess"
    FUNDING_EDIT = "funding.edit"
    POINTS_VIEW = "points.view"
    POINTS_EDIT = "points.edit"
    POINTS_VERIFY = "points.verify"


_ALL_OFFICE = {Role.UNION_ADMIN, Role.REVIEWER, Role.FINANCE, Role.PLANNER, Role.READ_ONLY}

# Case handlers see only what is assigned to them, so they hold none of the subtree-wide permissions.
GRANTS: dict[Perm, frozenset[str]] = {
    Perm.TREE_VIEW: frozenset(_ALL_OFFICE),
    Perm.TREE_EDIT: frozenset({Role.UNION_ADMIN}),
    Perm.ACCOUNT_VIEW: frozenset({Role.UNION_ADMIN, Role.READ_ONLY}),
    Perm.ACCOUNT_MANAGE: frozenset({Role.UNION_ADMIN}),
    Perm.AUDIT_VIEW: frozenset({Role.UNION_ADMIN, Role.READ_ONLY}),
    Perm.PII_REVEAL: frozenset({Role.UNION_ADMIN, Role.REVIEWER}),
    Perm.MEMBER_VIEW: frozenset(_ALL_OFFICE),
    Perm.MEMBER_REVIEW: frozenset({Role.UNION_ADMIN, Role.REVIEWER}),
    Perm.MEMBER_MANAGE: frozenset({Role.UNION_ADMIN}),
    Perm.MEMBER_EXPORT: frozenset({Role.UNION_ADMIN, Role.READ_ONLY}),
    # Whoever staffs a home or station checks members in, case handlers and volunteers included.
    Perm.CARD_VERIFY: frozenset({*_ALL_OFFICE, Role.CASE_HANDLER}),
    # The registry of homes and stations: every office role reads it (planners above all), admins keep it.
    Perm.NETWORK_VIEW: frozenset(_ALL_OFFICE),
    Perm.NETWORK_EDIT: frozenset({Role.UNION_ADMIN}),
    Perm.NETWORK_INSPECT: frozenset({Role.UNION_ADMIN}),
    # The circle: every office role reads it; planners and union admins import layers, run analyses, accept sites.
    Perm.PLANNING_VIEW: frozenset({Role.UNION_ADMIN, Role.PLANNER, Role.READ_ONLY}),
    Perm.PLANNING_EDIT: frozenset({Role.UNION_ADMIN, Role.PLANNER}),
    # The service menu (点单式服务): admins keep each point's menu; admins and reviewers handle the orders.
    Perm.MENU_EDIT: frozenset({Role.UNION_ADMIN}),
    Perm.ORDER_VIEW: frozenset(_ALL_OFFICE),
    Perm.ORDER_HANDLE: frozenset({Role.UNION_ADMIN, Role.REVIEWER}),
    # Activities and interest groups: every office role reads them, admins organise them, and whoever staffs the
    # door checks attendees in (as with the card, case handlers and volunteers included).
    Perm.ACTIVITY_VIEW: frozenset(_ALL_OFFICE),
    Perm.ACTIVITY_EDIT: frozenset({Role.UNION_ADMIN}),
    Perm.ACTIVITY_CHECKIN: frozenset({*_ALL_OFFICE, Role.CASE_HANDLER}),
    # Venue booking: admins set venues up and lift suspensions; every office role sees the bookings and the report;
    # whoever staffs the desk checks members in by card (as with the card, case handlers and volunteers included).
    Perm.VENUE_EDIT: frozenset({Role.UNION_ADMIN}),
    Perm.BOOKING_VIEW: frozenset(_ALL_OFFICE),
    Perm.BOOKING_CHECKIN: frozenset({*_ALL_OFFICE, Role.CASE_HANDLER}),
    # Rating homes: every office role reads ratings, opinions, stars and evaluations of its subtree; admins and
    # reviewers answer members in public; admins assess homes and set the city's rules; admins and finance share
    # the subsidy budget.
    Perm.RATINGS_VIEW: frozenset(_ALL_OFFICE),
    Perm.RATINGS_REPLY: frozenset({Role.UNION_ADMIN, Role.REVIEWER}),
    Perm.STAR_ASSESS: frozenset({Role.UNION_ADMIN}),
    Perm.FUNDING_EDIT: frozenset({Role.UNION_ADMIN, Role.FINANCE}),
    # Member points: every office role reads the rules, items and report of its subtree; admins set rules, stock,
    # merchants and credit volunteering; whoever staffs a desk hands out redeemed items (case handlers included).
    Perm.POINTS_VIEW: frozenset(_ALL_OFFICE),
    Perm.POINTS_EDIT: frozenset({Role.UNION_ADMIN}),
    Perm.POINTS_VERIFY: frozenset({*_ALL_OFFICE, Role.CASE_HANDLER}),
}


def roles_grant(roles: frozenset[str], perm: Perm) -> bool:
    return bool(roles & GRANTS[perm])
