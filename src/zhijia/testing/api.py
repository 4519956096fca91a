"""Talking to the platform from tests the way a client does: JSON to /api/v1/, pages through a browser-like client.

Nothing here touches the apps directly, so the tests of every app may use it.
"""

from __future__ import annotations

from typing import TYPE_CHECKING, Any

from django.test import Client

if TYPE_CHECKING:  # the test client's response type exists only in django-stubs
    from django.test.client import _MonkeyPatchedWSGIResponse as Response

API = "/api/v1"


class JsonClient:
    """A Django test client that speaks JSON to the versioned API, as one account (or nobody)."""

    def __init__(self, client: Client | None = None, *, token: str | None = None):
        self.client = client or Client()
        self.headers = {"Authorization": f"Bearer {token}"} if token else {}

    def get(self, path: str, **params: Any) -> Response:
        return self.client.get(f"{API}{path}", params, headers=self.headers)

    def post(self, path: str, body: Any = None) -> Response:
        return self.client.post(f"{API}{path}", body or {}, content_type="application/json", headers=self.headers)

    def patch(self, path: str, body: Any) -> Response:
        return self.client.patch(f"{API}{path}", body, content_type="application/json", headers=self.headers)

    def put(self, path: str, body: Any) -> Response:
        return self.client.put(f"{API}{path}", body, content_type="application/json", headers=self.headers)

    def delete(self, path: str) -> Response:
        return self.client.delete(f"{API}{path}", headers=self.headers)

    def post_raw(self, path: str, raw: str) -> Response:
        return self.client.post(f"{API}{path}", raw, content_type="application/json", headers=self.headers)


def api_login(login: str, password: str, client: Client | None = None) -> Response:
    """POST /api/v1/auth/login through a real request, so django-axes sees and counts it."""
    return JsonClient(client).post("/auth/login", {"login": login, "password": password})
