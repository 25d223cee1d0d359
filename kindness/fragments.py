"""Rendered fragments of public pages, kept in the web process.

Much of a public page is the same for every visitor: the home page's text and the site's
header and footer in a language, a published ranking, a page of the praise board. Rendering
it again on every request costs most of the request (the rankings page of a city of 200
departments takes ~70 ms to render, against ~1.5 ms for the rest of its request). The key
of a fragment names everything it depends on, so a fragment is never out of date, only
unused.

Fragments live in Django's cache framework, in the `fragments` alias: a local-memory cache
of each web process (settings.CACHES), never a shared cache server, on purpose: a cache
server that is down never breaks a page, a 400 kB fragment is not fetched over the network
on every request, and there is nothing to invalidate across machines. Measured against the
hand-written map it replaced, see bench/README.md.
"""

from __future__ import annotations

import hashlib
import re
import secrets
from collections.abc import Callable, Hashable
from typing import Any

from django.conf import settings
from django.contrib.messages import get_messages
from django.core.cache import caches
from django.http import HttpRequest, HttpResponse
from django.middleware.csrf import get_token
from django.template.loader import render_to_string
from django.utils.html import escape
from django.utils.safestring import mark_safe
from django.utils.translation import get_language

# Stands in for a pre-rendered fragment while the page around it is rendered; random, so
# that no page text can contain it.
_MARKER = mark_safe(f"<!--fragment-{secrets.token_hex(16)}-->")  # noqa: S308 - a constant
ALIAS = "fragments"
# Stand in for the two parts of a kept page (`render_kept`) that differ per request: the
# CSRF token of the language form and the address that form returns to. Random letters
# and digits, which escaping leaves alone and no page text can contain.
_TOKEN = f"kept-token-{secrets.token_hex(16)}"
_PATH = f"kept-path-{secrets.token_hex(16)}"
_SLOTS = re.compile(f"({_TOKEN}|{_PATH})")


class FragmentCache:
    """Rendered text (or a small tuple holding it) under keys made of any hashable values,
    in the process's `fragments` cache, under a prefix of its own. `timeout` (seconds, None:
    until evicted) bounds how long a fragment whose key cannot name all it depends on is
    kept. Nothing is kept while DEBUG is on: templates change under a running server."""

    def __init__(self, prefix: str, *, timeout: float | None = None, alias: str = ALIAS):
        self.prefix = prefix
        self.timeout = timeout
        self.alias = alias

    def _key(self, key: Hashable) -> str:
        # Cache keys are short strings; the values in a key (codes, languages, stamps) are not.
        return f"{self.prefix}:{hashlib.sha256(repr(key).encode()).hexdigest()}"

    def get(self, key: Hashable) -> Any:
        if settings.DEBUG:
            return None
        return caches[self.alias].get(self._key(key))

    def put(self, key: Hashable, fragment: Any) -> None:
        if not settings.DEBUG:
            caches[self.alias].set(self._key(key), fragment, self.timeout)

    def get_or_render(self, key: Hashable, render: Callable[[], Any]) -> Any:
        """The fragment under `key`, rendered by `render()` if it is not kept yet. Two
        threads missing at once both render; the fragment is the same."""
        fragment = self.get(key)
        if fragment is None:
            fragment = render()
            self.put(key, fragment)
        return fragment


def fragments_clear() -> None:
    """Forget every kept fragment of this process (tests; a deployment never needs it)."""
    caches[ALIAS].clear()
    caches[SEARCHES].clear()


# Kept pages of searches (the praise board's): a cache of their own, so that visitors
# typing many different words never push the pages everyone sees out of `fragments`.
SEARCHES = "searches"


def render_around(
    request: HttpRequest,
    template_name: str,
    context: dict,
    *,
    name: str,
    fragment: bytes,
    status: int = 200,
) -> HttpResponse:
    """`render()`, with the variable `name` holding a fragment already rendered and encoded
    (UTF-8, the site's charset). A fragment of a few hundred kB is then neither copied
    through the template's joins nor encoded again on every request: the page around it is
    rendered with a marker in its place, and the bytes are spliced in."""
    page = render_to_string(template_name, {**context, name: _MARKER}, request=request)
    head, tail = page.split(_MARKER, 1)
    return HttpResponse(b"".join((head.encode(), fragment, tail.encode())), status=status)


def page_keepable(request: HttpRequest) -> bool:
    """Whether the whole page may be kept for this request (`render_kept`): an anonymous
    visitor with no message waiting. A signed-in user's header names them; a message is
    shown once. (The session is read only when its cookie came, as the page itself would.)"""
    user = getattr(request, "user", None)
    if user is not None and user.is_authenticated:
        return False
    return not get_messages(request)


def render_kept(
    request: HttpRequest,
    template_name: str,
    context: Callable[[], dict],
    *,
    pages: FragmentCache,
    key: Hashable,
    status: int = 200,
) -> HttpResponse:
    """`render()` of a page that is the same for every anonymous visitor in a language given
    `key` (which must name everything else the page shows), kept whole: a request then
    costs no rendering at all, not even `context()`, only its own CSRF token and address
    put in their places. Anyone else (`page_keepable`) gets the page rendered as usual."""
    if not page_keepable(request):
        return HttpResponse(render_to_string(template_name, context(), request), status=status)
    full_key = (template_name, get_language(), key)
    parts = pages.get(full_key)
    if parts is None:
        html = render_to_string(
            template_name, {**context(), "csrf_token": _TOKEN, "kept_path": _PATH}, request
        )
        # Text and slots alternating: bytes for the text, the marker's name for a slot.
        parts = tuple(
            piece if i % 2 else piece.encode() for i, piece in enumerate(_SLOTS.split(html))
        )
        pages.put(full_key, parts)
    slots = {_TOKEN: get_token(request).encode(), _PATH: escape(request.get_full_path()).encode()}
    return HttpResponse(
        b"".join(slots[piece] if i % 2 else piece for i, piece in enumerate(parts)),
        status=status,
    )
