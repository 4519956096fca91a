"""The English translation: complete, compiled, and what the pages actually show.

The source strings are Chinese (the primary language); English lives in locale/en/LC_MESSAGES/django.po and
its compiled django.mo, both committed so the platform runs without gettext tools. `make messages` refreshes both.
"""

import re
from pathlib import Path

import polib
import pytest
from django.conf import settings

LOCALE_DIR = Path(settings.LOCALE_PATHS[0]) / "en" / "LC_MESSAGES"
PO_PATH = LOCALE_DIR / "django.po"
MO_PATH = LOCALE_DIR / "django.mo"
PLACEHOLDER = re.compile(r"%\(\w+\)[sd]|\{\{\s*\w+\s*\}\}")


def _entries(catalog: polib._BaseFile) -> set[tuple[str | None, str, str]]:
    return {(e.msgctxt, e.msgid, e.msgstr) for e in catalog if e.msgid}


def test_compiled_catalog_matches_the_po_file():
    # given the .po file compiled in memory, as compilemessages would
    po = polib.pofile(str(PO_PATH))
    expected = _entries(polib.mofile(po.to_binary()))
    # when reading the committed .mo
    committed = _entries(polib.mofile(str(MO_PATH)))
    # then they hold the same translations (otherwise run `make messages`)
    assert committed == expected, (
        f"django.mo is stale: missing {sorted(expected - committed)[:5]}, extra {sorted(committed - expected)[:5]}"
    )


def test_every_entry_is_translated_and_none_is_fuzzy():
    po = polib.pofile(str(PO_PATH))
    assert not po.metadata_is_fuzzy
    assert [e.msgid for e in po.untranslated_entries()] == []
    assert [e.msgid for e in po.fuzzy_entries()] == []
    assert [e.msgid for e in po.obsolete_entries()] == []


def test_translations_keep_their_placeholders():
    po = polib.pofile(str(PO_PATH))
    broken = [
        e.msgid
        for e in po.translated_entries()
        if sorted(PLACEHOLDER.findall(e.msgid)) != sorted(PLACEHOLDER.findall(e.msgstr))
    ]
    assert broken == []


@pytest.mark.django_db
def test_home_page_in_chinese_by_default(client):
    response = client.get("/")
    assert response.status_code == 200
    html = response.content.decode()
    assert '<html lang="zh-hans">' in html
    assert "工会服务零距离" in html
    assert "网上入会" in html


@pytest.mark.django_db
def test_home_page_in_english_from_accept_language(client):
    response = client.get("/", HTTP_ACCEPT_LANGUAGE="en")
    assert response.status_code == 200
    html = response.content.decode()
    assert '<html lang="en">' in html
    assert "Union services, close at hand" in html
    assert "Join online" in html
    assert "Sign in" in html
    assert "网上入会" not in html


@pytest.mark.django_db
def test_login_page_in_chinese_by_default(client):
    html = client.get("/accounts/login/").content.decode()
    assert '<html lang="zh-hans">' in html
    assert "手机号或用户名" in html
    assert "还没有账户？" in html


@pytest.mark.django_db
def test_language_switcher_turns_the_login_page_english(client):
    # given a visitor who picks English in the switcher
    response = client.post("/i18n/setlang/", {"language": "en", "next": "/accounts/login/"})
    assert response.status_code == 302
    assert response.cookies[settings.LANGUAGE_COOKIE_NAME].value == "en"
    # when they open the login page
    html = client.get("/accounts/login/").content.decode()
    # then it is in English
    assert '<html lang="en">' in html
    assert "Phone or username" in html
    assert "No account yet?" in html
    assert "手机号或用户名" not in html


@pytest.mark.django_db
def test_form_errors_follow_the_language(client):
    html = client.post(
        "/accounts/login/", {"username": "nobody", "password": "wrong"}, HTTP_ACCEPT_LANGUAGE="en"
    ).content.decode()
    assert "Incorrect phone/username or password." in html
