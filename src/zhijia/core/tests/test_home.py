"""The front page: anonymous visitors of one language share one rendering kept by each process (each still gets a CSRF
token of its own, which works); signed-in members, visitors with a message waiting, and addresses with a query string
are rendered for themselves."""

import re

import pytest
from django.contrib.messages import constants
from django.contrib.messages.storage.base import Message
from django.contrib.messages.storage.cookie import CookieStorage
from django.core.cache import caches
from django.test import Client, RequestFactory

from zhijia.core.views import CSRF_SLOT


@pytest.fixture(autouse=True)
def fresh_cache():
    caches["local"].clear()
    yield
    caches["local"].clear()


def _token(response):
    (meta,) = re.findall(r'<meta name="csrf-token" content="([^"]+)">', response.content.decode())
    return meta


def _rendered(response):
    return [t.name for t in response.templates]


def test_anonymous_visitors_share_one_rendering_but_not_the_csrf_token(db):
    first = Client().get("/")
    second = Client().get("/")

    assert first.status_code == second.status_code == 200
    assert "core/home.html" in _rendered(first)
    assert _rendered(second) == []  # served from the cache
    assert CSRF_SLOT not in second.content.decode()
    assert _token(first) != _token(second)
    assert re.sub(r'(content|value)="[^"]{64}"', "", first.content.decode()) == re.sub(
        r'(content|value)="[^"]{64}"', "", second.content.decode()
    )


def test_the_token_in_a_cached_page_is_accepted(db):
    Client().get("/")  # fills the cache
    visitor = Client(enforce_csrf_checks=True)

    page = visitor.get("/")
    assert _rendered(page) == []
    (form_token,) = re.findall(r'name="csrfmiddlewaretoken" value="([^"]+)"', page.content.decode())
    switched = visitor.post("/i18n/setlang/", {"language": "en", "next": "/", "csrfmiddlewaretoken": form_token})

    assert switched.status_code == 302
    refused = Client(enforce_csrf_checks=True).post("/i18n/setlang/", {"language": "en", "next": "/"})
    assert refused.status_code == 403


def test_each_language_has_its_own_rendering(db):
    chinese = Client(headers={"accept-language": "zh-CN"}).get("/")
    english = Client(headers={"accept-language": "en"}).get("/")
    english_again = Client(headers={"accept-language": "en"}).get("/")

    assert "网上入会" in chinese.content.decode()
    assert 'lang="en"' in english.content.decode()
    assert "网上入会" not in english.content.decode()
    assert _rendered(english_again) == []
    assert english_again.content.decode().count('lang="en"') == 1


def test_a_signed_in_member_never_gets_the_anonymous_page_nor_leaves_theirs(world, client_as):
    Client().get("/")
    member = client_as(world.user("worker"))

    mine = member.get("/").content.decode()
    anonymous_after = Client().get("/").content.decode()

    assert "王师傅" in mine
    assert "/accounts/logout/" in mine
    assert "/accounts/register/" not in mine  # the anonymous page's register button
    assert "王师傅" not in anonymous_after
    assert "/accounts/register/" in anonymous_after


def test_an_address_with_a_query_string_is_rendered_for_it(db):
    Client().get("/")

    response = Client().get("/?from=poster")

    assert "core/home.html" in _rendered(response)
    assert 'value="/?from=poster"' in response.content.decode()


def test_a_waiting_message_is_shown_not_the_cached_page(db):
    Client().get("/")
    visitor = Client()
    storage = CookieStorage(RequestFactory().get("/"))
    visitor.cookies["messages"] = storage._encode([Message(constants.INFO, "欢迎回来")])  # type: ignore[attr-defined]

    response = visitor.get("/")

    assert "欢迎回来" in response.content.decode()
    assert "欢迎回来" not in Client().get("/").content.decode()


def test_the_page_is_rendered_again_once_its_time_is_up(db, settings):
    settings.HOME_CACHE_SECONDS = 0  # Django's caches treat 0 as "do not keep"

    Client().get("/")

    assert "core/home.html" in _rendered(Client().get("/"))
