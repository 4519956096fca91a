"""Fixtures shared by every test: a real organisation tree with an account of every kind (see zhijia.testing.world)."""

import pytest

from zhijia.testing.world import World, build_world


@pytest.fixture
def world(db: None) -> World:
    return build_world()
