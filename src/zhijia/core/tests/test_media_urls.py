"""What the development server serves of the media folder: inspection photos, never a job's result file."""

import importlib

import pytest
from django.test import override_settings
from django.urls import Resolver404, clear_url_caches, resolve

import zhijia.urls


@pytest.fixture
def debug_urls():
    with override_settings(DEBUG=True):
        clear_url_caches()
        yield importlib.reload(zhijia.urls)
    clear_url_caches()
    importlib.reload(zhijia.urls)


def test_debug_serves_inspection_photos_but_no_job_file(debug_urls):
    with override_settings(ROOT_URLCONF=debug_urls):
        assert resolve("/media/network/inspections/2026/11/photo.jpg").func.__name__ == "serve"
        with pytest.raises(Resolver404):
            resolve("/media/jobs/2026/11/roster-full.xlsx")
