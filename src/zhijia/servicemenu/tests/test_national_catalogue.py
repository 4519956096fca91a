"""The national catalogue is in every database: after the migrations and again after a flush (which the teardown of
every transactional test runs), put there by a post_migrate handler."""

from __future__ import annotations

import pytest
from django.core.management import call_command
from django.core.management.sql import emit_post_migrate_signal

from zhijia.servicemenu.models import ServiceType
from zhijia.servicemenu.national_catalogue import NATIONAL_CATALOGUE


def _national() -> list[tuple[str, str]]:
    return list(ServiceType.objects.filter(owner__isnull=True).order_by("position", "pk").values_list("code", "name"))


EXPECTED = [(code, name) for code, name, _description in NATIONAL_CATALOGUE]


def test_the_migrations_leave_the_national_catalogue(db):
    assert _national() == EXPECTED


@pytest.mark.django_db(transaction=True)
def test_a_flushed_database_has_the_national_catalogue_again():
    # given a database emptied by flush, as a transactional test's teardown leaves it for the next test
    call_command("flush", interactive=False, verbosity=0)

    # then the whole national catalogue is back, once and in order
    assert _national() == EXPECTED


def test_the_handler_adds_only_the_missing_entries(db):
    # given one national entry gone and another switched off
    ServiceType.objects.filter(code="tailoring").delete()
    ServiceType.objects.filter(code="legal").update(is_active=False)

    # when post_migrate is sent, twice (as by two migrates)
    emit_post_migrate_signal(verbosity=0, interactive=False, db="default")
    emit_post_migrate_signal(verbosity=0, interactive=False, db="default")

    # then the missing entry is back, once, and the switched-off one stays off
    assert _national() == EXPECTED
    assert not ServiceType.objects.get(code="legal").is_active
