"""Reading jobs: a job is visible only to the person who started it (and superusers)."""

from typing import Any

from django.db.models import QuerySet

from zhijia.core.errors import NotFound

from .models import Job


def job_list(*, actor: Any) -> QuerySet[Job]:
    if not getattr(actor, "is_authenticated", False):
        return Job.objects.none()
    if actor.is_superuser:
        return Job.objects.all()
    return Job.objects.filter(owner=actor)


def job_get(*, actor: Any, job_id: Any) -> Job:
    try:
        return job_list(actor=actor).get(pk=job_id)
    except (Job.DoesNotExist, ValueError, TypeError):
        raise NotFound("job") from None
