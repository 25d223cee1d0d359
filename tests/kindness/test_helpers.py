"""The core's shared helpers, without a database: phones, the client address, the year
parameter, retention arithmetic, number parsing and the formula-safe export writer."""

from __future__ import annotations

import csv
import datetime as dt
import io
from decimal import Decimal

import pytest
from django.http import QueryDict
from openpyxl import load_workbook

from kindness import numbering
from kindness.clientaddr import client_address
from kindness.exports import csv_cell, csv_text, sheet_title, xlsx_bytes
from kindness.params import BadParameter, pk_parse, year_param, year_parse
from kindness.phones import phone_key, phone_normalize, phones_match
from kindness.privacy import mask_phone, mask_phones_in_text
from kindness.retention import retention_cutoff, retention_expired, years_after, years_before

# ---------------------------------------------------------------------------- phones

TYPED = [
    "010-1234-5678",
    "01012345678",
    "010 1234 5678",
    "010.1234.5678",
    "(010)1234-5678",
    "(010) 1234 5678",
    "+82-10-1234-5678",
    "+82 10 1234 5678",
    "+821012345678",
    "+82 (0)10 1234 5678",
    " 010-1234-5678 ",
]


@pytest.mark.parametrize("typed", TYPED)
def test_every_way_of_typing_a_mobile_number_gives_one_written_form(typed):
    assert phone_normalize(typed) == "010-1234-5678"
    assert phone_key(typed) == "01012345678"
    assert phones_match(typed, "010-1234-5678")
    assert mask_phone(typed) == "010-****-5678"


@pytest.mark.parametrize(
    ("typed", "written"),
    [
        ("02-123-4567", "02-123-4567"),
        ("0522291234", "052-229-1234"),
        ("070 1234 5678", "070-1234-5678"),
    ],
)
def test_area_and_internet_numbers_are_written_with_their_area_code(typed, written):
    assert phone_normalize(typed) == written


@pytest.mark.parametrize(
    "typed", ["+1 202 555 0100", "010-1234", "phone", "010-1234-5678 ext 2", ""]
)
def test_what_is_not_a_korean_number_is_refused(typed):
    assert phone_normalize(typed) is None


def test_a_blank_phone_matches_no_other_blank_phone():
    assert not phones_match("", "")
    assert phone_key("") == ""


def test_phones_in_free_text_are_masked_however_they_were_typed():
    text = "연락처는 +82-10-1234-5678 또는 (010) 9876 5432, 사무실 052.229.1234 입니다. 2026-03-31 방문"
    masked = mask_phones_in_text(text)
    assert "1234-5678" not in masked and "5678" in masked
    assert "9876" not in masked and "5432" in masked
    assert "229" not in masked
    assert "2026-03-31" in masked  # a date is not a phone
    assert masked.startswith("연락처는 010-****-5678 또는 010-****-5432")


# ---------------------------------------------------------------------------- client address


def test_without_proxies_the_client_is_the_peer_and_the_header_is_ignored(rf, settings):
    settings.PROXY_COUNT = 0
    request = rf.get("/", HTTP_X_FORWARDED_FOR="6.6.6.6", REMOTE_ADDR="10.0.0.1")
    assert client_address(request) == "10.0.0.1"


def test_behind_one_proxy_the_client_is_the_rightmost_forwarded_entry(rf, settings):
    settings.PROXY_COUNT = 1
    # The client sent "6.6.6.6" itself; the proxy appended the address it saw.
    request = rf.get("/", HTTP_X_FORWARDED_FOR="6.6.6.6, 203.0.113.9", REMOTE_ADDR="10.0.0.1")
    assert client_address(request) == "203.0.113.9"
    settings.PROXY_COUNT = 2
    assert client_address(request) == "6.6.6.6"


def test_a_request_that_bypassed_the_proxies_is_known_by_its_peer(rf, settings):
    settings.PROXY_COUNT = 1
    assert client_address(rf.get("/", REMOTE_ADDR="10.0.0.1")) == "10.0.0.1"


def test_an_address_that_is_not_an_address_is_none(rf, settings):
    settings.PROXY_COUNT = 1
    request = rf.get("/", HTTP_X_FORWARDED_FOR="<script>", REMOTE_ADDR="10.0.0.1")
    assert client_address(request) is None


# ---------------------------------------------------------------------------- ?year=


def test_no_year_means_the_pages_default_year():
    assert year_param(QueryDict(""), default=2026) == 2026
    assert year_param(QueryDict("year="), default=2026) == 2026


def test_a_year_from_1900_to_2100_is_taken_as_given():
    assert year_param(QueryDict("year=1900"), default=2026) == 1900
    assert year_param(QueryDict("year=2100"), default=2026) == 2100


@pytest.mark.parametrize(
    "value", ["abc", "1899", "2101", "99999", "２０２６", "-2026", "2026.0", "0"]
)
def test_any_other_year_is_a_clear_bad_request(value):
    with pytest.raises(BadParameter, match="1900"):
        year_param(QueryDict(f"year={value}"), default=2026)


def test_a_page_may_narrow_the_years_it_shows():
    assert year_parse("1999", first=2000, last=2027) is None
    assert year_parse("2027", first=2000, last=2027) == 2027


@pytest.mark.parametrize(
    ("typed", "pk"),
    [
        ("42", 42),
        (" 42", None),
        ("4.2", None),
        ("-4", None),
        ("\u0664\u0662", None),
        ("9" * 18, 10**18 - 1),
        ("9" * 19, None),
        ("", None),
        (None, None),
        (7, 7),
    ],
)
def test_a_row_id_is_ascii_digits_that_fit_a_bigint(typed, pk):
    assert pk_parse(typed) == pk


# ---------------------------------------------------------------------------- retention


def test_years_before_and_after_keep_the_calendar_day():
    assert years_before(dt.date(2026, 3, 31), 3) == dt.date(2023, 3, 31)
    assert years_after(dt.date(2026, 3, 31), 1) == dt.date(2027, 3, 31)


def test_29_february_becomes_28_february_in_a_common_year():
    moment = dt.datetime(2028, 2, 29, 9, 30, tzinfo=dt.UTC)
    assert years_before(moment, 1) == dt.datetime(2027, 2, 28, 9, 30, tzinfo=dt.UTC)
    assert years_after(dt.date(2024, 2, 29), 1) == dt.date(2025, 2, 28)


def test_a_record_is_past_its_retention_only_once_the_whole_period_has_run():
    now = dt.date(2026, 6, 1)
    assert retention_cutoff(now, years=1, days=30) == dt.date(2025, 5, 2)
    assert retention_expired(dt.date(2025, 5, 1), now, years=1, days=30)
    assert not retention_expired(dt.date(2025, 5, 2), now, years=1, days=30)
    assert not retention_expired(None, now, years=1)


# ---------------------------------------------------------------------------- numbers


def test_numbers_are_written_with_six_digits_and_read_back():
    assert numbering.number_format("R", 2026, 42) == "R-2026-000042"
    number = numbering.number_parse("R-2026-000042", prefix="R")
    assert (number.year, number.number, str(number)) == (2026, 42, "R-2026-000042")


def test_a_file_may_give_1_to_6_digits_which_are_stored_zero_padded():
    assert str(numbering.number_parse("R-2024-5", prefix="R")) == "R-2024-000005"
    assert str(numbering.number_parse("R-2024-999999", prefix="R")) == "R-2024-999999"


@pytest.mark.parametrize(
    "value",
    [
        "R-2026-1000000",
        "R-2026-0000001",
        "R-1899-000001",
        "R-2101-000001",
        "R-2026-000000",
        "C-2026-000001",
        "r-2026-000001",
        "R2026000001",
        "",
    ],
)
def test_numbers_past_six_digits_or_outside_1900_2100_are_refused(value):
    assert numbering.number_parse(value, prefix="R") is None


def test_a_typed_number_may_be_lower_case_spaced_or_without_dashes():
    for typed in ["r-2026-000042", "R 2026 000042", "R2026000042", " R-2026-000042 "]:
        assert str(numbering.number_parse(typed, prefix="R", typed=True)) == "R-2026-000042"
    assert numbering.number_parse("R-2026-42", prefix="R", typed=True) is None


def test_the_largest_number_issued_still_parses():
    last = numbering.number_format("R", 2026, numbering.LAST)
    assert numbering.number_parse(last, prefix="R", typed=True) is not None


# ---------------------------------------------------------------------------- exports

DANGEROUS = ['=HYPERLINK("http://x")', "+1", "-1+2", "@SUM(A1)", "\tx", "\rx"]


@pytest.mark.parametrize("text", DANGEROUS)
def test_a_csv_text_cell_a_spreadsheet_would_run_gets_a_leading_apostrophe(text):
    assert csv_cell(text) == "'" + text


def test_csv_numbers_are_never_altered():
    assert [csv_cell(v) for v in (-1, Decimal("-3.50"), Decimal("0.00"), 7, None)] == [
        "-1",
        "-3.50",
        "0.00",
        "7",
        "",
    ]


def test_csv_text_is_quoted_by_the_csv_rules_and_ends_lines_as_asked():
    text = csv_text([["a,b", 1], ["=1+1", Decimal("2.50")]], header=["x", "y"], lineterminator="\n")
    assert text == 'x,y\n"a,b",1\n\'=1+1,2.50\n'
    assert csv_text([], header=["x"], bom=True) == "\ufeffx\r\n"
    assert list(csv.reader(io.StringIO(text))) == [["x", "y"], ["a,b", "1"], ["'=1+1", "2.50"]]


def test_xlsx_text_cells_are_strings_never_formulas_and_numbers_stay_numbers():
    data = xlsx_bytes(
        [['=HYPERLINK("http://x","y")', Decimal("3.50"), 4, None, "-2"]],
        header=["text", "score", "n", "empty", "minus"],
        title="2026-H1",
    )
    sheet = load_workbook(io.BytesIO(data)).active
    formula, score, n, empty, minus = sheet[2]
    assert formula.data_type == "s" and formula.value == '=HYPERLINK("http://x","y")'
    assert score.data_type == "n" and score.value == 3.5 and score.number_format == "0.00"
    assert n.value == 4 and empty.value is None
    assert minus.data_type == "s" and minus.value == "-2"
    assert sheet.title == "2026-H1"


def test_control_characters_do_not_break_the_xlsx_writer():
    data = xlsx_bytes([["이름\x00\x01\x1f끝", "줄\n바꿈"]], title="a/b:c")
    sheet = load_workbook(io.BytesIO(data)).active
    assert sheet["A1"].value == "이름\ufffd\ufffd\ufffd끝"
    assert sheet["B1"].value == "줄\n바꿈"
    assert sheet.title == sheet_title("a/b:c") == "a_b_c"
