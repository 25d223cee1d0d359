"""`manage.py import_reports` (SPEC section 7): past records migrated with their receipt
numbers, statuses and decision dates; every bad row reported with its line and column and
nothing written; re-importing is a no-op; each year's sequence moves past the import."""

from __future__ import annotations

import csv
import datetime as dt
import io
from pathlib import Path

import pytest
from django.core.management import CommandError, call_command
from django.db import transaction
from django.utils import timezone

from complaints.models import MeritRecord, Report, ReportEvent
from complaints.services import receipt_no_next
from kindness.imports import run_import
from kindness.models import Department, NumberSequence, Official
from tests.factories import DepartmentFactory, OfficialFactory, ReportFactory

pytestmark = pytest.mark.django_db

DATA = Path(__file__).parents[1] / "data" / "city-2025"
SAMPLE = DATA / "reports.csv"
ROSTER = DATA / "roster.csv"
COLUMNS = (
    "receipt_no",
    "kind",
    "employee_no",
    "department",
    "incident_on",
    "status",
    "decided_on",
    "text",
)
Status = Report.Status


@pytest.fixture
def roster():
    result = run_import("roster", ROSTER.read_bytes())
    assert result.ok, result.errors


def import_sample(**options) -> str:
    out = io.StringIO()
    call_command("import_reports", str(SAMPLE), stdout=out, **options)
    return out.getvalue()


def rows_of(path: Path) -> dict[str, dict[str, str]]:
    with path.open(encoding="utf-8-sig", newline="") as f:
        return {row["receipt_no"]: row for row in csv.DictReader(f)}


def csv_bytes(*rows: dict[str, str]) -> bytes:
    out = io.StringIO()
    writer = csv.DictWriter(out, fieldnames=COLUMNS, lineterminator="\n")
    writer.writeheader()
    writer.writerows(rows)
    return out.getvalue().encode()


# ---------------------------------------------------------------------------- the sample


def test_the_2025_sample_imports_all_260_reports_as_the_file_says(roster):
    output = import_sample()

    assert "260" in output
    assert Report.objects.count() == 260
    file = rows_of(SAMPLE)
    for report in Report.objects.select_related("official", "department", "decided_department"):
        row = file[report.receipt_no]
        assert report.kind == row["kind"]
        assert report.status == row["status"]
        assert report.text == row["text"]
        assert report.incident_on.isoformat() == row["incident_on"]
        assert (report.decided_on.isoformat() if report.decided_on else "") == row["decided_on"]
        assert (report.official.employee_no if report.official else "") == row["employee_no"]
        assert row["department"] in (report.department.code, report.department.name)
        assert report.source == Report.Source.IMPORT
        assert (report.reporter_name, report.reporter_phone, report.reporter_email) == ("", "", "")
        # SPEC section 5: an imported decision counts for the file's department.
        if report.decided_on:
            assert report.decided_department == report.department
            assert timezone.localdate(report.decided_at) == report.decided_on
        assert (report.ended_at is not None) == (report.status in Report.ENDED)
        assert report.public_text == (report.text if report.status == Status.SHARED else "")
    assert ReportEvent.objects.filter(action=ReportEvent.Action.IMPORTED).count() == 260
    assert ReportEvent.objects.count() == 260


def test_a_department_given_by_name_or_code_is_found(roster):
    import_sample()

    by_name = Report.objects.get(receipt_no="R-2025-000001")  # 총무과
    by_code = Report.objects.get(receipt_no="R-2025-000002")  # D003
    assert by_name.department == Department.objects.get(name="총무과")
    assert by_code.department.code == "D003"
    assert by_code.official == Official.objects.get(employee_no="E00036")


def test_imported_decisions_carry_their_incentive_or_penalty_and_open_follow_up(roster):
    import_sample()

    counted = Report.objects.filter(
        status__in=[*Report.COUNTED_PRAISE, *Report.COUNTED_UNKIND], official__isnull=False
    )
    assert MeritRecord.objects.count() == counted.count() > 0
    for merit in MeritRecord.objects.select_related("report"):
        assert merit.on == merit.report.decided_on
        assert merit.department == merit.report.decided_department
        assert merit.kind == ("incentive" if merit.report.kind == "praise" else "penalty")
    for report in Report.objects.filter(status=Status.SUBSTANTIATED):
        assert report.measure_due_on == report.decided_on + dt.timedelta(days=7)


def test_importing_the_same_file_again_changes_nothing(roster):
    import_sample()
    before = list(Report.objects.order_by("pk").values())

    output = import_sample()

    assert list(Report.objects.order_by("pk").values()) == before
    assert ReportEvent.objects.count() == 260
    assert "260" in output  # 260 unchanged rows
    assert run_import("reports", SAMPLE.read_bytes()).summary == {"created": 0, "unchanged": 260}


def test_a_dry_run_validates_and_writes_nothing(roster):
    output = import_sample(dry_run=True)

    assert "260" in output
    assert not Report.objects.exists()
    assert not NumberSequence.objects.filter(prefix="R").filter(year=2025).exists()


def test_the_years_sequence_moves_past_the_highest_imported_number(roster):
    import_sample()

    assert NumberSequence.objects.filter(prefix="R").get(year=2025).last == 260
    with transaction.atomic():
        assert receipt_no_next(year=2025) == "R-2025-000261"


# ---------------------------------------------------------------------------- small files


@pytest.fixture
def city():
    department = DepartmentFactory(code="C01", name="민원과")
    return {
        "department": department,
        "official": OfficialFactory(employee_no="E1", department=department),
    }


def row(**values: str) -> dict[str, str]:
    return {
        "receipt_no": "R-2025-000001",
        "kind": "praise",
        "employee_no": "E1",
        "department": "C01",
        "incident_on": "2025-03-02",
        "status": "verified",
        "decided_on": "2025-03-05",
        "text": "친절하게 안내해 주셨습니다",
        **values,
    }


def problems(*rows: dict[str, str]) -> set[tuple[int, str]]:
    result = run_import("reports", csv_bytes(*rows))
    assert not Report.objects.exists(), "a file with a bad row must write nothing"
    return {(e.line, e.column) for e in result.errors}


LATER = (dt.date.today() + dt.timedelta(days=2)).isoformat()


@pytest.mark.parametrize(
    ("values", "column"),
    [
        ({"kind": "complaint"}, "kind"),
        ({"kind": "praise", "status": "substantiated"}, "status"),
        ({"kind": "unkind", "status": "shared"}, "status"),
        ({"status": "verified", "decided_on": ""}, "decided_on"),
        ({"kind": "unkind", "status": "closed", "decided_on": ""}, "decided_on"),
        ({"status": "received", "decided_on": "2025-03-05"}, "decided_on"),
        ({"decided_on": "2025-03-01"}, "decided_on"),  # before the incident
        ({"decided_on": LATER}, "decided_on"),
        ({"incident_on": LATER, "status": "received", "decided_on": ""}, "incident_on"),
        ({"incident_on": "2025/03/02"}, "incident_on"),
        ({"employee_no": "E404"}, "employee_no"),
        ({"department": "없는과"}, "department"),
        ({"department": ""}, "department"),
        ({"receipt_no": "R-2025-1000000"}, "receipt_no"),  # past six digits
        ({"receipt_no": "R-2025-0000001"}, "receipt_no"),
        ({"receipt_no": "R-1899-000001"}, "receipt_no"),  # years 1900-2100
        ({"receipt_no": "R-2025-12x"}, "receipt_no"),
        ({"receipt_no": "2025-000001"}, "receipt_no"),
        ({"receipt_no": "r-2025-000001"}, "receipt_no"),
        ({"receipt_no": "R-2025-000000"}, "receipt_no"),
        ({"receipt_no": ""}, "receipt_no"),
        ({"text": ""}, "text"),
        ({"text": "가" * 4001}, "text"),
    ],
    ids=lambda v: v if isinstance(v, str) else "-".join(f"{k}={str(x)[:12]}" for k, x in v.items()),
)
def test_a_bad_row_is_reported_with_its_line_and_column(city, values, column):
    assert problems(row(receipt_no="R-2025-000009"), row(**values)) == {(3, column)}


def test_a_department_name_held_by_two_departments_must_be_given_by_code(city):
    DepartmentFactory(code="C02", name="민원과")

    result = run_import("reports", csv_bytes(row(department="민원과")))

    assert [(e.line, e.column) for e in result.errors] == [(2, "department")]
    assert "C01" in result.errors[0].message and "C02" in result.errors[0].message
    assert run_import("reports", csv_bytes(row(department="C02"))).ok


def test_the_files_department_counts_even_when_the_official_is_in_another(city):
    other = DepartmentFactory(code="C09", name="전입과")

    run_import("reports", csv_bytes(row(department="C09")))

    report = Report.objects.get()
    assert report.official == city["official"]
    assert report.decided_department == other
    assert MeritRecord.objects.get().department == other


def test_a_receipt_number_repeated_in_the_file_is_an_error(city):
    assert problems(row(), row(text="다른 칭찬 내용입니다")) == {(3, "receipt_no")}


@pytest.mark.parametrize(
    ("values", "column"),
    [
        ({"text": "고쳐 쓴 칭찬 내용입니다"}, "text"),
        ({"status": "shared"}, "status"),
        ({"employee_no": ""}, "employee_no"),
        ({"decided_on": "2025-03-06"}, "decided_on"),
    ],
)
def test_a_known_receipt_number_with_other_values_is_an_error(city, values, column):
    assert run_import("reports", csv_bytes(row())).ok

    result = run_import("reports", csv_bytes(row(**values)))

    assert [(e.line, e.column) for e in result.errors] == [(2, column)]
    assert "R-2025-000001" in result.errors[0].message
    assert Report.objects.get().text == "친절하게 안내해 주셨습니다"


def test_a_receipt_number_taken_by_a_web_report_is_an_error(city):
    ReportFactory(receipt_no="R-2025-000001", kind="praise", department=city["department"])

    result = run_import("reports", csv_bytes(row()))

    assert {e.column for e in result.errors} >= {"status"}
    assert Report.objects.count() == 1


def test_one_bad_row_means_nothing_is_written_and_the_sequence_stays(city):
    result = run_import(
        "reports", csv_bytes(row(receipt_no="R-2024-000050"), row(employee_no="E404"))
    )

    assert not result.ok
    assert not Report.objects.exists()
    assert not NumberSequence.objects.filter(prefix="R").exists()


def test_each_year_moves_past_its_own_highest_number_and_never_back(city):
    NumberSequence.objects.create(prefix="R", year=2023, last=90)

    run_import(
        "reports",
        csv_bytes(
            row(receipt_no="R-2024-000005"),
            row(receipt_no="R-2024-000002"),
            row(receipt_no="R-2023-000007"),
        ),
    )

    assert NumberSequence.objects.filter(prefix="R").get(year=2024).last == 5
    assert NumberSequence.objects.filter(prefix="R").get(year=2023).last == 90


def test_undecided_and_ended_statuses_are_stored_as_such(city):
    run_import(
        "reports",
        csv_bytes(
            row(receipt_no="R-2025-000001", status="received", decided_on=""),
            row(receipt_no="R-2025-000002", kind="unkind", status="under_review", decided_on=""),
            row(receipt_no="R-2025-000003", kind="unkind", status="withdrawn"),
            row(receipt_no="R-2025-000004", status="shared", text="끝까지 친절했습니다"),
        ),
    )

    received, under_review, withdrawn, shared = Report.objects.order_by("receipt_no")
    assert (received.decided_on, received.decided_department, received.ended_at) == (
        None,
        None,
        None,
    )
    assert under_review.status == Status.UNDER_REVIEW and under_review.ended_at is None
    assert (
        withdrawn.ended_at is not None and not MeritRecord.objects.filter(report=withdrawn).exists()
    )
    assert shared.public_text == "끝까지 친절했습니다"
    assert Report.objects.shared_praise().get() == shared


def test_the_command_lists_each_bad_row_and_exits_non_zero(city, tmp_path):
    path = tmp_path / "reports.csv"
    path.write_bytes(
        csv_bytes(row(), row(receipt_no="R-2025-000002", kind="praise", status="closed"))
    )
    err = io.StringIO()

    with pytest.raises(CommandError):
        call_command("import_reports", str(path), stdout=io.StringIO(), stderr=err)

    assert "3" in err.getvalue() and "status" in err.getvalue()
    assert not Report.objects.exists()
