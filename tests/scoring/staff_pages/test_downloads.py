"""The run's downloads."""

from __future__ import annotations

import io

from openpyxl import load_workbook

from scoring import exports
from tests.scoring.staff_pages.helpers import AUDITOR, MANAGER, computing_run, url


def test_the_csv_download_is_the_ranking_file(role_client, run):
    response = role_client(AUDITOR).get(url("2025-H1/runs/1/export.csv"))

    assert response.status_code == 200
    assert response["Content-Type"].startswith("text/csv")
    assert "rankings-2025-H1-run1.csv" in response["Content-Disposition"]
    assert response.content.decode("utf-8") == exports.to_csv(run)
    assert response.content.decode().count("\nofficial,") == 6


def test_the_xlsx_download_holds_every_department_and_official(role_client, run):
    response = role_client(MANAGER).get(url("2025-H1/runs/1/export.xlsx"))

    assert response.status_code == 200
    sheet = load_workbook(io.BytesIO(response.content)).active
    rows = list(sheet.iter_rows(values_only=True))
    assert rows[0] == exports.COLUMNS
    assert [r[0] for r in rows[1:]] == ["department"] * 3 + ["official"] * 6
    first = run.departments.get(position=1)
    assert (rows[1][3], float(rows[1][6])) == (first.code, float(first.score))


def test_a_run_without_rows_has_no_download(role_client, city):
    computing_run(city)

    assert role_client(MANAGER).get(url("2025-H1/runs/1/export.csv")).status_code == 409
