"""Fragments kept in the web process (kindness.fragments, the {% kept %} tag): bounded,
keyed by language and the values they vary on, spliced into pages byte for byte, and never
kept in development (DEBUG), where templates change under a running server."""

from __future__ import annotations

import re

import pytest
from django.contrib.messages import constants
from django.contrib.messages.storage.base import Message
from django.contrib.messages.storage.cookie import CookieStorage
from django.core.cache import caches
from django.http import HttpRequest
from django.shortcuts import render
from django.template import Context, Template
from django.utils import translation
from django.utils.safestring import mark_safe

from kindness.fragments import FragmentCache, fragments_clear, render_around
from tests.conftest import kept_count
from tests.factories import UserFactory


@pytest.fixture(autouse=True)
def _nothing_kept():
    fragments_clear()
    yield
    fragments_clear()


def test_the_least_recently_used_fragment_goes_first_when_full(settings):
    settings.CACHES = {
        **settings.CACHES,
        "fragments": {
            **settings.CACHES["fragments"],
            "OPTIONS": {"MAX_ENTRIES": 2, "CULL_FREQUENCY": 2},
        },
    }
    from django.core.cache import caches

    caches.__init__()  # the alias anew, with room for two
    try:
        cache = FragmentCache("lru")
        cache.put("a", "A")
        cache.put("b", "B")
        assert cache.get("a") == "A"  # "b" is now the least recently used
        cache.put("c", "C")
        assert (cache.get("a"), cache.get("b"), cache.get("c")) == ("A", None, "C")
        assert kept_count("lru") == 2
    finally:
        caches.__init__()


def test_a_fragment_with_a_timeout_is_rendered_again_after_it(settings, monkeypatch):
    import time

    cache = FragmentCache("short", timeout=30)
    cache.put("k", "v")
    now = time.time()
    monkeypatch.setattr(time, "time", lambda: now + 31)
    assert cache.get("k") is None


def test_a_fragment_is_rendered_once_then_kept():
    cache = FragmentCache("t")
    calls = []

    def render():
        calls.append(1)
        return "rendered"

    assert cache.get_or_render("k", render) == cache.get_or_render("k", render) == "rendered"
    assert len(calls) == 1


def test_nothing_is_kept_in_development(settings):
    settings.DEBUG = True
    cache = FragmentCache("t")
    cache.put("k", "v")
    assert cache.get("k") is None
    assert kept_count("t") == 0


def test_render_around_gives_the_page_render_gives_with_the_fragment_in_place(rf):
    request = rf.get("/rankings/")
    fragment = "<p>친절 ★ &amp; more</p>"
    context = {"code": "2025-H1"}
    spliced = render_around(
        request, "scoring/public/rankings.html", context, name="content", fragment=fragment.encode()
    )
    rendered = render(
        request, "scoring/public/rankings.html", {**context, "content": mark_safe(fragment)}
    )
    token = re.compile(rb'value="[A-Za-z0-9]{64}"')  # masked anew on every render
    assert token.sub(b"", spliced.content) == token.sub(b"", rendered.content)
    assert spliced["Content-Type"] == rendered["Content-Type"]
    assert fragment.encode() in spliced.content


def test_kept_parts_differ_by_language_and_by_their_values():
    template = Template(
        '{% load i18n kept %}{% kept "t" who %}{% translate "Home" %} {{ who }} {{ n }}{% endkept %}'
    )
    with translation.override("en"):
        first = template.render(Context({"who": "a", "n": 1}))
        again = template.render(Context({"who": "a", "n": 2}))  # n is not a key: kept
        other = template.render(Context({"who": "b", "n": 3}))
    with translation.override("ko"):
        korean = template.render(Context({"who": "a", "n": 4}))
    assert first == again == "Home a 1"
    assert other == "Home b 3"
    assert korean.endswith(" a 4") and not korean.startswith("Home")


def test_the_site_header_is_kept_apart_for_visitors_and_staff(client, db):
    anonymous = client.get("/", HTTP_ACCEPT_LANGUAGE="en").content.decode()
    assert ">Staff<" not in anonymous and "Staff login" in anonymous
    client.force_login(UserFactory())
    logged_in = client.get("/", HTTP_ACCEPT_LANGUAGE="en").content.decode()
    assert ">Staff<" in logged_in and "Staff login" not in logged_in
    # Per visitor, never kept: the CSRF token and the user's name.
    assert "Log out (" in logged_in
    assert kept_count("kept") >= 5  # header x2, languages, login link, home text, footer


# --- pages kept whole (render_kept) --------------------------------------------------------


def _token_of(html: bytes) -> bytes:
    return re.search(rb'name="csrfmiddlewaretoken" value="([^"]+)"', html)[1]


def test_the_home_page_is_kept_whole_with_each_visitors_own_token_and_address(client, db):
    first = client.get("/", HTTP_ACCEPT_LANGUAGE="en")
    kept = set(caches["fragments"]._cache)
    client.cookies.clear()
    again = client.get("/?from=mail&lang=en", HTTP_ACCEPT_LANGUAGE="en")
    assert kept_count("home") == 1
    assert set(caches["fragments"]._cache) == kept
    # Nothing rendered the second time (no template, no context), yet the same page with
    # its own CSRF token (and cookie) and the address it was asked at, escaped.
    assert again.context is None
    assert _token_of(first.content) != _token_of(again.content)
    assert "csrftoken" in again.cookies
    assert b'name="next" type="hidden" value="/?from=mail&amp;lang=en"' in again.content
    same = re.compile(rb'(value="[A-Za-z0-9]{64}"|name="next" type="hidden" value="[^"]*")')
    assert same.sub(b"", first.content) == same.sub(b"", again.content)


def test_a_kept_page_is_kept_per_language(client, db):
    english = client.get("/", HTTP_ACCEPT_LANGUAGE="en").content.decode()
    korean = client.get("/", HTTP_ACCEPT_LANGUAGE="ko").content.decode()
    assert "Praise an official" in english and "Praise an official" not in korean
    assert kept_count("home") == 2


def test_a_signed_in_user_and_a_waiting_message_get_the_page_rendered(client, db):
    client.get("/", HTTP_ACCEPT_LANGUAGE="en")  # kept for visitors
    client.force_login(UserFactory(username="kim"))
    page = client.get("/", HTTP_ACCEPT_LANGUAGE="en")
    assert page.context is not None and b"Log out (kim)" in page.content
    client.logout()
    storage = CookieStorage(HttpRequest())
    cookie = storage._encode([Message(constants.INFO, "A message shown once")])
    client.cookies[storage.cookie_name] = cookie
    shown = client.get("/", HTTP_ACCEPT_LANGUAGE="en")
    assert b"A message shown once" in shown.content
    assert b"A message shown once" not in client.get("/", HTTP_ACCEPT_LANGUAGE="en").content
