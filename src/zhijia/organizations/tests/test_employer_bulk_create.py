from zhijia.audit.models import AuditEvent
from zhijia.organizations.models import Employer
from zhijia.organizations.services import employer_bulk_create


def _employers(world, *codes: str) -> list[Employer]:
    return [
        Employer(name=f"X{code}商店", credit_code=code, headcount=5, located_in=world.community_x, union=world.joint_x)
        for code in codes
    ]


def test_employers_are_added_once_by_credit_code(world):
    first = employer_bulk_create(actor=None, employers=_employers(world, "92TEST1", "92TEST2"), org=world.street_x)
    again = employer_bulk_create(
        actor=None, employers=_employers(world, "92TEST1", "92TEST2", "92TEST3"), org=world.street_x
    )

    assert (first, again) == (2, 1)
    assert set(Employer.objects.filter(union=world.joint_x).values_list("credit_code", flat=True)) == {
        "92TEST1",
        "92TEST2",
        "92TEST3",
    }
    events = AuditEvent.objects.filter(action="employer.bulk_create").order_by("id")
    assert [e.changes["employers_added"] for e in events] == [2, 1]
    assert {e.org_id for e in events} == {world.street_x.pk}


def test_a_batch_already_loaded_writes_nothing(world):
    employer_bulk_create(actor=None, employers=_employers(world, "92TEST1"), org=world.street_x)
    events = AuditEvent.objects.count()

    added = employer_bulk_create(actor=None, employers=_employers(world, "92TEST1"), org=world.street_x)

    assert added == 0
    assert AuditEvent.objects.count() == events
