"""Rendered fragments of public pages, kept in the web process.

Much of a public page is the same for every visitor: the home page's text and the site's
header and footer in a language, a published ranking. Rendering it again on every request
costs most of the request (the rankings page of a city of 200 departments takes ~70 ms to
render, against ~1.5 ms for the rest of its request). The key of a fragment names
everything it depends on, so a fragment is never out of date, only unused; the number kept
is bounded.

Kept in the process rather than in Django's cache on purpose: a cache server that is down
never breaks a page (the caller renders as before), a 400 kB fragment is not fetched over
the network on every request, and there is nothing to invalidate across machines.
"""

from __future__ import annotations

import secrets
import threading
from collections import OrderedDict
from collections.abc import Callable, Hashable
from typing import Any

from django.conf import settings
from django.http import HttpRequest, HttpResponse
from django.template.loader import render_to_string
from django.utils.safestring import mark_safe

# Stands in for a pre-rendered fragment while the page around it is rendered; random, so
# that no page text can contain it.
_MARKER = mark_safe(f"<!--fragment-{secrets.token_hex(16)}-->")  # noqa: S308 - a constant


class FragmentCache:
    """A bounded, least-recently-used map of key -> rendered text (or a small tuple holding
    it), safe across threads."""

    def __init__(self, max_entries: int):
        self.max_entries = max_entries
        self._entries: OrderedDict[Hashable, Any] = OrderedDict()
        self._lock = threading.Lock()

    def get(self, key: Hashable) -> Any:
        if settings.DEBUG:
            # Development: templates change under a running server; render every time.
            return None
        with self._lock:
            fragment = self._entries.get(key)
            if fragment is not None:
                self._entries.move_to_end(key)
            return fragment

    def put(self, key: Hashable, fragment: Any) -> None:
        if settings.DEBUG:
            return
        with self._lock:
            self._entries[key] = fragment
            self._entries.move_to_end(key)
            while len(self._entries) > self.max_entries:
                self._entries.popitem(last=False)

    def get_or_render(self, key: Hashable, render: Callable[[], Any]) -> Any:
        """The fragment under `key`, rendered by `render()` if it is not kept yet. Two
        threads missing at once both render; the fragment is the same."""
        fragment = self.get(key)
        if fragment is None:
            fragment = render()
            self.put(key, fragment)
        return fragment

    def clear(self) -> None:
        with self._lock:
            self._entries.clear()

    def __len__(self) -> int:
        return len(self._entries)


def render_around(
    request: HttpRequest, template_name: str, context: dict, *, name: str, fragment: bytes
) -> HttpResponse:
    """`render()`, with the variable `name` holding a fragment already rendered and encoded
    (UTF-8, the site's charset). A fragment of a few hundred kB is then neither copied
    through the template's joins nor encoded again on every request: the page around it is
    rendered with a marker in its place, and the bytes are spliced in."""
    page = render_to_string(template_name, {**context, name: _MARKER}, request=request)
    head, tail = page.split(_MARKER, 1)
    return HttpResponse(b"".join((head.encode(), fragment, tail.encode())))
