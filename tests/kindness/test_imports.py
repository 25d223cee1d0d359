"""The import machinery of SPEC section 7 (kindness/imports/): reading CSV and XLSX,
matching headers, the typed Row accessors, and run_import's all-or-nothing and dry run."""

from __future__ import annotations

import datetime as dt
import io
import zipfile

import openpyxl
import pytest
from django.utils import timezone, translation

from kindness.imports import (
    ImportFileError,
    Row,
    RowError,
    describe_summary,
    read_table,
    run_import,
)
from kindness.models import Bureau, Department, Official, OfficialAssignment, Team

COLUMNS = ("employee_no", "name")

ROSTER_HEADER = (
    "employee_no,name,bureau,department_code,department,team,position,employment_type,phone,active"
)
GOOD_ROSTER = (
    ROSTER_HEADER + "\n"
    "A00001,김하나,행정국,A01,총무과,총무팀,주무관,regular,052-000-0001,Y\n"
    "A00002,이둘,행정국,A01,총무과,총무팀,팀장,fixed-term,052-000-0002,Y\n"
    "A00003,박셋,복지국,B01,복지과,,주무관,support,052-000-0003,N\n"
)


def table_of(data: bytes, columns=COLUMNS):
    return read_table(data, columns=columns)


def file_errors(data: bytes, columns=COLUMNS) -> list[RowError]:
    with pytest.raises(ImportFileError) as caught:
        read_table(data, columns=columns)
    return caught.value.errors


def xlsx(rows: list[list]) -> bytes:
    book = openpyxl.Workbook()
    sheet = book.active
    for row in rows:
        sheet.append(row)
    out = io.BytesIO()
    book.save(out)
    return out.getvalue()


def with_member_replaced(data: bytes, member: str, content: bytes) -> bytes:
    """The same XLSX archive with one of its members replaced (to damage it)."""
    source = zipfile.ZipFile(io.BytesIO(data))
    out = io.BytesIO()
    with zipfile.ZipFile(out, "w") as target:
        for info in source.infolist():
            target.writestr(
                info.filename, content if info.filename == member else source.read(info)
            )
    return out.getvalue()


def row_of(**values: str) -> tuple[Row, list[RowError]]:
    errors: list[RowError] = []
    return Row(7, values, errors), errors


# Reading and decoding -------------------------------------------------------------------


def test_utf8_csv_without_bom_is_read():
    table = table_of("employee_no,name\nE1,김철수\n".encode())

    assert table.rows == [(2, {"employee_no": "E1", "name": "김철수"})]


def test_utf8_csv_with_bom_is_read_and_the_bom_is_not_part_of_the_first_header():
    table = table_of(b"\xef\xbb\xbf" + "employee_no,name\r\nE1,김철수\r\n".encode())

    assert table.headers == ["employee_no", "name"]
    assert table.rows == [(2, {"employee_no": "E1", "name": "김철수"})]


def test_cp949_csv_as_korean_spreadsheets_export_it_is_read_as_korean_text():
    data = "employee_no,name\r\nE1,김철수\r\nE2,홍길동\r\n".encode("cp949")
    with pytest.raises(UnicodeDecodeError):
        data.decode("utf-8")  # the case under test: not UTF-8

    table = table_of(data)

    assert [values["name"] for _line, values in table.rows] == ["김철수", "홍길동"]


def test_latin1_bytes_that_are_neither_utf8_nor_cp949_are_a_clear_file_error():
    data = "employee_no,name\nE1,Müller café\n".encode("latin-1")
    for encoding in ("utf-8", "cp949"):
        with pytest.raises(UnicodeDecodeError):
            data.decode(encoding)

    errors = file_errors(data)

    assert len(errors) == 1
    assert errors[0].line == 0
    with translation.override("en"):
        errors = file_errors(data)
    assert "neither UTF-8 nor CP949" in errors[0].message


@pytest.mark.parametrize(
    "data",
    [
        "employee_no,name\nE1,김철수\n".encode("utf-16"),
        b"\xd0\xcf\x11\xe0\xa1\xb1\x1a\xe1" + b"\x00" * 100,  # an old .xls workbook
    ],
    ids=["utf-16", "xls"],
)
def test_utf16_text_or_an_old_xls_workbook_is_rejected_as_not_csv_or_xlsx(data):
    with translation.override("en"):
        errors = file_errors(data)

    assert [(e.line, e.column) for e in errors] == [(0, "")]
    assert "not a CSV or Excel (.xlsx) file" in errors[0].message


def test_xlsx_cells_are_read_as_the_text_a_csv_would_hold():
    data = xlsx(
        [
            ["employee_no", "name", "joined", "active", "score", "at"],
            [12345, "김철수", dt.date(2025, 3, 31), True, 4.5, dt.datetime(2025, 3, 31, 9, 15)],
            [12346.0, "홍길동", dt.datetime(2025, 4, 1), False, 3, None],
        ]
    )

    table = table_of(data, columns=("employee_no", "name", "joined", "active", "score", "at"))

    assert table.rows == [
        (
            2,
            {
                "employee_no": "12345",
                "name": "김철수",
                "joined": "2025-03-31",
                "active": "Y",
                "score": "4.5",
                "at": "2025-03-31T09:15:00",
            },
        ),
        (
            3,
            {
                "employee_no": "12346",
                "name": "홍길동",
                "joined": "2025-04-01",
                "active": "N",
                "score": "3",
                "at": "",
            },
        ),
    ]


def test_xlsx_date_cell_passes_the_date_accessor():
    data = xlsx([["employee_no", "name", "received_on"], ["E1", "김철수", dt.date(2025, 3, 31)]])
    ((line, values),) = table_of(data, columns=("employee_no", "name", "received_on")).rows
    errors: list[RowError] = []

    assert Row(line, values, errors).date("received_on") == dt.date(2025, 3, 31)
    assert errors == []


def test_xlsx_blank_rows_are_skipped_but_counted_in_line_numbers():
    book = openpyxl.Workbook()
    sheet = book.active
    sheet.append(["name", "employee_no"])
    sheet["A2"], sheet["B2"] = "김철수", "E1"
    sheet["A5"], sheet["B5"] = "홍길동", "E2"
    out = io.BytesIO()
    book.save(out)

    table = table_of(out.getvalue())

    assert [line for line, _values in table.rows] == [2, 5]
    assert table.rows[1][1] == {"employee_no": "E2", "name": "홍길동"}


@pytest.mark.parametrize(
    "damage",
    [
        lambda data: data[: len(data) // 2],
        lambda data: with_member_replaced(data, "xl/worksheets/sheet1.xml", b"<sheetData"),
        lambda data: with_member_replaced(data, "xl/workbook.xml", b"not xml"),
    ],
    ids=["truncated", "bad-sheet-xml", "bad-workbook-xml"],
)
def test_a_damaged_xlsx_is_a_file_error_not_a_crash(damage):
    data = damage(xlsx([["employee_no", "name"], ["E1", "김철수"]]))

    errors = file_errors(data)

    assert [(e.line, e.column) for e in errors] == [(0, "")]


def test_a_zip_archive_that_is_not_a_workbook_is_a_file_error():
    out = io.BytesIO()
    with zipfile.ZipFile(out, "w") as archive:
        archive.writestr("readme.txt", "hello")

    assert [e.line for e in file_errors(out.getvalue())] == [0]


def test_a_malformed_csv_is_a_file_error_not_a_crash():
    data = b"employee_no,name\nE1," + b"x" * 200_000 + b"\n"  # a field over csv's limit

    assert [e.line for e in file_errors(data)] == [0]


# Header matching -------------------------------------------------------------------------


def test_columns_are_matched_by_header_name_in_any_order():
    table = table_of("name,employee_no\n김철수,E1\n".encode())

    assert table.rows == [(2, {"employee_no": "E1", "name": "김철수"})]


def test_headers_match_whatever_their_case_and_surrounding_spaces():
    table = table_of(" Employee_No , NAME \nE1,김철수\n".encode())

    assert table.rows == [(2, {"employee_no": "E1", "name": "김철수"})]


def test_extra_columns_are_ignored():
    table = table_of("memo,employee_no,note,name\n메모,E1,비고,김철수\n".encode())

    assert table.rows == [(2, {"employee_no": "E1", "name": "김철수"})]


def test_cells_are_stripped_and_missing_trailing_cells_read_as_blank():
    table = table_of(b"employee_no,name\n  E1  \n")

    assert table.rows == [(2, {"employee_no": "E1", "name": ""})]


def test_a_quoted_cell_may_hold_commas():
    table = table_of('employee_no,name\nE1,"김, 철수"\n'.encode())

    assert table.rows[0][1]["name"] == "김, 철수"


def test_blank_lines_are_skipped_but_line_numbers_stay_those_of_the_file():
    data = "employee_no,name\nE1,김철수\n\n,\n  ,  \nE2,홍길동\n".encode()

    table = table_of(data)

    assert [(line, values["employee_no"]) for line, values in table.rows] == [(2, "E1"), (6, "E2")]


def test_leading_blank_lines_count_too_so_lines_match_the_file():
    table = table_of("\n\nemployee_no,name\nE1,김철수\n".encode())

    assert table.rows == [(4, {"employee_no": "E1", "name": "김철수"})]


def test_a_missing_column_is_reported_on_the_header_line_with_its_name():
    errors = file_errors("employee_no,nmae\nE1,김철수\n".encode())

    assert [(e.line, e.column) for e in errors] == [(1, "name")]


def test_every_missing_column_is_reported():
    errors = file_errors(b"phone\n052\n")

    assert [(e.line, e.column) for e in errors] == [(1, "employee_no"), (1, "name")]


def test_a_repeated_column_is_reported_rather_than_one_copy_silently_winning():
    errors = file_errors("employee_no,name,name\nE1,김철수,홍길동\n".encode())

    assert [(e.line, e.column) for e in errors] == [(1, "name")]


@pytest.mark.parametrize("data", [b"", b"\n\n", b",,\n"], ids=["empty", "blank-lines", "commas"])
def test_an_empty_file_is_a_file_error(data):
    assert [e.line for e in file_errors(data)] == [0]


def test_a_header_without_data_rows_is_a_file_error():
    with translation.override("en"):
        errors = file_errors(b"employee_no,name\n\n")

    assert [e.line for e in errors] == [0]
    assert "no data rows" in errors[0].message


# How errors read ---------------------------------------------------------------------------


def test_row_error_names_its_line_and_column():
    with translation.override("en"):
        assert str(RowError(12, "name", "A value is required.")) == (
            "line 12, column name: A value is required."
        )
        assert str(RowError(12, "", "Bad.")) == "line 12: Bad."
        assert str(RowError(0, "", "The file is empty.")) == "The file is empty."


def test_row_error_is_translated_into_korean_by_default():
    assert str(RowError(12, "name", "x")) == "12행, name 열: x"


# Row accessors -----------------------------------------------------------------------------


def test_text_records_an_error_for_a_required_blank_and_for_an_overlong_value():
    row, errors = row_of(name="", memo="x" * 11, team="")

    assert row.text("name", required=True) == ""
    assert row.text("memo", max_length=10) == "x" * 11
    assert row.text("team") == ""
    assert not row.ok
    assert [(e.line, e.column) for e in errors] == [(7, "name"), (7, "memo")]


def test_a_row_with_only_good_values_stays_ok():
    row, errors = row_of(name="김철수")

    assert row.text("name", required=True) == "김철수"
    assert row.ok and errors == []


def test_choice_accepts_only_the_allowed_values():
    row, errors = row_of(a="regular", b="permanent", c="", d="")

    assert row.choice("a", ["regular", "support"]) == "regular"
    assert row.choice("b", ["regular", "support"]) is None
    assert row.choice("c", ["regular", "support"]) is None
    assert row.choice("d", ["regular"], required=False) is None
    assert [e.column for e in errors] == ["b", "c"]
    with translation.override("en"):
        row, errors = row_of(b="permanent")
        row.choice("b", ["regular", "support"])
    assert errors[0].message == '"permanent" is not allowed here; use one of: regular, support.'


def test_yes_no_takes_y_or_n_only():
    row, errors = row_of(a="Y", b="N", c="yes", d="")

    assert row.yes_no("a") is True
    assert row.yes_no("b") is False
    assert row.yes_no("c") is None
    assert row.yes_no("d") is None
    assert [e.column for e in errors] == ["c", "d"]


def test_integer_checks_number_and_bounds():
    row, errors = row_of(a="12", b="twelve", c="-1", d="99", e="", f="")

    assert row.integer("a", minimum=0) == 12
    assert row.integer("b") is None
    assert row.integer("c", minimum=0) is None
    assert row.integer("d", maximum=10) is None
    assert row.integer("e") is None
    assert row.integer("f", required=False) is None
    assert [e.column for e in errors] == ["b", "c", "d", "e"]


def test_rating_is_one_to_five_or_blank_for_no_answer():
    row, errors = row_of(a="5", b="", c="0", d="3.5", e="")

    assert row.rating("a") == 5
    assert row.rating("b") is None
    assert row.rating("c") is None
    assert row.rating("d") is None
    assert row.rating("e", required=True) is None
    assert [e.column for e in errors] == ["c", "d", "e"]


def test_date_takes_iso_dates_not_after_today():
    tomorrow = timezone.localdate() + dt.timedelta(days=1)
    row, errors = row_of(a="2025-01-31", b="31/01/2025", c=tomorrow.isoformat(), d="", e="")

    assert row.date("a") == dt.date(2025, 1, 31)
    assert row.date("b") is None
    assert row.date("c") is None
    assert row.date("d") is None
    assert row.date("e", required=False) is None
    assert [e.column for e in errors] == ["b", "c", "d"]


def test_date_accepts_today():
    row, errors = row_of(a=timezone.localdate().isoformat())

    assert row.date("a") == timezone.localdate()
    assert errors == []


def test_datetime_reads_an_offset_z_or_no_offset_as_seoul_time():
    row, errors = row_of(
        a="2025-03-31T09:15:00+09:00", b="2025-03-31T00:15:00Z", c="2025-03-31T09:15:00"
    )

    expected = dt.datetime(2025, 3, 31, 0, 15, tzinfo=dt.UTC)
    assert row.datetime("a") == expected
    assert row.datetime("b") == expected
    assert row.datetime("c") == expected
    assert errors == []


def test_datetime_rejects_a_future_or_malformed_time_and_a_required_blank():
    future = (timezone.now() + dt.timedelta(hours=2)).isoformat()
    row, errors = row_of(a=future, b="31.03.2025 09:15", c="", d="")

    assert row.datetime("a") is None
    assert row.datetime("b") is None
    assert row.datetime("c") is None
    assert row.datetime("d", required=False) is None
    assert [e.column for e in errors] == ["a", "b", "c"]


def test_a_row_reports_every_problem_not_just_the_first():
    row, errors = row_of(name="", employment_type="x", active="maybe")

    row.text("name", required=True)
    row.choice("employment_type", ["regular"])
    row.yes_no("active")

    assert [e.column for e in errors] == ["name", "employment_type", "active"]


# run_import ------------------------------------------------------------------------------


@pytest.mark.django_db
def test_run_import_writes_every_row_of_a_good_file():
    result = run_import("roster", GOOD_ROSTER.encode())

    assert result.ok
    assert result.row_count == 3
    assert result.summary["created"] == 3
    assert Official.objects.count() == 3
    assert OfficialAssignment.objects.count() == 3


@pytest.mark.django_db
def test_run_import_writes_nothing_when_any_row_is_bad():
    data = (GOOD_ROSTER + "A00004,,복지국,B01,복지과,,주무관,regular,,Y\n").encode()

    result = run_import("roster", data)

    assert not result.ok
    assert [(e.line, e.column) for e in result.errors] == [(5, "name")]
    assert result.summary == {}
    assert Official.objects.count() == 0
    assert Bureau.objects.count() == Department.objects.count() == Team.objects.count() == 0


@pytest.mark.django_db
def test_run_import_lists_every_bad_row_in_line_order():
    data = (
        ROSTER_HEADER + "\n"
        "A00001,김하나,행정국,A01,총무과,,주무관,permanent,,Y\n"
        ",이둘,행정국,A01,총무과,,주무관,regular,,Y\n"
        "A00003,,행정국,A01,총무과,,주무관,regular,,maybe\n"
    ).encode()

    result = run_import("roster", data)

    assert [(e.line, e.column) for e in result.errors] == [
        (2, "employment_type"),
        (3, "employee_no"),
        (4, "name"),
        (4, "active"),
    ]


@pytest.mark.django_db
def test_dry_run_reports_what_it_would_do_and_writes_nothing():
    result = run_import("roster", GOOD_ROSTER.encode(), dry_run=True)

    assert result.ok and result.dry_run
    assert result.summary["created"] == 3
    assert result.summary["bureaus_created"] == 2
    assert result.summary["departments_created"] == 2
    assert result.summary["teams_created"] == 1
    assert Official.objects.count() == 0
    assert Bureau.objects.count() == 0
    assert OfficialAssignment.objects.count() == 0


@pytest.mark.django_db
def test_dry_run_of_a_bad_file_lists_the_errors():
    data = (GOOD_ROSTER + "A00001,김다시,행정국,A01,총무과,,주무관,regular,,Y\n").encode()

    result = run_import("roster", data, dry_run=True)

    assert [(e.line, e.column) for e in result.errors] == [(5, "employee_no")]


@pytest.mark.django_db
def test_reimporting_the_same_rows_changes_nothing():
    run_import("roster", GOOD_ROSTER.encode())
    before = list(Official.objects.values_list("pk", "updated_at"))

    result = run_import("roster", GOOD_ROSTER.encode())

    assert result.ok
    assert result.summary["unchanged"] == 3
    assert sum(n for key, n in result.summary.items() if key != "unchanged") == 0
    assert list(Official.objects.values_list("pk", "updated_at")) == before
    assert OfficialAssignment.objects.count() == 3


@pytest.mark.django_db
def test_a_file_over_the_size_limit_is_refused_before_it_is_read(settings):
    settings.IMPORT_MAX_BYTES = 100

    result = run_import("roster", GOOD_ROSTER.encode())

    assert [(e.line, e.column) for e in result.errors] == [(0, "")]
    assert result.row_count == 0
    assert Official.objects.count() == 0


@pytest.mark.django_db
def test_a_file_error_comes_back_as_the_result_errors():
    result = run_import("roster", b"employee_no,name\nE1,x\n")

    assert not result.ok
    assert {e.column for e in result.errors} >= {"bureau", "department_code", "active"}
    assert {e.line for e in result.errors} == {1}


def test_describe_summary_gives_labels_in_the_order_of_the_counts():
    with translation.override("en"):
        pairs = describe_summary({"created": 2, "unchanged": 5, "own_key": 1})

    assert pairs == [("new rows", 2), ("unchanged rows", 5), ("own_key", 1)]
