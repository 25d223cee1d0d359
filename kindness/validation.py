"""The input rules of SPEC section 7, in one place for every import, admin form, public form
and API parameter: department codes, control characters, bidirectional overrides, NUL,
whole numbers in ASCII digits and years 1900-2100.

Plain functions return a translated problem (or None), so the import rows, the forms and
the Open311 parameters can each report it in their own way; `TextRules` applies them to
every text field of a form.
"""

from __future__ import annotations

import datetime as dt
import re
import unicodedata

from django import forms
from django.core.exceptions import ValidationError
from django.utils.translation import gettext as _

from kindness.params import YEAR_MAX, YEAR_MIN

DEPARTMENT_CODE = re.compile(r"[A-Za-z0-9][A-Za-z0-9_-]{0,31}")
# Embeddings, overrides and isolates: they reorder what a reader sees ("Trojan Source").
BIDI_CONTROLS = frozenset("\u202a\u202b\u202c\u202d\u202e\u2066\u2067\u2068\u2069")
MULTILINE_ALLOWED = frozenset("\t\n\r")
_WHOLE_NUMBER = re.compile(r"-?[0-9]+")


def _character_name(char: str) -> str:
    return f"U+{ord(char):04X}"


def text_problem(value: str, *, multiline: bool = False) -> str | None:
    """Why `value` may not be stored, or None. Control characters (category Cc, U+2028,
    U+2029) are refused everywhere except tabs and line breaks in multi-line text (a
    report's text, a voice of the customer); bidirectional overrides are refused in
    single-line values (names, codes, titles)."""
    for char in value:
        if char in MULTILINE_ALLOWED and multiline:
            continue
        if unicodedata.category(char) == "Cc" or char in "\u2028\u2029":
            if char == "\x00":
                return _("The NUL character is not allowed.")
            return _("The control character %(char)s is not allowed.") % {
                "char": _character_name(char)
            }
        if char in BIDI_CONTROLS and not multiline:
            return _("The text-direction control character %(char)s is not allowed.") % {
                "char": _character_name(char)
            }
    return None


def department_code_problem(code: str) -> str | None:
    if DEPARTMENT_CODE.fullmatch(code):
        return None
    return _(
        "“%(code)s” is not a department code: 1 to 32 letters A-Z or a-z, digits, “_” or “-”, "
        "starting with a letter or digit."
    ) % {"code": code}


def whole_number(value: str) -> int | None:
    """The whole number written in ASCII digits (an optional leading minus), or None: Python's
    int() would also take `３`, `١` or `1_0`, which a spreadsheet cell must not hold."""
    return int(value) if _WHOLE_NUMBER.fullmatch(value) else None


def year_problem(value: dt.date | dt.datetime) -> str | None:
    """Dates of every form, import and API parameter lie in the years 1900-2100: outside
    them a time zone conversion can overflow (year 0 or 10000) and no record is plausible."""
    if YEAR_MIN <= value.year <= YEAR_MAX:
        return None
    return _("The year must be between %(min)s and %(max)s.") % {
        "min": YEAR_MIN,
        "max": YEAR_MAX,
    }


def legacy_department_codes() -> list[str]:
    """Stored codes that break the code rule (kept working; listed by a system check)."""
    from kindness.models import Department

    codes = Department.objects.values_list("code", flat=True)
    return sorted(code for code in codes if not DEPARTMENT_CODE.fullmatch(code))


class TextRules:
    """Form mixin: every text field follows `text_problem` (multi-line when its widget is a
    text area), every date field `year_problem`, and every whole-number field takes ASCII
    digits only; the error is shown on the field."""

    def _clean_fields(self) -> None:
        super()._clean_fields()
        for name, field in self.fields.items():
            value = self.cleaned_data.get(name)
            problem = None
            # FloatField and DecimalField are IntegerField subclasses: whole numbers only.
            whole = isinstance(field, forms.IntegerField) and not isinstance(
                field, forms.FloatField | forms.DecimalField
            )
            raw = self[name].data if whole else None
            if isinstance(raw, str) and raw.strip() and whole_number(raw.strip()) is None:
                problem = _("Enter a whole number in the digits 0-9.")
            elif isinstance(value, str) and value:
                problem = text_problem(value, multiline=isinstance(field.widget, forms.Textarea))
            elif isinstance(value, dt.date):
                problem = year_problem(value)
            if problem:
                self.add_error(name, ValidationError(problem, code="invalid"))
