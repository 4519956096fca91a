"""The API fuzzed from its own OpenAPI document (schemathesis, in-process through the WSGI application), as
several kinds of actor: no 5xx, every status and body as documented, every error as {code, message, detail}.

Each random example is sent as every role (generating it costs far more than sending it). The coverage phase
(boundary values, wrong types, unexpected methods and content types: a hundred or two requests per operation) is
sent as district X's staff only. Fifteen random examples per operation keep the run quick;
ZHIJIA_FUZZ_EXAMPLES=500 runs a long campaign, with the coverage phase sent as every role too.
"""

from __future__ import annotations

import os
from collections.abc import Iterator
from typing import Any

import pytest
import schemathesis
from django.core import signals
from django.core.wsgi import get_wsgi_application
from django.db import close_old_connections
from hypothesis import HealthCheck
from hypothesis import settings as hypothesis_settings
from schemathesis.checks import not_a_server_error
from schemathesis.generation.meta import TestPhase
from schemathesis.specs.openapi.checks import (
    content_type_conformance,
    response_schema_conformance,
    status_code_conformance,
)

from zhijia.accounts.services import api_token_issue

EXAMPLES = int(os.environ.get("ZHIJIA_FUZZ_EXAMPLES", "15"))
ROLES = ("anonymous", "worker", "district_x_staff", "city_staff")
LONG_RUN = "ZHIJIA_FUZZ_EXAMPLES" in os.environ

pytestmark = pytest.mark.fuzz


@schemathesis.check
def error_has_code_message_detail(ctx: Any, response: Any, case: Any) -> bool | None:
    """Every refusal, whatever produced it, has the platform's one error format."""
    if response.status_code < 400:
        return None
    try:
        body = response.json()
    except ValueError:
        raise AssertionError(f"{response.status_code} error body is not JSON: {response.text[:200]!r}") from None
    assert isinstance(body, dict), f"error body is not an object: {body!r}"
    assert set(body) == {"code", "message", "detail"}, f"error body keys are {sorted(body)}, not code/message/detail"
    assert isinstance(body["code"], str), "code is not a string"
    assert isinstance(body["message"], str), "message is not a string"
    assert isinstance(body["detail"], dict), "detail is not an object"
    return None


CHECKS = [
    not_a_server_error,
    status_code_conformance,
    content_type_conformance,
    response_schema_conformance,
    error_has_code_message_detail,
]


# Loaded through the platform's own WSGI application and its real /api/v1/openapi.json, as a client would see it.
schema = schemathesis.openapi.from_wsgi("/api/v1/openapi.json", get_wsgi_application())


@pytest.fixture(autouse=True)
def _keep_the_test_connection() -> Iterator[None]:
    # The test's transaction holds every row; Django must not close that connection after each request.
    signals.request_started.disconnect(close_old_connections)
    signals.request_finished.disconnect(close_old_connections)
    try:
        yield
    finally:
        signals.request_started.connect(close_old_connections)
        signals.request_finished.connect(close_old_connections)


@pytest.fixture
def auth_headers(world: Any) -> dict[str, dict[str, str]]:
    """The Authorization header of each role (none for the anonymous visitor), a real token each."""
    headers: dict[str, dict[str, str]] = {}
    for role in ROLES:
        user = world.actor(role)
        headers[role] = {"Authorization": f"Bearer {api_token_issue(user=user)[1]}"} if user else {}
    return headers


def _roles_for(case: Any) -> tuple[str, ...]:
    if LONG_RUN or case.meta is None or case.meta.phase.name != TestPhase.COVERAGE:
        return ROLES
    return ("district_x_staff",)


@schema.parametrize()
@hypothesis_settings(
    max_examples=EXAMPLES,
    deadline=None,
    database=None,
    suppress_health_check=[HealthCheck.function_scoped_fixture, HealthCheck.too_slow, HealthCheck.filter_too_much],
)
def test_api_answers_as_its_openapi_document_says(case: Any, auth_headers: dict[str, dict[str, str]]) -> None:
    for role in _roles_for(case):
        try:
            case.call_and_validate(headers=auth_headers[role], checks=CHECKS)
        except BaseException as exc:
            exc.add_note(f"(sent as {role})")
            raise
