from django.db.models import Count, F, Q
from django.utils import timezone

from zhijia.activities.models import Activity, Feedback, GroupMember, InterestGroup, Registration
from zhijia.demo.activities import build_for
from zhijia.testing.world import make_user


def test_the_demo_activities_fill_the_weeks_around_today_and_load_once(world):
    make_user("worker-demo", display_name="张师傅", phone="13800138000")
    quiet: list[str] = []

    added = build_for(city=world.city, activities=40, people=120, progress=quiet.append)
    again = build_for(city=world.city, activities=40, people=120, progress=quiet.append)

    assert added["activities"] == Activity.objects.count() > 40  # the groups' meetings come on top
    assert again == {"activities": 0, "registrations": 0, "interest_groups": 0}
    assert InterestGroup.objects.count() == added["interest_groups"] > 0
    assert GroupMember.objects.exists()
    # never more registered than places, attendance only for the past, feedback only from attendees
    over = Activity.objects.annotate(n=Count("registrations", filter=Q(registrations__status="registered"))).filter(
        n__gt=F("capacity")
    )
    assert not over.exists()
    assert Registration.objects.filter(checked_in_at__isnull=False).exists()
    assert not Registration.objects.filter(checked_in_at__isnull=False, activity__starts_at__gt=timezone.now()).exists()
    assert not Feedback.objects.filter(registration__checked_in_at__isnull=True).exists()
    assert Registration.objects.filter(user__username="worker-demo").count() >= 2
