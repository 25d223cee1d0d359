"""The shared masker of free text (SPEC section 8): residents often give their own name or
number, or name the official, in what they say.

Each name given is found however it is spaced ("홍길동", "홍 길동", "홍 길 동") and masked as
`mask_name` does; each phone-like number is found however it is written (kindness.phones:
"010 1234 5678", "(010)1234-5678", "+82-10-1234-5678", ...) and masked as `mask_phone`
does. `masked_segments` says which parts were masked, so a page can show a manager every
masked span before a text is used.
"""

from __future__ import annotations

import re
from collections.abc import Iterable

from kindness.phones import phone_spans
from kindness.privacy import mask_name, mask_phone


def _name_pattern(name: str) -> re.Pattern:
    letters = [re.escape(c) for c in name if not c.isspace()]
    return re.compile(r"\s*".join(letters))


def _spans(text: str, names: Iterable[str]) -> list[tuple[int, int, str]]:
    found: list[tuple[int, int, str]] = []
    wanted = {"".join(n.split()) for n in names if n}
    for name in sorted((n for n in wanted if len(n) > 1), key=len, reverse=True):
        found += [(m.start(), m.end(), mask_name(name)) for m in _name_pattern(name).finditer(text)]
    found += [(start, stop, mask_phone(text[start:stop])) for start, stop in phone_spans(text)]
    # Earliest first, the longer of two starting together; an overlapped match is dropped.
    found.sort(key=lambda s: (s[0], -(s[1] - s[0])))
    spans, end = [], 0
    for start, stop, replacement in found:
        if start >= end:
            spans.append((start, stop, replacement))
            end = stop
    return spans


def masked_segments(text: str, *, names: Iterable[str] = ()) -> list[tuple[str, bool]]:
    """The masked text as (segment, was_masked) pairs, in order."""
    segments, at = [], 0
    for start, stop, replacement in _spans(text, names):
        if start > at:
            segments.append((text[at:start], False))
        segments.append((replacement, True))
        at = stop
    if at < len(text):
        segments.append((text[at:], False))
    return segments


def mask_text(text: str, *, names: Iterable[str] = ()) -> str:
    """`text` with each of `names` (names of one letter left alone) and every phone-like
    number masked."""
    return "".join(segment for segment, _masked in masked_segments(text, names=names))
