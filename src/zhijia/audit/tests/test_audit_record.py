"""Every write service leaves exactly one row in the audit log, in its own transaction; the log itself can only grow."""

import importlib
import inspect
import pkgutil
from collections import Counter
from collections.abc import Callable
from datetime import timedelta
from types import ModuleType

import pytest
from django.apps import apps
from django.db import DatabaseError, connection, transaction
from django.test import TestCase
from django.utils import timezone

from zhijia.accounts import services as accounts
from zhijia.activities import services as activities
from zhijia.activities.tests import audit_writes as activity_writes
from zhijia.audit import services as audit
from zhijia.audit.models import AuditEvent
from zhijia.audit.services import SYSTEM_LABEL, audit_record
from zhijia.bookings import services as bookings
from zhijia.bookings.tests import audit_writes as booking_writes
from zhijia.jobs import services as jobs
from zhijia.jobs.models import Job
from zhijia.members import services as members
from zhijia.members.tests import audit_writes as member_writes
from zhijia.network import services as network
from zhijia.network.models import ServicePoint
from zhijia.network.tests.network_support import a_mobile_home_with_a_stop, a_point
from zhijia.notifications import services as notifications
from zhijia.organizations import services as organizations
from zhijia.organizations.models import Employer, OrgKind
from zhijia.organizations.tasks import export_subtree
from zhijia.planning import services as planning
from zhijia.planning.tests.planning_support import a_suggestion, member_user, workers_at
from zhijia.points import services as points
from zhijia.points.tests import audit_writes as points_writes
from zhijia.ratings import services as ratings
from zhijia.ratings.tests import audit_writes as rating_writes
from zhijia.servicemenu import services as servicemenu
from zhijia.servicemenu.tests import audit_writes as menu_writes
from zhijia.testing.sms import last_code
from zhijia.testing.world import PASSWORD, World

NEW_PASSWORD = "Xin-Mi-Ma-2026"


def _register(world: World) -> None:
    with TestCase.captureOnCommitCallbacks(execute=True):  # the code leaves once its row is committed
        accounts.sms_code_send(phone="13912345678", purpose="register")
    code = last_code("13912345678")
    accounts.worker_register(phone="13912345678", code=code, password=NEW_PASSWORD, display_name="张师傅")


def _revoke(world: World) -> None:
    _, raw = accounts.api_token_issue(user=world.user("worker"))
    accounts.api_token_revoke(user=world.user("worker"), raw=raw)


def _job_with_personal_file(world: World) -> Job:
    job = jobs.job_start(
        owner=world.actor("district_x_staff"), kind="test.full", title="导出", task=export_subtree, params={}
    )
    jobs.job_attach_file(job=job, name="full.csv", content=b"x", personal=True)
    return job


def _download(world: World) -> None:
    _job, content = jobs.job_file_download(
        actor=world.actor("district_x_staff"), job_id=_job_with_personal_file(world).pk
    )
    content.close()


def _expire(world: World) -> int:
    _job_with_personal_file(world)
    return jobs.job_files_expire(now=timezone.now() + timedelta(days=2))


# (service, who acts, what it does, the action it records)
WRITES: list[tuple[str, str | None, Callable[[World], object], str]] = [
    (
        "org_create",
        "district_x_staff",
        lambda w: organizations.org_create(
            actor=w.actor("district_x_staff"),
            parent_id=w.street_x.pk,
            code="T-UC",
            name="X丙公司工会",
            kind=OrgKind.ENTERPRISE_UNION,
        ),
        "org.create",
    ),
    (
        "org_update",
        "district_x_staff",
        lambda w: organizations.org_update(actor=w.actor("district_x_staff"), org_id=w.union_a.pk, address="甲路1号"),
        "org.update",
    ),
    (
        "org_move",
        "city_staff",
        lambda w: organizations.org_move(actor=w.actor("city_staff"), org_id=w.union_a.pk, new_parent_id=w.street_y.pk),
        "org.move",
    ),
    (
        "org_append_children",
        None,
        lambda w: organizations.org_append_children(
            actor=None,
            parent=w.street_x,
            specs=[organizations.OrgSpec("T-B1", "X一号公司工会", OrgKind.ENTERPRISE_UNION)],
        ),
        "org.bulk_create",
    ),
    (
        "employer_bulk_create",
        None,
        lambda w: organizations.employer_bulk_create(
            actor=None,
            employers=[Employer(name="X便利店", credit_code="92TEST1", headcount=3, located_in=w.community_x)],
            org=w.street_x,
        ),
        "employer.bulk_create",
    ),
    ("sms_code_send", None, lambda w: accounts.sms_code_send(phone="13912345678", purpose="register"), "sms.code_sent"),
    ("worker_register", "the new worker", _register, "user.register"),
    ("api_token_issue", "worker", lambda w: accounts.api_token_issue(user=w.user("worker")), "auth.token_issued"),
    ("api_token_revoke", "worker", _revoke, "auth.token_revoked"),
    (
        "staff_account_create",
        "district_x_staff",
        lambda w: accounts.staff_account_create(
            actor=w.actor("district_x_staff"),
            org_id=w.street_x.pk,
            username="xs-admin",
            display_name="X街道管理员",
            password=NEW_PASSWORD,
            roles=["union_admin"],
        ),
        "account.create",
    ),
    (
        "staff_account_update",
        "district_x_staff",
        lambda w: accounts.staff_account_update(
            actor=w.actor("district_x_staff"), user_id=w.user("union_a_staff").pk, roles=["read_only"]
        ),
        "account.update",
    ),
    (
        "user_phone_reveal",
        "district_x_staff",
        lambda w: accounts.user_phone_reveal(actor=w.actor("district_x_staff"), user_id=w.user("union_a_staff").pk),
        "pii.reveal",
    ),
    (
        "password_change",
        "worker",
        lambda w: accounts.password_change(user=w.user("worker"), old_password=PASSWORD, new_password=NEW_PASSWORD),
        "auth.password_changed",
    ),
    (
        "job_start",
        "district_x_staff",
        lambda w: jobs.job_start(
            owner=w.actor("district_x_staff"),
            kind="org.export",
            title="导出",
            task=export_subtree,
            params={"org_id": w.street_x.pk},
            org=w.street_x,
        ),
        "job.start",
    ),
    ("job_file_download", "district_x_staff", _download, "pii.download"),
    ("job_files_expire", None, _expire, "job.file_expire"),
    (
        "point_create",
        "district_x_staff",
        lambda w: network.point_create(
            actor=w.actor("district_x_staff"),
            owner_id=w.street_x.pk,
            name="X驿站",
            kind="rest_station",
            lng=116.4,
            lat=39.9,
        ),
        "point.create",
    ),
    (
        "point_update",
        "district_x_staff",
        lambda w: network.point_update(actor=w.actor("district_x_staff"), point_id=a_point(w).pk, name="X驿站（改）"),
        "point.update",
    ),
    (
        "point_close",
        "district_x_staff",
        lambda w: network.point_close(actor=w.actor("district_x_staff"), point_id=a_point(w).pk),
        "point.close",
    ),
    (
        "point_hours_set",
        "district_x_staff",
        lambda w: network.point_hours_set(
            actor=w.actor("district_x_staff"), point_id=a_point(w).pk, weekly={0: [(540, 1080)]}
        ),
        "point.hours_set",
    ),
    ("mobile_stop_create", "superuser", a_mobile_home_with_a_stop, "stop.create"),
    (
        "mobile_stop_delete",
        "district_x_staff",
        lambda w: network.mobile_stop_delete(
            actor=w.actor("district_x_staff"), stop_id=a_mobile_home_with_a_stop(w)[1].pk
        ),
        "stop.delete",
    ),
    (
        "standard_create",
        "city_staff",
        lambda w: network.standard_create(
            actor=w.actor("city_staff"), owner_id=w.city.pk, name="测试市标准", applies_to="library", items=["有书"]
        ),
        "standard.create",
    ),
    (
        "inspection_record",
        "district_x_staff",
        lambda w: network.inspection_record(actor=w.actor("district_x_staff"), point_id=a_point(w).pk, passed_items=[]),
        "inspection.record",
    ),
    (
        "points_bulk_create",
        None,
        lambda w: network.points_bulk_create(
            actor=None,
            seeds=[
                network.PointSeed(
                    ServicePoint(code="T-P1", name="X站", kind="rest_station", owner=w.street_x, lng=116.4, lat=39.9)
                )
            ],
            org=w.street_x,
        ),
        "point.bulk_create",
    ),
    (
        "inspections_bulk_record",
        None,
        lambda w: network.inspections_bulk_record(
            actor=None,
            seeds=[network.InspectionSeed(a_point(w).pk, w.user("superuser").pk, timezone.now())],
            org=w.street_x,
        ),
        "inspection.bulk_record",
    ),
    (
        "density_layer_import",
        "district_x_staff",
        lambda w: planning.density_layer_import(
            actor=w.actor("district_x_staff"),
            owner_id=w.district_x.pk,
            name="骑手",
            content="经度,纬度,人数\n116.4,39.9,3\n".encode(),
        ),
        "planning.layer_import",
    ),
    (
        "candidate_list_import",
        "district_x_staff",
        lambda w: planning.candidate_list_import(
            actor=w.actor("district_x_staff"),
            owner_id=w.district_x.pk,
            name="邮局",
            content="名称,经度,纬度\n邮局,116.4,39.9\n".encode(),
        ),
        "planning.candidates_import",
    ),
    (
        "analysis_start",
        "district_x_staff",
        lambda w: planning.analysis_start(actor=w.actor("district_x_staff"), area_id=w.district_x.pk),
        "planning.analysis_start",
    ),
    (
        "suggestion_accept",
        "district_x_staff",
        lambda w: planning.suggestion_accept(actor=w.actor("district_x_staff"), suggestion_id=a_suggestion(w).pk),
        "planning.suggestion_accept",
    ),
    (
        "worker_locations_bulk_set",
        "district_x_staff",
        lambda w: planning.worker_locations_bulk_set(
            actor=w.actor("district_x_staff"),
            rows=[(m.membership_id, 116.40, 39.90) for m in workers_at(w.union_a, [(0.0, 0.0)])],
            org=w.district_x,
        ),
        "planning.locations_set",
    ),
    (
        "worker_locations_import",
        "district_x_staff",
        lambda w: planning.worker_locations_import(
            actor=w.actor("district_x_staff"),
            owner_id=w.district_x.pk,
            content="会员号,经度,纬度\nP1,116.4,39.9\n".encode(),
        ),
        "planning.locations_import",
    ),
    (
        "my_work_location_set",
        "worker",
        lambda w: planning.my_work_location_set(actor=member_user(w), lng=116.40, lat=39.90, consent=True),
        "planning.my_work_location_set",
    ),
    (
        "my_work_location_clear",
        "worker",
        lambda w: planning.my_work_location_clear(actor=member_user(w)),
        "planning.my_work_location_clear",
    ),
]

WRITES += [
    (
        "notify",
        None,
        lambda w: notifications.notify(w.user("worker"), kind="test.hello", title="你好"),
        "notification.send",
    ),
    (
        "notification_mark_read",
        "worker",
        lambda w: notifications.notification_mark_read(
            actor=w.actor("worker"),
            notification_id=notifications.notify(w.user("worker"), kind="test.hello", title="你好").pk,
        ),
        "notification.read",
    ),
    (
        "notification_mark_all_read",
        "worker",
        lambda w: (
            notifications.notify(w.user("worker"), kind="test.hello", title="你好"),
            notifications.notification_mark_all_read(actor=w.actor("worker")),
        ),
        "notification.read_all",
    ),
]

# The apps that bring their own rows (`<app>/tests/audit_writes.py`), by the services module they cover.
APP_WRITES: dict[ModuleType, ModuleType] = {
    activities: activity_writes,
    bookings: booking_writes,
    members: member_writes,
    points: points_writes,
    ratings: rating_writes,
    servicemenu: menu_writes,
}
for app_writes in APP_WRITES.values():
    WRITES += app_writes.WRITES

# Functions of the services modules that are not writes of their own: they check or read, compose audited writes
# above, spend an SMS code for a write that records its own row, or report a job's progress from the worker.
NOT_AUDITED_HERE = {
    organizations: {"check_placement", "federation_code", "divisions_load", "org_export_start"},
    accounts: {"login_check", "api_token_user", "phone_code_verify"},
    jobs: {"job_run", "job_attach_file"},
    audit: {"audit_record"},  # the log itself
    network: set(),
    planning: set(),
    notifications: set(),
    **{module: app_writes.NOT_AUDITED for module, app_writes in APP_WRITES.items()},
}


# A row is named by its service, or by the action it records where two apps name a service alike.
_NAMES = Counter(w[0] for w in WRITES)
ROW_IDS = [w[0] if _NAMES[w[0]] == 1 else w[3] for w in WRITES]


@pytest.mark.parametrize(("service", "actor", "write", "action"), WRITES, ids=ROW_IDS)
def test_every_write_service_leaves_one_audit_row(world, sms_outbox, media_root, service, actor, write, action):
    before = set(AuditEvent.objects.filter(action=action).values_list("pk", flat=True))

    write(world)

    (event,) = AuditEvent.objects.filter(action=action).exclude(pk__in=before)
    if actor is None:
        assert (event.actor, event.actor_label) == (None, SYSTEM_LABEL)
    elif actor in world.actors:
        assert event.actor == world.actor(actor)
        assert event.actor_label == str(world.actor(actor))
    else:
        assert event.actor is not None
    assert all((event.object_type, event.object_id, event.object_repr))
    assert event.request_id


def _service_functions(module: ModuleType) -> set[str]:
    """The public functions defined in an app's services: the module's own, or for a package (`members.services`)
    those of every module in it."""
    modules = [module]
    if hasattr(module, "__path__"):
        prefix = module.__name__ + "."
        modules += [importlib.import_module(m.name) for m in pkgutil.walk_packages(module.__path__, prefix)]
    return {
        name
        for m in modules
        for name, fn in inspect.getmembers(m, inspect.isfunction)
        if fn.__module__ == m.__name__ and not name.startswith("_")
    }


def _apps_services() -> set[ModuleType]:
    found = set()
    for config in apps.get_app_configs():
        if not config.name.startswith("zhijia."):
            continue
        try:
            found.add(importlib.import_module(f"{config.name}.services"))
        except ModuleNotFoundError as exc:
            if exc.name != f"{config.name}.services":
                raise
    return found


def test_every_apps_services_are_in_the_audit_table():
    walked = {m.__name__ for m in NOT_AUDITED_HERE}

    assert {m.__name__ for m in _apps_services()} == walked


@pytest.mark.parametrize("module", list(NOT_AUDITED_HERE), ids=lambda m: m.__name__)
def test_no_service_function_escapes_the_audit_table(module):
    # An app with its own rows answers for its own module: two apps may name a service alike (offer_accept).
    covered = {w[0] for w in (APP_WRITES[module].WRITES if module in APP_WRITES else WRITES)}
    functions = _service_functions(module)

    unaccounted = functions - covered - NOT_AUDITED_HERE[module]

    assert unaccounted == set(), "add the new write service to WRITES (or say why it is not a write)"
    # The walk reached the functions the table names: none is listed that the module does not define.
    assert NOT_AUDITED_HERE[module] <= functions
    if module in APP_WRITES:
        assert covered <= functions


def test_a_refused_write_leaves_no_row(world):
    events = AuditEvent.objects.count()

    with pytest.raises(Exception, match="org"):
        organizations.org_update(actor=world.actor("district_y_staff"), org_id=world.union_a.pk, name="被篡改")

    assert AuditEvent.objects.count() == events


def test_a_write_through_the_api_records_the_address_and_request_id(world, api_as):
    response = api_as(world.actor("district_x_staff")).patch(f"/orgs/{world.union_a.pk}", {"address": "甲路1号"})

    event = AuditEvent.objects.get(action="org.update")
    assert event.ip == "127.0.0.1"
    assert event.request_id == response["X-Request-ID"]


def _refused(statement: Callable[[], object]) -> None:
    with pytest.raises(DatabaseError, match="append-only"), transaction.atomic():
        statement()


def test_the_database_refuses_to_update_an_audit_row(world):
    event = audit_record(
        actor=world.actor("district_x_staff"), action="org.update", obj=world.union_a, org=world.union_a
    )

    _refused(lambda: AuditEvent.objects.filter(pk=event.pk).update(action="nothing.happened"))

    def raw_sql() -> None:
        with connection.cursor() as cursor:
            cursor.execute("UPDATE audit_auditevent SET actor_label = %s WHERE id = %s", ["someone else", event.pk])

    _refused(raw_sql)
    event.changes = {"forged": True}
    _refused(event.save)
    _refused(lambda: AuditEvent.objects.filter(pk=event.pk).update(actor=world.actor("city_staff")))

    fresh = AuditEvent.objects.get(pk=event.pk)
    assert (fresh.action, fresh.actor_label, fresh.changes) == ("org.update", "X区总工会district_x_staff", {})
    assert fresh.actor == world.actor("district_x_staff")


def test_removing_an_account_keeps_its_rows_and_their_label(world):
    worker = world.actor("other_worker")
    accounts.api_token_issue(user=worker)

    worker.delete()

    event = AuditEvent.objects.get(action="auth.token_issued")
    assert event.actor is None
    assert event.actor_label == "李师傅"
