"""create_period, compute_rankings and export_rankings (SPEC section 7)."""

import datetime
import os
import subprocess
import sys
from io import StringIO

import pytest
from django.conf import settings
from django.core.management import CommandError, call_command
from django.utils import translation
from openpyxl import load_workbook

from kindness.models import Department
from scoring.models import Period, RankingRun
from scoring.services import run_publish
from tests.scoring.test_services import build_city
from tests.scoring.test_small_city import visit

HEADER = (
    "level,rank,bureau_rank,code,name,bureau,score,v,t,h,bonus,deduction,n_v,n_t,n_h,"
    "rank_low,rank_high"
)
Status = RankingRun.Status


def command(*args) -> str:
    out = StringIO()
    with translation.override("en"):
        call_command(*args, stdout=out, stderr=StringIO())
    return out.getvalue()


def refused(*args) -> str:
    """The message of the CommandError the command raises."""
    with translation.override("en"), pytest.raises(CommandError) as error:
        call_command(*args, stdout=StringIO(), stderr=StringIO())
    return str(error.value)


@pytest.fixture
def period(db) -> Period:
    return build_city()


# --- create_period -----------------------------------------------------------------------


@pytest.mark.django_db
@pytest.mark.parametrize(
    ("code", "kind", "start", "end", "window"),
    [
        ("2026-H1", Period.Kind.FIRST_HALF, "2026-01-01", "2026-06-30", None),
        (
            "2026-H2",
            Period.Kind.SECOND_HALF,
            "2026-07-01",
            "2026-12-31",
            ("2026-01-01", "2026-12-31"),
        ),
        ("2026", Period.Kind.YEAR, "2026-01-01", "2026-12-31", ("2026-01-01", "2026-12-31")),
    ],
)
def test_create_period_with_a_standard_code(code, kind, start, end, window):
    out = command("create_period", code)
    p = Period.objects.get(code=code)
    assert (p.kind, p.starts_on.isoformat(), p.ends_on.isoformat()) == (kind, start, end)
    got = (
        (p.deduction_starts_on.isoformat(), p.deduction_ends_on.isoformat())
        if window
        else (p.deduction_starts_on, p.deduction_ends_on)
    )
    assert got == (window or (None, None))
    assert f"Created period {code}" in out and start in out and "rules v1" in out


@pytest.mark.django_db
def test_create_period_custom_with_start_and_end():
    out = command("create_period", "2026-summer", "--start", "2026-07-01", "--end", "2026-08-31")
    p = Period.objects.get(code="2026-summer")
    assert (p.kind, p.starts_on, p.ends_on) == (
        Period.Kind.CUSTOM,
        datetime.date(2026, 7, 1),
        datetime.date(2026, 8, 31),
    )
    assert not p.has_deduction_window
    assert "deduction window none" in out


@pytest.mark.django_db
def test_create_period_custom_with_a_deduction_window():
    command(
        "create_period",
        "Q3",
        "--start",
        "2026-07-01",
        "--end",
        "2026-09-30",
        "--deduction-start",
        "2026-01-01",
        "--deduction-end",
        "2026-09-30",
    )
    p = Period.objects.get(code="Q3")
    assert (p.deduction_starts_on, p.deduction_ends_on) == (
        datetime.date(2026, 1, 1),
        datetime.date(2026, 9, 30),
    )


@pytest.mark.django_db
@pytest.mark.parametrize(
    ("args", "message"),
    [
        (["2026-Q1"], "give the first and last day"),
        (["Q1", "--start", "2026-13-01", "--end", "2026-12-31"], "“2026-13-01” is not a date"),
        (
            ["Q1", "--start", "2026-03-01", "--end", "2026-02-01"],
            "The last day comes before the first day.",
        ),
        (["bad code"], "1-20 letters"),
    ],
)
def test_create_period_refuses_bad_input_with_a_message(args, message):
    assert message in refused("create_period", *args)
    assert not Period.objects.exists()


@pytest.mark.django_db
def test_create_period_twice_is_refused():
    command("create_period", "2026-H1")
    assert "exists already" in refused("create_period", "2026-H1")
    assert Period.objects.count() == 1


@pytest.mark.django_db
def test_command_errors_have_a_non_zero_return_code():
    with translation.override("en"), pytest.raises(CommandError) as error:
        call_command("create_period", "2026-Q1", stdout=StringIO(), stderr=StringIO())
    assert error.value.returncode != 0


def test_command_errors_exit_non_zero_with_the_message_on_stderr(tmp_path):
    # A real process: the code is refused before any table is read, so an empty database
    # file will do (and the test database is left alone).
    env = {**os.environ, "DATABASE_URL": f"sqlite:///{tmp_path / 'empty.sqlite3'}"}
    done = subprocess.run(
        [sys.executable, "manage.py", "create_period", "bad code"],
        cwd=settings.BASE_DIR,
        env=env,
        capture_output=True,
        text=True,
        timeout=60,
    )
    assert done.returncode != 0
    assert done.stderr.startswith("CommandError: ")
    assert done.stdout == ""


# --- compute_rankings --------------------------------------------------------------------


def test_compute_rankings_sync_prints_a_summary(period):
    out = command("compute_rankings", "2025-H1", "--sync")
    run = RankingRun.objects.get()
    assert run.status == Status.COMPLETED
    lines = out.splitlines()
    assert lines[0].startswith(
        "Run #1 of 2025-H1 computed: 2 departments, 2 officials (2 ranked), in "
    )
    # The award places follow: rank, name, code and score.
    top = list(run.departments.order_by("position"))
    assert lines[1:] == [f"  {d.rank}. {d.name} ({d.code}) {d.score}" for d in top]


def test_compute_rankings_without_sync_queues_for_the_worker(
    period, django_capture_on_commit_callbacks
):
    with django_capture_on_commit_callbacks(execute=True):
        out = command("compute_rankings", "2025-H1")
        assert RankingRun.objects.get().status == Status.QUEUED
    assert "queued for the worker" in out
    assert RankingRun.objects.get().status == Status.COMPLETED


@pytest.mark.django_db
def test_compute_rankings_of_an_unknown_period_is_refused():
    assert refused("compute_rankings", "2031-H1", "--sync") == "There is no period 2031-H1."
    assert not RankingRun.objects.exists()


def test_compute_rankings_of_a_period_without_data_reports_the_failure(period):
    command("create_period", "2024-H1")
    message = refused("compute_rankings", "2024-H1", "--sync")
    assert message.startswith("Run #1 of 2024-H1 failed: ")
    assert "nothing to rank" in message
    assert RankingRun.objects.get(period__code="2024-H1").status == Status.FAILED


def test_compute_rankings_while_a_run_is_queued_is_refused(period):
    with translation.override("en"):
        call_command("compute_rankings", "2025-H1", stdout=StringIO())  # queued: never committed
    assert "still being computed" in refused("compute_rankings", "2025-H1", "--sync")
    assert RankingRun.objects.count() == 1


# --- export_rankings ---------------------------------------------------------------------


def test_export_has_the_exact_header_and_empty_cells(period):
    command("compute_rankings", "2025-H1", "--sync")
    lines = command("export_rankings", "2025-H1").split("\n")
    assert lines[0] == HEADER
    assert lines[-1] == ""  # ends with a newline, nothing after it
    rows = [line.split(",") for line in lines[1:-1]]
    departments = [r for r in rows if r[0] == "department"]
    officials = [r for r in rows if r[0] == "official"]
    assert rows == departments + officials  # departments first
    assert sorted(r[3] for r in departments) == ["D1", "D2"]
    for r in departments:
        assert all(cell != "" for cell in r)
    for r in officials:
        assert r[2] == "" and r[7] == "" and r[12] == ""  # bureau_rank, v, n_v
        assert r[5] == "가국"
    # E01 has 2 answered calls and 1 kindness answer: ranked; E02 has 2 calls and a
    # happy-call with kindness 2: 3 responses as well. Unanswered calls count for nobody.
    by_code = {r[3]: r for r in officials}
    assert by_code["E01"][13:15] == ["2", "1"] and by_code["E02"][13:15] == ["2", "1"]
    # The rank interval after n_h: whole numbers, among the rows of its level.
    for r in departments:
        assert 1 <= int(r[15]) <= int(r[16]) <= len(departments)
    for r in officials:
        assert 1 <= int(r[15]) <= int(r[16]) <= len(officials)
    assert all(r[1] != "" for r in officials)
    # Every number has two decimals.
    for r in rows:
        for cell in r[6:12]:
            assert cell == "" or (len(cell.split(".")[1]) == 2)


def test_export_leaves_rank_empty_for_insufficient_data(period):
    command("compute_rankings", "2025-H1", "--sync")
    run = RankingRun.objects.get()
    run.officials.filter(employee_no="E02").update(rank=None, insufficient=True)
    line = next(
        line for line in command("export_rankings", "2025-H1").splitlines() if ",E02," in line
    )
    assert line.split(",")[1] == ""


def test_export_without_run_takes_the_latest_computed_run_published_or_not(period):
    command("compute_rankings", "2025-H1", "--sync")
    run_publish(run=RankingRun.objects.get(number=1), user=None)
    first = command("export_rankings", "2025-H1")
    assert first == command("export_rankings", "2025-H1", "--run", "1")
    visit(Department.objects.get(code="D1"), datetime.date(2025, 2, 9), 1)
    command("compute_rankings", "2025-H1", "--sync")  # run 2: computed, not published
    second = command("export_rankings", "2025-H1")
    assert second != first
    assert second == command("export_rankings", "2025-H1", "--run", "2")
    # A later failed or queued run does not count.
    failed = RankingRun.objects.create(
        period=period, number=3, trigger="command", rule_set=period.rule_set, status=Status.FAILED
    )
    assert command("export_rankings", "2025-H1") == second
    failed.delete()
    # The published run is still there to export by number.
    assert command("export_rankings", "2025-H1", "--run", "1") == first


def test_export_of_an_unknown_run_is_refused(period):
    command("compute_rankings", "2025-H1", "--sync")
    assert refused("export_rankings", "2025-H1", "--run", "7") == "Period 2025-H1 has no run #7."


@pytest.mark.django_db
def test_export_of_an_unknown_period_is_refused():
    assert refused("export_rankings", "2031-H1") == "There is no period 2031-H1."


def test_export_of_a_period_without_a_computed_run_is_refused(period):
    assert refused("export_rankings", "2025-H1") == "Period 2025-H1 has no computed run yet."


@pytest.mark.parametrize("status", [Status.QUEUED, Status.RUNNING, Status.FAILED])
def test_export_of_a_run_not_computed_is_refused(period, status):
    RankingRun.objects.create(
        period=period, number=1, trigger="command", rule_set=period.rule_set, status=status
    )
    message = refused("export_rankings", "2025-H1", "--run", "1")
    assert message.startswith("Run #1 of 2025-H1 is ") and "only a computed run" in message


def test_export_xlsx_needs_an_output_file(period):
    command("compute_rankings", "2025-H1", "--sync")
    assert (
        refused("export_rankings", "2025-H1", "--format", "xlsx")
        == "--output is required for XLSX."
    )


def test_export_xlsx_writes_the_same_table(period, tmp_path):
    command("compute_rankings", "2025-H1", "--sync")
    out = tmp_path / "rankings.xlsx"
    assert command("export_rankings", "2025-H1", "--format", "xlsx", "--output", str(out)) == ""
    sheet = load_workbook(out).active
    assert sheet.title == "2025-H1"
    table = list(sheet.iter_rows(values_only=True))
    assert ",".join(table[0]) == HEADER
    csv_rows = [line.split(",") for line in command("export_rankings", "2025-H1").splitlines()[1:]]
    assert len(table) == 1 + len(csv_rows)
    for cells, expected in zip(table[1:], csv_rows, strict=True):
        written = [
            "" if c is None else (f"{c:.2f}" if isinstance(c, float) else str(c)) for c in cells
        ]
        # Whole numbers among the scores (0.00) come back as ints: compare as numbers.
        for i, (got, want) in enumerate(zip(written, expected, strict=True)):
            if 6 <= i <= 11 and want:
                assert float(got) == float(want)
            else:
                assert got == want


def test_export_to_an_unwritable_path_is_refused(period, tmp_path):
    command("compute_rankings", "2025-H1", "--sync")
    missing = tmp_path / "no-such-folder" / "rankings.csv"
    assert refused("export_rankings", "2025-H1", "--output", str(missing)).startswith(
        f"Cannot write {missing}: "
    )
    assert refused(
        "export_rankings", "2025-H1", "--format", "xlsx", "--output", str(tmp_path)
    ).startswith("Cannot write")
    assert not missing.exists()


def test_export_csv_to_a_file_writes_utf8(period, tmp_path):
    command("compute_rankings", "2025-H1", "--sync")
    out = tmp_path / "rankings.csv"
    assert command("export_rankings", "2025-H1", "--output", str(out)) == ""
    assert out.read_bytes().decode("utf-8") == command("export_rankings", "2025-H1")
    assert "총무과" in out.read_text(encoding="utf-8")
