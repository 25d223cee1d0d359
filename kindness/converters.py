"""URL converters shared by the apps' URL modules (registered in KindnessConfig.ready)."""

from __future__ import annotations


class KeyConverter:
    """A natural key from an imported file in a URL: a department code or an employee
    number. New codes follow the rule of SPEC section 7, but keys stored before it (`X/1`,
    `A B`) must keep working on every page that links to them, so this accepts any text,
    slashes included: Django quotes the rest when it reverses, and the route's next
    literal part ends the key."""

    regex = r"[^\x00]+"

    def to_python(self, value: str) -> str:
        return value

    def to_url(self, value: str) -> str:
        return value
