"""API requests skip the page machinery they never use: JSON answers carry one fixed content security policy that
allows nothing, pages (and the API's HTML documentation) keep the site's policy, and only pages get a message store."""

from django.http import HttpResponse
from django.test import Client, RequestFactory

from zhijia.core.middleware import API_CONTENT_SECURITY_POLICY, PageMessageMiddleware

SITE_POLICY_PART = "script-src 'self'"


def test_api_json_gets_the_policy_that_allows_nothing(db):
    response = Client().get("/api/v1/network/nearest", {"lng": "116.4", "lat": "39.9"})

    assert response.status_code == 200
    assert response["Content-Security-Policy"] == API_CONTENT_SECURITY_POLICY


def test_api_errors_in_json_get_it_too(db):
    response = Client().get("/api/v1/members/me")

    assert response.status_code == 401
    assert response["Content-Security-Policy"] == API_CONTENT_SECURITY_POLICY


def test_pages_and_the_api_documentation_keep_the_site_policy(db):
    for path in ("/", "/api/v1/docs"):
        response = Client().get(path)
        assert response.status_code == 200, path
        assert SITE_POLICY_PART in response["Content-Security-Policy"], path


def test_only_pages_get_a_message_store():
    middleware = PageMessageMiddleware(lambda request: HttpResponse())
    api, page = RequestFactory().get("/api/v1/auth/me"), RequestFactory().get("/network/")
    for request in (api, page):
        request.session = {}  # type: ignore[assignment]

    middleware(api)
    middleware(page)

    assert not hasattr(api, "_messages")
    assert hasattr(page, "_messages")
