"""The roster import (SPEC sections 2 and 7) through `manage.py import_roster` and
run_import: good files in every format, each kind of bad file, and the organisation
semantics (new units created, departments updated, transfers, inactive officials)."""

from __future__ import annotations

import csv
import datetime as dt
import io
import os
import subprocess
import sys
from pathlib import Path

import openpyxl
import pytest
from django.core.management import CommandError, call_command
from django.utils import timezone, translation

from kindness.imports import run_import
from kindness.models import (
    Bureau,
    Department,
    EmploymentType,
    Official,
    OfficialAssignment,
    Team,
)
from tests.factories import BureauFactory, DepartmentFactory, OfficialFactory

pytestmark = pytest.mark.django_db

ROOT = Path(__file__).resolve().parents[2]
SAMPLE = Path(__file__).parents[1] / "data" / "city-2025" / "roster.csv"
COLUMNS = (
    "employee_no",
    "name",
    "bureau",
    "department_code",
    "department",
    "team",
    "position",
    "employment_type",
    "phone",
    "active",
)
DEFAULTS = {
    "bureau": "행정국",
    "department_code": "A01",
    "department": "총무과",
    "team": "총무팀",
    "position": "주무관",
    "employment_type": "regular",
    "phone": "052-000-0000",
    "active": "Y",
}


def person(employee_no: str, name: str = "김철수", **values: str) -> dict[str, str]:
    return {"employee_no": employee_no, "name": name, **DEFAULTS, **values}


def roster_csv(rows: list[dict[str, str]], columns=COLUMNS) -> str:
    lines = [",".join(columns)]
    lines += [",".join(row.get(c, "") for c in columns) for row in rows]
    return "\n".join(lines) + "\n"


@pytest.fixture
def write(tmp_path):
    """write(name, text_or_bytes) -> the path of a file holding it (text as UTF-8)."""

    def write_file(name: str, content: str | bytes) -> str:
        path = tmp_path / name
        path.write_bytes(content.encode() if isinstance(content, str) else content)
        return str(path)

    return write_file


def import_roster(path: str, *args: str) -> str:
    out = io.StringIO()
    call_command("import_roster", path, *args, stdout=out, stderr=io.StringIO())
    return out.getvalue()


def import_fails(path: str, *args: str) -> str:
    """Run the command expecting it to refuse the file; return what it wrote to stderr."""
    err = io.StringIO()
    with pytest.raises(CommandError):
        call_command("import_roster", path, *args, stdout=io.StringIO(), stderr=err)
    return err.getvalue()


def organisation_snapshot() -> tuple:
    return (
        sorted(Official.objects.values_list("employee_no", "name", "department__code", "active")),
        sorted(Department.objects.values_list("code", "name", "bureau__name")),
        sorted(Team.objects.values_list("department__code", "name")),
        OfficialAssignment.objects.count(),
    )


# Good files ------------------------------------------------------------------------------


def test_sample_roster_creates_the_whole_organisation():
    with translation.override("en"):
        out = import_roster(str(SAMPLE))

    assert Official.objects.count() == 476
    assert Bureau.objects.count() == 7
    assert Department.objects.count() == 26
    assert Team.objects.count() == 78
    assert OfficialAssignment.objects.filter(ended_on__isnull=True).count() == 476
    assert Official.objects.filter(active=False).count() == 22
    assert Official.objects.filter(employment_type=EmploymentType.FIXED_TERM).count() == 50
    assert Official.objects.filter(employment_type=EmploymentType.SUPPORT).count() == 38
    first = Official.objects.select_related("department__bureau", "team").get(employee_no="E00001")
    assert (first.name, first.department.code, first.department.name) == (
        "신태호",
        "D001",
        "자치행정과",
    )
    assert (first.department.bureau.name, first.team.name) == ("행정지원국", "자치행정1팀")
    assert (first.position, first.phone) == ("주무관", "052-229-3672")
    assert "Imported roster.csv (476 rows)" in out
    assert "new rows 476" in out


def test_reimporting_the_sample_roster_leaves_everything_unchanged():
    import_roster(str(SAMPLE))
    before = organisation_snapshot()
    updated_at = sorted(Official.objects.values_list("pk", "updated_at"))

    result = run_import("roster", SAMPLE.read_bytes())

    assert result.ok
    assert result.summary["unchanged"] == 476
    assert sum(n for key, n in result.summary.items() if key != "unchanged") == 0
    assert organisation_snapshot() == before
    assert sorted(Official.objects.values_list("pk", "updated_at")) == updated_at


def test_second_command_run_reports_all_rows_unchanged_and_opens_no_assignment():
    import_roster(str(SAMPLE))
    assignments = OfficialAssignment.objects.count()

    with translation.override("en"):
        out = import_roster(str(SAMPLE))

    assert "new rows 0" in out
    assert "unchanged rows 476" in out
    assert OfficialAssignment.objects.count() == assignments


def test_utf8_without_bom_imports_the_same_as_with_bom(write):
    data = SAMPLE.read_bytes()
    assert data.startswith(b"\xef\xbb\xbf")
    import_roster(write("roster.csv", data[3:]))

    assert Official.objects.count() == 476
    assert Official.objects.get(employee_no="E00001").name == "신태호"


def test_cp949_roster_imports_the_same_as_utf8(write):
    text = SAMPLE.read_bytes().decode("utf-8-sig")
    import_roster(write("roster-cp949.csv", text.encode("cp949")))
    from_cp949 = organisation_snapshot()

    result = run_import("roster", SAMPLE.read_bytes())

    assert Official.objects.get(employee_no="E00001").department.name == "자치행정과"
    assert result.summary["unchanged"] == 476  # the UTF-8 file holds exactly the same rows
    assert organisation_snapshot() == from_cp949


def test_xlsx_roster_imports_the_same_as_csv(tmp_path):
    with SAMPLE.open(encoding="utf-8-sig", newline="") as f:
        rows = list(csv.reader(f))
    book = openpyxl.Workbook()
    for row in rows:
        book.active.append(row)
    book.save(tmp_path / "roster.xlsx")
    import_roster(str(tmp_path / "roster.xlsx"))
    from_xlsx = organisation_snapshot()

    result = run_import("roster", SAMPLE.read_bytes())

    assert Official.objects.count() == 476
    assert result.summary["unchanged"] == 476  # the CSV holds exactly the same rows
    assert organisation_snapshot() == from_xlsx


def test_xlsx_with_numbers_and_true_false_cells_reads_them_as_text(tmp_path):
    book = openpyxl.Workbook()
    sheet = book.active
    sheet.append(list(COLUMNS))
    sheet.append(
        [
            10234,
            "김철수",
            "행정국",
            101,
            "총무과",
            "총무팀",
            "주무관",
            "regular",
            "052-000-0001",
            True,
        ]
    )
    sheet.append([10235.0, "홍길동", "행정국", 101, "총무과", None, None, "support", None, False])
    book.save(tmp_path / "roster.xlsx")

    import_roster(str(tmp_path / "roster.xlsx"))

    first, second = Official.objects.select_related("department").order_by("employee_no")
    assert (first.employee_no, first.department.code, first.active) == ("10234", "101", True)
    assert (second.employee_no, second.team, second.position, second.active) == (
        "10235",
        None,
        "",
        False,
    )


def test_columns_in_another_order_with_extra_columns_import_by_header_name(write):
    columns = ("비고", *reversed(COLUMNS), "memo")
    rows = [person("A00001", "김하나", 비고="신규", memo="x")]

    import_roster(write("roster.csv", roster_csv(rows, columns)))

    official = Official.objects.select_related("department__bureau").get()
    assert (official.employee_no, official.name, official.phone) == (
        "A00001",
        "김하나",
        "052-000-0000",
    )
    assert official.department.bureau.name == "행정국"


def test_blank_lines_are_skipped_and_errors_keep_the_file_line_numbers(write):
    header, good = roster_csv([person("A00001")]).splitlines()
    bad = roster_csv([person("A00002", name="")]).splitlines()[1]
    text = "\r\n".join([header, good, "", ",,,,,,,,,", bad, ""])  # the bad row is on line 5

    with translation.override("en"):
        err = import_fails(write("roster.csv", text))

    assert err.strip() == "line 5, column name: A value is required."
    assert Official.objects.count() == 0


def test_blank_lines_in_a_good_file_are_simply_skipped(write):
    header, first, second = roster_csv([person("A00001"), person("A00002", "이둘")]).splitlines()

    import_roster(write("roster.csv", "\n".join(["", header, first, "", "", second, "", ""])))

    assert sorted(Official.objects.values_list("employee_no", flat=True)) == ["A00001", "A00002"]


# Dry run -----------------------------------------------------------------------------------


def test_dry_run_writes_nothing_but_reports_what_it_would_do():
    with translation.override("en"):
        out = import_roster(str(SAMPLE), "--dry-run")

    assert "dry run, nothing written" in out
    assert "(476 rows)" in out
    assert "new rows 476" in out
    assert "new bureaus 7" in out
    assert "new departments 26" in out
    assert "new teams 78" in out
    assert Official.objects.count() == 0
    assert Bureau.objects.count() == Department.objects.count() == Team.objects.count() == 0
    assert OfficialAssignment.objects.count() == 0


def test_dry_run_of_a_bad_file_fails_like_a_real_run(write):
    path = write("roster.csv", roster_csv([person("A00001", employment_type="permanent")]))

    err = import_fails(path, "--dry-run")

    assert "2" in err and "employment_type" in err


# Bad files: each problem named with its line and column, nothing written ---------------


@pytest.fixture
def existing():
    """A roster already imported, to show that a bad file leaves it exactly as it was."""
    run_import(
        "roster", roster_csv([person("A00001", "김하나"), person("A00002", "이둘")]).encode()
    )
    return organisation_snapshot()


def test_duplicate_employee_number_names_both_lines_and_writes_nothing(write, existing):
    rows = [person("A00003", "박셋"), person("A00004", "최넷"), person("A00003", "정다섯")]

    with translation.override("en"):
        err = import_fails(write("roster.csv", roster_csv(rows)))

    assert "line 4, column employee_no: A00003 already appears on line 2 of this file." in err
    assert organisation_snapshot() == existing


def test_duplicate_employee_number_is_reported_in_korean_by_default(write, existing):
    rows = [person("A00003", "박셋"), person("A00003", "정다섯")]

    err = import_fails(write("roster.csv", roster_csv(rows)))

    assert "3행, employee_no 열" in err
    assert "2행" in err
    assert organisation_snapshot() == existing


def test_unknown_employment_type_is_a_row_error_naming_the_column(write, existing):
    rows = [person("A00003"), person("A00004", employment_type="permanent")]

    with translation.override("en"):
        err = import_fails(write("roster.csv", roster_csv(rows)))

    assert (
        'line 3, column employment_type: "permanent" is not allowed here; '
        "use one of: regular, fixed-term, support." in err
    )
    assert organisation_snapshot() == existing


def test_empty_name_is_a_row_error_naming_the_column(write, existing):
    rows = [person("A00003"), person("A00004", name="")]

    with translation.override("en"):
        err = import_fails(write("roster.csv", roster_csv(rows)))

    assert "line 3, column name: A value is required." in err
    assert organisation_snapshot() == existing


@pytest.mark.parametrize("column", ["bureau", "department_code", "department"])
def test_every_organisation_column_is_required(write, column):
    with translation.override("en"):
        err = import_fails(write("roster.csv", roster_csv([person("A00001", **{column: ""})])))

    assert f"line 2, column {column}: A value is required." in err
    assert Official.objects.count() == 0


@pytest.mark.parametrize("value", ["", "yes", "y", "1"])
def test_active_must_be_y_or_n(write, value):
    with translation.override("en"):
        err = import_fails(write("roster.csv", roster_csv([person("A00001", active=value)])))

    assert "line 2, column active:" in err
    assert Official.objects.count() == 0


def test_two_rows_without_an_employee_number_are_reported_as_missing_not_as_duplicates(write):
    rows = [person("", "김하나"), person("", "이둘", department_code="", department="복지과")]

    with translation.override("en"):
        err = import_fails(write("roster.csv", roster_csv(rows)))

    assert err.splitlines() == [
        "line 2, column employee_no: A value is required.",
        "line 3, column employee_no: A value is required.",
        "line 3, column department_code: A value is required.",
    ]


def test_one_department_code_with_two_names_in_a_file_is_an_error(write):
    rows = [
        person("A00001"),
        person("A00002", department="총무2과"),
        person("A00003", bureau="복지국"),
    ]

    with translation.override("en"):
        err = import_fails(write("roster.csv", roster_csv(rows)))

    assert "line 3, column department:" in err
    assert "line 4, column bureau:" in err
    assert "on line 2" in err
    assert Department.objects.count() == 0


def test_an_overlong_value_is_a_row_error(write):
    with translation.override("en"):
        err = import_fails(write("roster.csv", roster_csv([person("A00001", phone="0" * 31)])))

    assert "line 2, column phone: At most 30 characters are allowed (this has 31)." in err


@pytest.mark.parametrize(
    "data",
    [
        "employee_no,name\nE1,Müller café\n".encode("latin-1"),
        roster_csv([person("A00001")]).encode("utf-16"),
    ],
    ids=["latin-1", "utf-16"],
)
def test_a_file_in_a_wrong_encoding_is_refused_and_nothing_is_written(write, existing, data):
    with translation.override("en"):
        err = import_fails(write("roster.csv", data))

    assert 'Save it as "CSV UTF-8"' in err
    assert organisation_snapshot() == existing


def test_missing_column_names_the_column_on_line_1(write, existing):
    columns = tuple(c for c in COLUMNS if c != "employment_type")

    with translation.override("en"):
        err = import_fails(write("roster.csv", roster_csv([person("A00003")], columns)))

    assert err.strip() == (
        "line 1, column employment_type: This required column is missing from the header."
    )
    assert organisation_snapshot() == existing


def test_command_error_says_how_many_problems_and_that_nothing_was_imported(write):
    path = write("bad.csv", roster_csv([person("A00001", name=""), person("A00002", active="")]))

    with translation.override("en"), pytest.raises(CommandError) as caught:
        call_command("import_roster", path, stdout=io.StringIO(), stderr=io.StringIO())

    assert str(caught.value) == "2 problem(s) found in bad.csv; nothing was imported."


def test_a_file_that_cannot_be_opened_is_a_command_error(tmp_path):
    with pytest.raises(CommandError):
        call_command("import_roster", str(tmp_path / "missing.csv"), stdout=io.StringIO())


def big_roster(bad_index: int | None = None) -> str:
    """5,000 officials in 20 departments; the row at `bad_index` (0-based) has an
    employment type the roster does not know."""
    rows = []
    for i in range(5000):
        department = i % 20
        rows.append(
            person(
                f"N{i:05d}",
                f"직원{i}",
                bureau=f"{department % 5}국",
                department_code=f"K{department:02d}",
                department=f"{department}과",
                team=f"{i % 3}팀",
                employment_type="permanent" if i == bad_index else "regular",
            )
        )
    return roster_csv(rows)


def test_5000_row_file_with_one_bad_row_names_line_4321_and_writes_nothing(write, existing):
    text = big_roster(bad_index=4319)  # the header is line 1, so row 4319 is on line 4321
    assert text.splitlines()[4320].startswith("N04319,")

    err = import_fails(write("big.csv", text))

    assert err.count("\n") == 1  # exactly one problem
    assert "4321" in err and "employment_type" in err
    with translation.override("en"):
        err = import_fails(write("big.csv", text))
    assert err.startswith("line 4321, column employment_type:")
    assert organisation_snapshot() == existing
    assert Official.objects.count() == 2


def test_5000_row_file_imports_once_its_bad_row_is_fixed(write):
    import_roster(write("big.csv", big_roster()))

    assert Official.objects.count() == 5000
    assert OfficialAssignment.objects.count() == 5000
    assert Department.objects.count() == 20
    assert Team.objects.count() == 60


def test_command_exits_non_zero_and_prints_each_problem_on_stderr(write, tmp_path):
    path = write("roster.csv", "employee_no,name\nE1,김철수\n")
    env = {
        **os.environ,
        "DATABASE_URL": f"sqlite:///{tmp_path / 'unused.sqlite3'}",
        "DJANGO_SETTINGS_MODULE": "kindness.settings",
    }

    done = subprocess.run(
        [sys.executable, "manage.py", "import_roster", path],
        cwd=ROOT,
        env=env,
        capture_output=True,
        text=True,
        timeout=120,
    )

    assert done.returncode != 0
    # In the site's default language: "1행, bureau 열: ..." is "line 1, column bureau: ...".
    for column in ("bureau", "department_code", "department", "employment_type", "active"):
        assert f"1행, {column} 열:" in done.stderr
    assert done.stdout == ""


# Organisation semantics (SPEC section 2) -------------------------------------------------


def test_new_bureaus_departments_and_teams_are_created_beside_known_ones(write):
    bureau = BureauFactory(name="행정국")
    DepartmentFactory(code="A01", name="총무과", bureau=bureau)
    rows = [
        person("A00001"),
        person(
            "A00002", bureau="복지국", department_code="B01", department="복지과", team="노인팀"
        ),
        person("A00003", bureau="복지국", department_code="B01", department="복지과", team=""),
    ]

    result = run_import("roster", roster_csv(rows).encode())

    assert result.summary["bureaus_created"] == 1
    assert result.summary["departments_created"] == 1
    assert result.summary["departments_updated"] == 0
    assert result.summary["teams_created"] == 2
    assert sorted(Bureau.objects.values_list("name", flat=True)) == ["복지국", "행정국"]
    assert Department.objects.get(code="B01").bureau.name == "복지국"
    assert sorted(Team.objects.values_list("department__code", "name")) == [
        ("A01", "총무팀"),
        ("B01", "노인팀"),
    ]
    assert Official.objects.get(employee_no="A00003").team is None


def test_a_team_name_is_known_only_inside_its_department(write):
    rows = [
        person("A00001", team="1팀"),
        person("A00002", department_code="A02", department="회계과", team="1팀"),
    ]

    run_import("roster", roster_csv(rows).encode())

    assert sorted(Team.objects.values_list("department__code", "name")) == [
        ("A01", "1팀"),
        ("A02", "1팀"),
    ]


def test_known_department_code_with_a_new_name_or_bureau_is_updated_in_place():
    run_import(
        "roster",
        roster_csv(
            [person("A00001"), person("A00002", department_code="A02", department="회계과")]
        ).encode(),
    )
    department = Department.objects.get(code="A01")
    assignments = OfficialAssignment.objects.count()
    rows = [
        person("A00001", bureau="기획국", department="기획예산과"),
        person("A00002", department_code="A02", department="재무과"),
    ]

    result = run_import("roster", roster_csv(rows).encode())

    department.refresh_from_db()
    assert (department.name, department.bureau.name) == ("기획예산과", "기획국")
    assert Department.objects.get(code="A02").name == "재무과"
    assert Department.objects.count() == 2
    assert result.summary["departments_updated"] == 2
    assert result.summary["bureaus_created"] == 1
    # Renaming a department moves nobody.
    assert result.summary["transferred"] == 0
    assert result.summary["unchanged"] == 2
    assert OfficialAssignment.objects.count() == assignments


def test_known_employee_number_in_a_new_department_is_a_transfer_that_keeps_history():
    run_import("roster", roster_csv([person("A00001", "김하나")]).encode())
    # As if the first roster had been imported at the start of last year.
    last_year = dt.date(timezone.localdate().year - 1, 1, 1)
    OfficialAssignment.objects.update(started_on=last_year)
    official = Official.objects.get(employee_no="A00001")
    old_department = official.department
    rows = [
        person(
            "A00001",
            "김하나",
            bureau="복지국",
            department_code="B01",
            department="복지과",
            team="노인팀",
        )
    ]

    result = run_import("roster", roster_csv(rows).encode())

    assert result.summary["transferred"] == 1
    assert result.summary["updated"] == 1
    official.refresh_from_db()
    assert official.department.code == "B01"
    assert official.team.name == "노인팀"
    today = timezone.localdate()
    old, new = official.assignments.order_by("started_on")
    assert (old.department, old.started_on, old.ended_on) == (old_department, last_year, today)
    assert (new.department.code, new.team.name, new.started_on, new.ended_on) == (
        "B01",
        "노인팀",
        today,
        None,
    )
    assert official.department_on(today - dt.timedelta(days=30)) == old_department
    assert official.department_on(last_year) == old_department
    assert official.department_on(today).code == "B01"


def test_reimporting_after_a_transfer_opens_no_further_assignment():
    run_import("roster", roster_csv([person("A00001")]).encode())
    moved = roster_csv([person("A00001", department_code="B01", department="복지과")]).encode()
    run_import("roster", moved)

    result = run_import("roster", moved)

    assert result.summary["transferred"] == 0
    assert result.summary["unchanged"] == 1
    assert OfficialAssignment.objects.count() == 2
    assert OfficialAssignment.objects.filter(ended_on__isnull=True).count() == 1


def test_a_new_team_in_the_same_department_is_no_transfer():
    run_import("roster", roster_csv([person("A00001", team="1팀")]).encode())

    result = run_import("roster", roster_csv([person("A00001", team="2팀")]).encode())

    assert result.summary["transferred"] == 0
    assert result.summary["updated"] == 1
    assignment = OfficialAssignment.objects.get()
    assert assignment.ended_on is None
    assert assignment.team.name == "2팀"
    assert Official.objects.get().team.name == "2팀"


def test_changed_details_of_a_known_official_are_updated():
    run_import("roster", roster_csv([person("A00001", "김하나")]).encode())
    rows = [
        person(
            "A00001", "김하나", position="팀장", phone="052-111-1111", employment_type="fixed-term"
        )
    ]

    result = run_import("roster", roster_csv(rows).encode())

    official = Official.objects.get()
    assert (official.position, official.phone, official.employment_type) == (
        "팀장",
        "052-111-1111",
        "fixed-term",
    )
    assert (result.summary["updated"], result.summary["created"]) == (1, 0)


def test_inactive_officials_are_imported_as_inactive_and_can_come_back():
    rows = [person("A00001", active="N"), person("A00002", "이둘", active="Y")]
    run_import("roster", roster_csv(rows).encode())

    assert dict(Official.objects.values_list("employee_no", "active")) == {
        "A00001": False,
        "A00002": True,
    }

    result = run_import("roster", roster_csv([person("A00001", active="Y")]).encode())

    assert Official.objects.get(employee_no="A00001").active is True
    assert result.summary["updated"] == 1


def test_officials_absent_from_the_file_are_left_as_they_are():
    kept = OfficialFactory(employee_no="Z00001", active=True)

    run_import("roster", roster_csv([person("A00001")]).encode())

    kept.refresh_from_db()
    assert kept.active is True
    assert Official.objects.count() == 2


def test_known_official_entered_by_hand_takes_roster_values():
    official = OfficialFactory(employee_no="A00001", name="옛이름", position="")
    department = official.department
    row = person(
        "A00001",
        "새이름",
        bureau=department.bureau.name,
        department_code=department.code,
        department=department.name,
        team="",
    )

    result = run_import("roster", roster_csv([row]).encode())

    official.refresh_from_db()
    assert (official.name, official.position) == ("새이름", "주무관")
    assert result.summary["updated"] == 1
    assert result.summary["created"] == 0


def test_transfer_of_an_official_without_history_keeps_the_old_department_for_past_events():
    # Data from before history was kept: an official with no assignment at all.
    official = OfficialFactory(employee_no="A00009")
    old_department = official.department
    rows = [person("A00009", official.name, department_code="B01", department="복지과")]

    result = run_import("roster", roster_csv(rows).encode())

    assert result.summary["transferred"] == 1
    official.refresh_from_db()
    today = timezone.localdate()
    assert official.department_on(dt.date(2020, 1, 1)) == old_department
    assert official.department_on(today - dt.timedelta(days=1)) == old_department
    assert official.department_on(today + dt.timedelta(days=1)).code == "B01"
    before = official.assignments.get(started_on__isnull=True)
    assert (before.department, before.ended_on) == (old_department, today)
