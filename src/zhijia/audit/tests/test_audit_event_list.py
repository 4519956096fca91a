import pytest

from zhijia.audit.models import AuditEvent
from zhijia.audit.selectors import audit_event_list
from zhijia.organizations.selectors import subtree


@pytest.fixture
def edits(world, api_as):
    """One edit in each district and one at the city, made through the API."""
    api_as(world.actor("district_x_staff")).patch(f"/orgs/{world.union_a.pk}", {"address": "X区甲路1号"})
    api_as(world.actor("district_y_staff")).patch(f"/orgs/{world.union_b.pk}", {"address": "Y区乙路2号"})
    api_as(world.actor("city_staff")).patch(f"/orgs/{world.city.pk}", {"address": "市府路3号"})
    return world


def _subtree_ids(org) -> set[int]:
    return set(subtree(org).values_list("pk", flat=True))


def test_district_x_staff_see_only_the_events_of_their_subtree(edits, api_as):
    world = edits

    response = api_as(world.actor("district_x_staff")).get("/audit", page_size=100)

    assert response.status_code == 200
    events = response.json()["items"]
    assert events
    assert {e["org_id"] for e in events} <= _subtree_ids(world.district_x)
    addresses = [e["changes"].get("address", [None, None])[1] for e in events if e["action"] == "org.update"]
    assert addresses == ["X区甲路1号"]


def test_the_city_sees_both_districts_and_itself(edits, api_as):
    world = edits

    response = api_as(world.actor("city_staff")).get("/audit", action="org.update")

    assert {e["org_id"] for e in response.json()["items"]} == {world.union_a.pk, world.union_b.pk, world.city.pk}


def test_events_are_newest_first_and_can_be_filtered(edits, api_as):
    world = edits
    api = api_as(world.actor("city_staff"))

    by_action = api.get("/audit", action="org.update").json()["items"]
    by_object = api.get("/audit", object_type="organizations.organization", object_id=str(world.union_b.pk))

    assert [e["org_id"] for e in by_action] == [world.city.pk, world.union_b.pk, world.union_a.pk]
    assert {e["object_id"] for e in by_object.json()["items"]} == {str(world.union_b.pk)}


def test_read_only_staff_may_read_the_log_of_their_subtree(edits, api_as):
    response = api_as(edits.actor("district_x_readonly")).get("/audit", action="org.update")

    assert [e["org_id"] for e in response.json()["items"]] == [edits.union_a.pk]


@pytest.mark.parametrize("name", ["worker", "case_handler"])
def test_who_has_no_audit_permission_reads_nothing(edits, name):
    assert not audit_event_list(actor=edits.actor(name)).exists()


def test_a_superuser_also_sees_events_that_belong_to_no_node(edits, sms_outbox, api_as):
    api_as(None).post("/auth/sms-code", {"phone": "13912345678"})

    response = api_as(edits.actor("superuser")).get("/audit", page_size=100)

    actions = {e["action"] for e in response.json()["items"]}
    assert {"sms.code_sent", "org.update"} <= actions
    assert response.json()["count"] == AuditEvent.objects.count()


def test_an_anonymous_visitor_must_sign_in(db, api_as):
    response = api_as(None).get("/audit")

    assert response.status_code == 401
    assert response.json()["code"] == "auth.required"
