"""Korean phone numbers: one written form, one matching key, and finding them in text.

Residents type a number in many ways (`010-1234-5678`, `01012345678`, `(010)1234-5678`,
`010 1234 5678`, `+82-10-1234-5678`, `+82 (0)10 1234 5678`). Every place that stores,
compares or masks a phone goes through this module, so the duplicate check (SPEC section
3), the refusal list of the call queue (section 4) and the masking of section 8 see the
same number however it was typed.
"""

from __future__ import annotations

import re
from collections.abc import Iterator

_CHARACTERS = re.compile(r"^\+?[0-9\s().-]+$")
_NUMBERS = [
    re.compile(r"^(010)(\d{4})(\d{4})$"),  # mobile
    re.compile(r"^(01[16789])(\d{3,4})(\d{4})$"),  # older mobile prefixes
    re.compile(r"^(02)(\d{3,4})(\d{4})$"),  # Seoul
    re.compile(r"^(0[3-6][1-5]|070)(\d{3,4})(\d{4})$"),  # other areas, internet phones
    re.compile(r"^(050\d)(\d{4})(\d{4})$"),  # personal "safe" numbers
]

# A phone-like run inside free text (a resident's words): national or +82 international,
# the area code optionally in brackets, groups separated by a space, dot or dash.
_IN_TEXT = re.compile(
    r"""
    (?<![\d+])
    (?:
        \+\s?82[\s.-]?(?:\(0\)\s?)?\(?0?   # +82, +82 (0), +82-(0
      | \(?0                              # 0, (0
    )
    \d{1,3}\)?[\s.-]{0,2}\d{3,4}[\s.-]?\d{4}
    (?!\d)
    """,
    re.VERBOSE,
)


def _national_digits(value: str) -> str | None:
    value = value.strip()
    if not _CHARACTERS.match(value):
        return None
    digits = re.sub(r"\D", "", value)
    if value.startswith("+"):
        if not digits.startswith("82"):
            return None  # a foreign number: not one the programme can call
        digits = digits[2:]
        if not digits.startswith("0"):
            digits = "0" + digits
    return digits


def phone_normalize(value: str) -> str | None:
    """A Korean phone number in one written form (010-1234-5678, 052-229-1234), or None
    when `value` is not one."""
    digits = _national_digits(value or "")
    if digits is None:
        return None
    for pattern in _NUMBERS:
        match = pattern.match(digits)
        if match:
            return "-".join(match.groups())
    return None


def phone_key(value: str) -> str:
    """What two phones are compared by: the national digits of a recognised number
    ("+82-10-1234-5678" and "(010)1234 5678" both give "01012345678"), else all the digits
    of whatever was stored (older rows, foreign numbers); "" for no phone."""
    normalized = phone_normalize(value or "")
    if normalized is not None:
        return normalized.replace("-", "")
    return re.sub(r"\D", "", value or "")


def phones_match(a: str, b: str) -> bool:
    """The same phone however each was typed; a blank phone matches nothing."""
    key = phone_key(a)
    return bool(key) and key == phone_key(b)


def phone_spans(text: str) -> Iterator[tuple[int, int]]:
    """(start, end) of each phone-like run in `text`, in order, for masking free text."""
    for match in _IN_TEXT.finditer(text or ""):
        yield match.span()
