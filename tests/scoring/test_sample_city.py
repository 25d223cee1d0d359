"""The sample city end to end, through the commands of SPEC section 7: its rankings files
equal the expected files exactly."""

import csv
import io
from io import StringIO
from pathlib import Path

import pytest
from django.core.management import call_command
from openpyxl import load_workbook

from scoring.exports import COLUMNS
from scoring.models import RankingRun

DATA = Path(__file__).parents[1] / "data" / "city-2025"
IMPORTS = [
    ("import_roster", "roster.csv"),
    ("import_petitions", "petitions.csv"),
    ("import_visit_surveys", "visit_surveys.csv"),
    ("import_phone_surveys", "phone_surveys.csv"),
    ("import_happycalls", "happycalls.csv"),
    ("import_reports", "reports.csv"),
]
NUMBER_COLUMNS = {"score", "v", "t", "h", "bonus", "deduction"}


def expected(period: str) -> str:
    """The expected file as text: without a byte-order mark, with \\n line ends."""
    text = (DATA / f"expected-rankings-{period}.csv").read_bytes().decode("utf-8")
    return text.removeprefix("\ufeff").replace("\r\n", "\n")


def existing_columns(text: str) -> str:
    """The file without the columns added after the expected files were made (`rank_low,
    rank_high`, SPEC section 5 "How sure a rank is"), checked on their own below."""
    rows = list(csv.reader(io.StringIO(text)))
    assert all(len(row) == len(COLUMNS) for row in rows)
    kept = len(COLUMNS) - 2
    out = io.StringIO()
    csv.writer(out, lineterminator="\n").writerows(row[:kept] for row in rows)
    return out.getvalue()


def intervals_hold(text: str) -> None:
    """Every ranked row has whole-number rank_low <= rank_high; unranked rows none."""
    rows = list(csv.DictReader(io.StringIO(text)))
    for row in rows:
        if row["rank"]:
            low, high = int(row["rank_low"]), int(row["rank_high"])
            assert 1 <= low <= high, row
        else:
            assert row["rank_low"] == row["rank_high"] == "", row
    assert any(row["rank_low"] != row["rank_high"] for row in rows if row["rank"])


def command(*args) -> str:
    out = StringIO()
    call_command(*args, stdout=out, stderr=StringIO())
    return out.getvalue()


def xlsx_as_csv_lines(path: Path) -> list[str]:
    """The workbook's cells written back the way the CSV writes them."""
    sheet = load_workbook(path).active
    lines = []
    for number, row in enumerate(sheet.iter_rows(values_only=False)):
        cells = []
        for column, cell in zip(COLUMNS, row, strict=True):
            value = cell.value
            if value is None:
                cells.append("")
            elif number and column in NUMBER_COLUMNS:
                assert isinstance(value, int | float), (column, value)
                assert cell.number_format == "0.00"
                cells.append(f"{value:.2f}")
            else:
                if number and column in {
                    "rank",
                    "bureau_rank",
                    "n_v",
                    "n_t",
                    "n_h",
                    "rank_low",
                    "rank_high",
                }:
                    assert isinstance(value, int), (column, value)
                cells.append(str(value))
        lines.append(",".join(cells))
    return lines


@pytest.mark.django_db
def test_sample_city_rankings_equal_the_expected_files(tmp_path):
    for name, file in IMPORTS:
        command(name, str(DATA / file))
    for period in ("2025-H1", "2025-H2"):
        command("create_period", period)
        summary = command("compute_rankings", period, "--sync")
        assert period in summary

        run = RankingRun.objects.get(period__code=period)
        assert run.status == RankingRun.Status.COMPLETED
        assert run.notes == []  # every component has responses in the sample city

        csv_text = command("export_rankings", period)
        assert existing_columns(csv_text) == expected(period)
        intervals_hold(csv_text)
        # The file holds one row per department and per official, header first.
        assert csv_text.count("\n") == 1 + run.departments.count() + run.officials.count()

        output = tmp_path / f"{period}.xlsx"
        assert command("export_rankings", period, "--format", "xlsx", "--output", str(output)) == ""
        assert xlsx_as_csv_lines(output) == csv_text.splitlines()

        written = tmp_path / f"{period}.csv"
        command("export_rankings", period, "--run", "1", "--output", str(written))
        assert written.read_text(encoding="utf-8") == csv_text
