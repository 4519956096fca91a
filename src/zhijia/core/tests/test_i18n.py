"""The English translation: complete, compiled, and what the pages actually show.

The source strings are Chinese (the primary language); English lives in locale/en/LC_MESSAGES/django.po and
its compiled django.mo, both committed so the platform runs without gettext tools. `make messages` refreshes both.
"""

import re
import shutil
from pathlib import Path

import polib
import pytest
from django.conf import settings
from django.core.management import call_command

import zhijia

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


@pytest.mark.skipif(shutil.which("xgettext") is None, reason="GNU gettext is not installed")
def test_catalog_holds_exactly_the_strings_marked_in_the_code(tmp_path, settings, monkeypatch):
    # given a copy of the package with an empty catalog
    copy = tmp_path / "zhijia"
    shutil.copytree(
        Path(zhijia.__file__).parent,
        copy,
        ignore=shutil.ignore_patterns("locale", "static", "data", "__pycache__", "*.pyc"),
    )
    (copy / "locale").mkdir()
    settings.LOCALE_PATHS = [copy / "locale"]
    monkeypatch.chdir(copy)
    # when extracting the marked strings afresh
    call_command("makemessages", locale=["en"], verbosity=0)
    fresh = {(e.msgctxt, e.msgid) for e in polib.pofile(str(copy / "locale" / "en" / "LC_MESSAGES" / "django.po"))}
    committed = {(e.msgctxt, e.msgid) for e in polib.pofile(str(PO_PATH))}
    # then the committed catalog has every one of them and nothing else
    howto = "run `make messages`, write the English of each new entry in django.po, run it again, commit .po and .mo"
    missing = sorted(e[1] for e in fresh - committed)
    stale = sorted(e[1] for e in committed - fresh)
    assert missing == [], f"{len(missing)} strings have no English translation, e.g. {missing[:3]}: {howto}"
    assert stale == [], f"{len(stale)} translations are of strings no longer in the code, e.g. {stale[:3]}: {howto}"


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
