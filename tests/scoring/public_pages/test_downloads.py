"""The rankings' downloads, and names a spreadsheet would run kept as text."""

from __future__ import annotations

import csv
import io

import openpyxl
import pytest

from kindness.roles import Role
from scoring import exports
from tests.scoring.public_pages.helpers import EN, compute, department_lines, publish

# --- downloads ---------------------------------------------------------------------------


def test_public_csv_has_only_the_department_rows(client, published):
    response = client.get("/rankings/2025-H1/rankings-data.csv")
    assert response.status_code == 200
    assert response["Content-Type"] == "text/csv; charset=utf-8"
    assert response["Content-Disposition"] == 'attachment; filename="rankings-2025-H1-data.csv"'
    text = response.content.decode("utf-8")
    assert not text.startswith("\ufeff")
    assert text == exports.to_csv(published.h1, officials=False)
    full = exports.to_csv(published.h1)
    assert full.startswith(text) and len(full) > len(text)
    assert {row[0] for row in department_lines(text)} == {"department"}


def _readable(content: bytes) -> list[list[str]]:
    assert content.startswith(b"\xef\xbb\xbf")  # the UTF-8 byte-order mark Excel needs
    return list(csv.reader(io.StringIO(content.decode("utf-8-sig"))))


def test_readable_csv_has_a_bom_korean_titles_and_department_rows(client, published):
    response = client.get("/rankings/2025-H1/rankings.csv")
    assert response.status_code == 200
    assert response["Content-Type"] == "text/csv; charset=utf-8"
    assert response["Content-Disposition"] == 'attachment; filename="rankings-2025-H1.csv"'
    rows = _readable(response.content)
    header, body = rows[0], rows[1:]
    assert header[:6] == ["순위", "실·국·본부 내 순위", "부서 코드", "부서", "실·국·본부", "점수"]
    assert "level" not in header and "v" not in header
    machine = department_lines(exports.to_csv(published.h1, officials=False))
    assert body == [row[1:] for row in machine]  # the same cells, department rows only
    assert len(body) == published.h1.departments.count()


def test_readable_csv_titles_follow_the_page_language(client, published):
    header = _readable(client.get("/rankings/2025-H1/rankings.csv", **EN).content)[0]
    assert header[:6] == [
        "Rank",
        "Rank in bureau",
        "Department code",
        "Department",
        "Bureau",
        "Score",
    ]
    assert header[-2:] == ["Rank range, best", "Rank range, worst"]


@pytest.mark.parametrize("role", [Role.MANAGER, Role.AUDITOR])
def test_managers_and_auditors_download_the_full_file(role_client, published, role):
    response = role_client(role).get("/rankings/2025-H1/rankings-data.csv")
    assert response.content.decode("utf-8") == exports.to_csv(published.h1)
    assert "official" in {row[0] for row in department_lines(response.content.decode())}
    assert "no-store" in response["Cache-Control"]
    # Their readable file holds the department rows only, like everyone's.
    readable = _readable(role_client(role).get("/rankings/2025-H1/rankings.csv").content)
    assert len(readable) - 1 == published.h1.departments.count()


@pytest.mark.parametrize(
    "role", [Role.DEPARTMENT_HEAD, Role.BUREAU_HEAD, Role.ADMIN, Role.HAPPY_CALL]
)
def test_other_roles_download_department_rows_only(role_client, published, role):
    response = role_client(role, official=published.a1 if "head" in role else None).get(
        "/rankings/2025-H1/rankings-data.csv"
    )
    assert response.content.decode() == exports.to_csv(published.h1, officials=False)


def test_rankings_page_links_both_csv_files(client, published):
    body = client.get("/rankings/2025-H1/", **EN).content.decode()
    assert 'href="/rankings/2025-H1/rankings.csv"' in body
    assert 'href="/rankings/2025-H1/rankings-data.csv"' in body
    assert "Machine-readable CSV" in body


def _xlsx_rows(content: bytes, columns=exports.COLUMNS) -> list[list[str]]:
    sheet = openpyxl.load_workbook(io.BytesIO(content)).active
    rows = []
    for values in sheet.iter_rows(min_row=2, values_only=True):
        cells = []
        for column, value in zip(columns, values, strict=True):
            if value is None:
                cells.append("")
            elif column in ("rank", "bureau_rank", "n_v", "n_t", "n_h", "rank_low", "rank_high"):
                cells.append(str(int(value)))
            elif isinstance(value, int | float):
                cells.append(f"{value:.2f}")
            else:
                cells.append(str(value))
        rows.append(cells)
    return rows


def _xlsx_header(content: bytes) -> list[str]:
    return [c.value for c in openpyxl.load_workbook(io.BytesIO(content)).active[1]]


def test_xlsx_download_is_the_readable_table_department_rows_only(client, role_client, published):
    """SPEC section 5: the public downloads hold department rows only, with headers in the
    page's language; the section 7 columns are the machine-readable CSV's."""
    public = client.get("/rankings/2025-H1/rankings.xlsx")
    assert public.status_code == 200
    assert (
        public["Content-Type"]
        == "application/vnd.openxmlformats-officedocument.spreadsheetml.sheet"
    )
    assert public["Content-Disposition"] == 'attachment; filename="rankings-2025-H1.xlsx"'
    machine = department_lines(exports.to_csv(published.h1, officials=False))
    body = _xlsx_rows(public.content, exports.COLUMNS[1:])
    assert body == [row[1:] for row in machine]  # the same cells, no `level` column
    assert len(body) == published.h1.departments.count()
    header = _xlsx_header(public.content)
    assert header[:6] == ["순위", "실·국·본부 내 순위", "부서 코드", "부서", "실·국·본부", "점수"]
    assert "level" not in header and "v" not in header
    english = _xlsx_header(client.get("/rankings/2025-H1/rankings.xlsx", **EN).content)
    assert english[:2] == ["Rank", "Rank in bureau"]
    assert english[-2:] == ["Rank range, best", "Rank range, worst"]

    # A manager's workbook is the same department table; their full file is the
    # machine-readable CSV (and the run's export on the staff pages).
    manager = role_client(Role.MANAGER).get("/rankings/2025-H1/rankings.xlsx")
    assert _xlsx_rows(manager.content, exports.COLUMNS[1:]) == body


# --- formula-safe files (SPEC section 8; issue 14 item 5) ---------------------------------


def test_names_a_spreadsheet_would_run_reach_the_files_as_text(client, role_client, city):
    city.other.name = '=HYPERLINK("http://evil.example","보기")'
    city.other.save(update_fields=["name"])
    city.o1.name = "@SUM(1+1)\x07"
    city.o1.save(update_fields=["name"])
    run = publish(compute("2025-H1"))

    text = role_client(Role.MANAGER).get("/rankings/2025-H1/rankings-data.csv").content.decode()
    rows = {row[3]: row for row in department_lines(text)}
    assert rows["OTHER"][4] == "'" + city.other.name
    assert rows["O1"][4] == "'" + city.o1.name
    assert float(rows["OTHER"][6]) >= 0  # numbers stay numbers
    assert text == exports.to_csv(run)

    book = client.get("/rankings/2025-H1/rankings.xlsx").content
    sheet = openpyxl.load_workbook(io.BytesIO(book)).active
    names = {row[2].value: row[3] for row in sheet.iter_rows(min_row=2)}
    assert names["OTHER"].data_type == "s" and names["OTHER"].value == city.other.name
    book = (
        role_client(Role.MANAGER)
        .get(f"/staff/rankings/2025-H1/runs/{run.number}/export.xlsx")
        .content
    )
    sheet = openpyxl.load_workbook(io.BytesIO(book)).active
    names = {row[3].value: row[4] for row in sheet.iter_rows(min_row=2)}
    assert names["OTHER"].data_type == "s" and names["OTHER"].value == city.other.name
    assert names["O1"].data_type == "s" and names["O1"].value == "@SUM(1+1)\ufffd"
