"""Fixtures shared by every test: a real organisation tree with an account of every kind (see zhijia.testing.world),
clients signed in as any of them, and the local sinks (SMS outbox, media) moved into the test's own folder."""

from collections.abc import Callable
from pathlib import Path
from typing import Any

import pytest
from django.test import Client
from hypothesis import settings

from zhijia.testing.api import JsonClient
from zhijia.testing.world import World, build_world

# Property tests check behaviour, not speed: on a machine shared with other work an example may take longer than
# hypothesis's default 200 ms deadline, which would fail a correct test.
settings.register_profile("zhijia", deadline=None)
settings.load_profile("zhijia")


@pytest.fixture
def world(db: None) -> World:
    return build_world()


@pytest.fixture
def client_as(db: None) -> Callable[[Any], Client]:
    """A page client signed in as `user` (None: an anonymous visitor)."""

    def make(user: Any) -> Client:
        client = Client()
        if user is not None:
            client.force_login(user)
        return client

    return make


@pytest.fixture
def api_as(client_as: Callable[[Any], Client]) -> Callable[[Any], JsonClient]:
    """An API client with the session of `user` (None: no credentials at all)."""

    def make(user: Any) -> JsonClient:
        return JsonClient(client_as(user))

    return make


@pytest.fixture
def sms_outbox(settings: Any, tmp_path: Path) -> Path:
    """The console SMS gateway writes here for this test only (read it with outbox_messages)."""
    settings.SMS_OUTBOX = tmp_path / "sms-outbox.jsonl"
    return settings.SMS_OUTBOX


@pytest.fixture
def media_root(settings: Any, tmp_path: Path) -> Path:
    """Uploaded and generated files (job results) go to the test's own folder."""
    settings.MEDIA_ROOT = tmp_path / "media"
    return settings.MEDIA_ROOT
