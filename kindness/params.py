"""Query parameters shared by pages, starting with `?year=` (SPEC section 7: years
1900-2100 in every form and parameter, anything else a clear error, never a server error).

The rule, the same on every page: no `year` (or an empty one) means the page's default
year, usually this one; anything else must be a year from `first` to `last` written in
ASCII digits, or the request is answered 400 with a page that says what was wrong. A bad
value is refused rather than silently replaced, because a page that shows another year
than the one asked for, without saying so, misleads: what a person expects from a typed
or stale link is to be told.
"""

from __future__ import annotations

from django.core.exceptions import BadRequest
from django.utils import timezone
from django.utils.translation import gettext as _

YEAR_MIN, YEAR_MAX = 1900, 2100


class BadParameter(BadRequest):
    """A query parameter that is not acceptable; the message is for people and is shown
    on the 400 page (kindness.views.error_400)."""


def pk_parse(value) -> int | None:
    """The row id written in `value` (a posted choice, a query parameter), or None when it
    is not one: ASCII digits only, at most 18 of them (a bigint), so that a typed, stale or
    forged value is an unknown row rather than a server error."""
    value = str(value or "")
    return int(value) if value.isascii() and value.isdigit() and len(value) <= 18 else None


def year_parse(value: str, *, first: int = YEAR_MIN, last: int = YEAR_MAX) -> int | None:
    """The year written in `value`, or None when it is not a year from `first` to `last`
    in ASCII digits ("２０２６", "2026.0" and " 2026x" are not)."""
    value = (value or "").strip()
    if not (value.isascii() and value.isdigit() and len(value) == 4):
        return None
    year = int(value)
    return year if first <= year <= last else None


def year_param(
    query, *, default: int, name: str = "year", first: int = YEAR_MIN, last: int = YEAR_MAX
) -> int:
    """The year asked for in `query` (request.GET), `default` when none is given; raises
    BadParameter (answered 400) for anything else."""
    value = query.get(name, "")
    if not value.strip():
        return default
    year = year_parse(value, first=first, last=last)
    if year is None:
        raise BadParameter(
            _(
                "“%(value)s” is not a year this page can show; give a year from %(first)s to %(last)s."
            )
            % {"value": value[:20], "first": first, "last": last}
        )
    return year


def year_choices() -> range:
    """The years a page's year picker offers, newest first: next year (for plans made
    ahead), this year and the four before it."""
    this_year = timezone.localdate().year
    return range(this_year + 1, this_year - 5, -1)
