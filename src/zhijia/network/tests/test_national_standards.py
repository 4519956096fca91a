"""The national standards (七有, 六有) are in every database: after the migrations and again after a flush (which the
teardown of every transactional test runs), put there by a post_migrate handler."""

from __future__ import annotations

import pytest
from django.core.management import call_command
from django.core.management.sql import emit_post_migrate_signal

from zhijia.network.models import Standard, StandardItem
from zhijia.network.national_standards import NATIONAL_STANDARDS


def _national() -> dict[str, list[str]]:
    return {
        s.code: [i.code for i in s.items.order_by("position", "pk")]
        for s in Standard.objects.filter(owner__isnull=True).prefetch_related("items")
    }


EXPECTED = {code: [item for item, _label, _description in items] for code, _n, _k, _i, items in NATIONAL_STANDARDS}


def test_the_migrations_leave_the_national_standards(db):
    assert _national() == EXPECTED


@pytest.mark.django_db(transaction=True)
def test_a_flushed_database_has_the_national_standards_again():
    # given a database emptied by flush, as a transactional test's teardown leaves it for the next test
    call_command("flush", interactive=False, verbosity=0)

    # then both national standards are back, each once with its items in order
    assert _national() == EXPECTED


def test_the_handler_adds_a_missing_standard_and_leaves_a_changed_one_alone(db):
    # given one national standard gone and the other changed by an administrator
    Standard.objects.filter(code="enterprise-home-6").delete()
    StandardItem.objects.filter(standard__code="rest-station-7", code="sign").delete()
    Standard.objects.filter(code="rest-station-7").update(inspection_interval_days=90)

    # when post_migrate is sent, twice (as by two migrates)
    emit_post_migrate_signal(verbosity=0, interactive=False, db="default")
    emit_post_migrate_signal(verbosity=0, interactive=False, db="default")

    # then the missing standard is back with all its items, once; the changed one is as the administrator left it
    national = _national()
    assert national["enterprise-home-6"] == EXPECTED["enterprise-home-6"]
    assert national["rest-station-7"] == [c for c in EXPECTED["rest-station-7"] if c != "sign"]
    assert Standard.objects.get(code="rest-station-7").inspection_interval_days == 90
    assert Standard.objects.filter(owner__isnull=True).count() == len(NATIONAL_STANDARDS)
