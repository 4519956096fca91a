"""Every row of the authorization matrix, called as every actor: the status each gets, and nothing changed on denial.

Each actor runs inside its own savepoint that is rolled back afterwards, so every actor meets the same world.
"""

from __future__ import annotations

import json
from typing import Any

import pytest
from django.db import transaction
from django.test import Client
from django.urls import path, reverse

from tests.authz import coverage
from tests.authz.matrix import (
    ACTORS,
    API_PREFIX,
    API_ROWS,
    AWAY,
    FORM,
    LOGIN,
    PAGE_ROWS,
    SEEN_ROWS,
    Raw,
    Row,
    Seen,
    Targets,
    build_targets,
    resolve,
)
from tests.support.snapshot import changed_tables, db_fingerprint
from zhijia.accounts.services import api_token_issue


@pytest.fixture
def targets(world: Any, settings: Any, tmp_path: Any) -> dict[str, Any]:
    # Job files and SMS messages of this test go to a throwaway folder.
    settings.MEDIA_ROOT = tmp_path / "media"
    settings.SMS_OUTBOX = tmp_path / "sms-outbox.jsonl"
    return build_targets(world)


def _client_for(actor: str, targets: dict[str, Any], *, api: bool) -> Client:
    user = targets[actor]
    if user is None:
        return Client()
    if api:
        _, raw = api_token_issue(user=user)
        return Client(HTTP_AUTHORIZATION=f"Bearer {raw}")
    client = Client()
    client.force_login(user)
    return client


def _url(row: Row | Seen, targets: dict[str, Any], on: str | Raw | None = None) -> str:
    if row.target.startswith("/"):
        url = API_PREFIX + row.target
        if on:
            name = url[url.index("{") + 1 : url.index("}")]
            url = url.replace(f"{{{name}}}", str(targets[on].pk))
        return url
    if isinstance(on, Raw):
        return reverse(row.target, args=[on.value])
    return reverse(row.target, args=[targets[on].pk] if on else [])


def _call(client: Client, row: Row | Seen, url: str, data: dict[str, Any]) -> Any:
    method = row.method.lower()
    is_api = row.target.startswith("/")
    if method == "get":
        return client.get(url, data)
    if is_api:
        return getattr(client, method)(url, json.dumps(data), content_type="application/json")
    return getattr(client, method)(url, data)


def _answer(response: Any) -> int | str:
    if response.status_code == 302 and response["Location"].startswith(reverse("accounts:login")):
        return LOGIN
    return int(response.status_code)


def _run_row(row: Row, targets: dict[str, Any]) -> list[str]:
    """Call `row` as each actor; return what went against the table."""
    problems = []
    is_api = row.target.startswith("/")
    # Everyone signs in first, so that each actor's request is the only difference from this fingerprint.
    clients = {actor: _client_for(actor, targets, api=is_api) for actor in ACTORS}
    url, data = _url(row, targets, row.on), resolve(row.data, targets)
    before = db_fingerprint()
    for actor, expected in row.expected().items():
        with transaction.atomic():
            response = _call(clients[actor], row, url, data)
            changed = changed_tables(before, db_fingerprint())
            transaction.set_rollback(True)
        got = _answer(response)
        if (got, expected) in ((200, FORM), (302, AWAY)):
            got = expected
        if got != expected:
            problems.append(f"{actor}: expected {expected}, got {got} {_body_hint(response)}")
        refused = got in (LOGIN, FORM, AWAY) or (isinstance(got, int) and got >= 400)
        if (not row.is_write or refused) and changed:
            problems.append(f"{actor}: answered {got} but changed {', '.join(changed)}")
        if row.is_write and not refused and got == expected and not changed and not row.changes_nothing:
            problems.append(f"{actor}: answered {got} to a write but changed nothing")
        if is_api and isinstance(got, int) and got >= 400:
            body = response.json()
            if set(body) != {"code", "message", "detail"}:
                problems.append(f"{actor}: error body is not {{code, message, detail}}: {body}")
    return problems


def _body_hint(response: Any) -> str:
    if response.get("Content-Type", "").startswith("application/json"):
        return response.content.decode()[:200]
    return ""


@pytest.mark.parametrize("row", API_ROWS, ids=lambda r: r.label)
def test_api_operation_answers_each_actor_as_the_table_says(row: Row, targets: dict[str, Any]) -> None:
    problems = _run_row(row, targets)
    assert not problems, f"{row.label}\n  " + "\n  ".join(problems)


@pytest.mark.parametrize("row", PAGE_ROWS, ids=lambda r: r.label)
def test_page_answers_each_actor_as_the_table_says(row: Row, targets: dict[str, Any]) -> None:
    problems = _run_row(row, targets)
    assert not problems, f"{row.label}\n  " + "\n  ".join(problems)


@pytest.mark.parametrize("row", SEEN_ROWS, ids=lambda r: f"{r.key} finds {r.finds}")
def test_lists_show_each_actor_only_its_own_subtree(row: Seen, targets: dict[str, Any]) -> None:
    is_api = row.target.startswith("/")
    probe, params = row.probe(), resolve(dict(row.params), targets)
    problems = []
    for actor, sees in row.expected().items():
        if sees is None:
            continue
        with transaction.atomic():
            client = _client_for(actor, targets, api=is_api)
            response = _call(client, row, _url(row, targets), params)
            transaction.set_rollback(True)
        assert response.status_code == 200, f"{row.key} as {actor}: {response.status_code}"
        if probe(response, targets[row.finds]) != sees:
            problems.append(f"{actor}: expected {'to see' if sees else 'not to see'} {row.finds}")
    assert not problems, f"{row.key}\n  " + "\n  ".join(problems)


def test_every_operation_and_page_has_a_row(client: Client) -> None:
    operations = coverage.api_operations(client.get(f"{API_PREFIX}/openapi.json").json())
    pages = coverage.page_names()
    assert operations
    assert pages
    assert coverage.missing_rows(operations, pages) == []
    assert coverage.rows_for_nothing(operations, pages) == []


def test_a_new_operation_or_page_without_a_row_is_reported(client: Client) -> None:
    # given the real OpenAPI document and URL map, and the same with one more operation and one more page
    document = client.get(f"{API_PREFIX}/openapi.json").json()
    before = set(coverage.missing_rows(coverage.api_operations(document), coverage.page_names()))
    document["paths"][f"{API_PREFIX}/orgs/{{org_id}}/merge"] = {"post": {"responses": {"200": {}}}}

    class ExtendedUrls:
        from zhijia.urls import urlpatterns as base

        urlpatterns = [*base, path("console/reports/", lambda request: None, name="reports")]

    # when the coverage check looks at them
    after = set(coverage.missing_rows(coverage.api_operations(document), coverage.page_names(ExtendedUrls)))

    # then exactly those two are reported as having no row
    assert after - before == {"API POST /orgs/{org_id}/merge", "page reports"}


def test_every_list_a_sibling_district_reads_is_checked_for_what_it_shows() -> None:
    assert coverage.unchecked_lists() == []
    assert coverage.not_scoped_for_nothing() == []


def test_a_new_list_without_a_check_is_reported() -> None:
    # given a new report that every office reads with 200, district Y's staff included
    report = Row("GET /reports/dues", None, (401, 404, 404, 200, 200, 200, 200, 200, 403, 200))

    # when the check looks at the rows with it
    unchecked = coverage.unchecked_lists([*API_ROWS, *PAGE_ROWS, report])

    # then it is reported until a Seen row checks what it shows (or NOT_SCOPED says why nothing needs checking)
    assert unchecked == ["GET /reports/dues"]
    finds = Seen("GET /reports/dues", "x_member", (None, None, None, True, True, False, True, True, None, True))
    assert coverage.unchecked_lists([*API_ROWS, *PAGE_ROWS, report], [*SEEN_ROWS, finds]) == []


def test_every_row_names_an_answer_for_every_actor() -> None:
    for row in [*API_ROWS, *PAGE_ROWS]:
        assert set(row.expected()) == set(ACTORS), row.label
    for seen in SEEN_ROWS:
        assert set(seen.expected()) == set(ACTORS), seen.key


def test_a_target_name_is_given_once() -> None:
    # Two modules once both named their waitlist offer "x_offer": the later one replaced the earlier, and the
    # earlier module's rows were called with an object of the wrong kind. A second use of a name now stops set-up.
    targets = Targets()
    targets["x_offer"] = "a booking"
    with pytest.raises(KeyError, match="x_offer"):
        targets["x_offer"] = "a registration"
    assert targets["x_offer"] == "a booking"
