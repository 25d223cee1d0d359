"""Fragments kept in the web process (kindness.fragments, the {% kept %} tag): bounded,
keyed by language and the values they vary on, spliced into pages byte for byte, and never
kept in development (DEBUG), where templates change under a running server."""

from __future__ import annotations

import re

import pytest
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
