"""XLSX imports are read in streaming mode within the caps of SPEC section 7: at most
[100 MB] uncompressed and [200,000] rows, each refused with a clear error before the file
is parsed or as soon as the cap is passed."""

from __future__ import annotations

import io
import zipfile

import openpyxl
import pytest

from kindness.imports import run_import
from kindness.models import Official
from tests.kindness.test_roster_import import COLUMNS, person

pytestmark = pytest.mark.django_db


def workbook(rows: list[dict[str, str]]) -> bytes:
    book = openpyxl.Workbook()
    sheet = book.active
    sheet.append(list(COLUMNS))
    for row in rows:
        sheet.append([row[c] for c in COLUMNS])
    out = io.BytesIO()
    book.save(out)
    return out.getvalue()


def inflated(data: bytes, extra_bytes: int) -> bytes:
    """The workbook with its sheet padded by `extra_bytes` of blanks inside <sheetData>:
    still a valid sheet, compressed about 1000:1, like a zip bomb."""
    source = zipfile.ZipFile(io.BytesIO(data))
    out = io.BytesIO()
    with zipfile.ZipFile(out, "w", zipfile.ZIP_DEFLATED, compresslevel=9) as target:
        for info in source.infolist():
            content = source.read(info.filename)
            if info.filename == "xl/worksheets/sheet1.xml":
                content = content.replace(b"</sheetData>", b" " * extra_bytes + b"</sheetData>")
            target.writestr(info.filename, content)
    return out.getvalue()


def test_a_small_file_that_expands_past_100_mb_is_refused_before_it_is_parsed():
    data = inflated(workbook([person("E1")]), 101 * 2**20)
    assert len(data) < 2**20  # under 1 MB sent, over 100 MB once expanded
    result = run_import("roster", data)
    assert [e.line for e in result.errors] == [0]
    assert "100 MB" in result.errors[0].message
    assert not Official.objects.exists()


def test_a_file_just_under_the_expansion_cap_still_imports(settings):
    settings.IMPORT_XLSX_MAX_UNCOMPRESSED_BYTES = 2 * 2**20
    data = inflated(workbook([person("E1")]), 2**20)
    result = run_import("roster", data)
    assert result.ok, [str(e) for e in result.errors]


def test_a_file_with_more_rows_than_the_cap_is_refused_with_the_cap(settings):
    settings.IMPORT_XLSX_MAX_ROWS = 50
    data = workbook([person(f"E{i}") for i in range(50)])  # 51 rows with the header
    result = run_import("roster", data)
    assert [e.line for e in result.errors] == [0]
    assert "50" in result.errors[0].message
    assert not Official.objects.exists()
    settings.IMPORT_XLSX_MAX_ROWS = 51
    assert run_import("roster", data).ok


def test_a_sheet_declaring_a_huge_dimension_is_read_as_stored():
    data = workbook([person("E1")])
    source = zipfile.ZipFile(io.BytesIO(data))
    out = io.BytesIO()
    with zipfile.ZipFile(out, "w", zipfile.ZIP_DEFLATED) as target:
        for info in source.infolist():
            content = source.read(info.filename)
            if info.filename == "xl/worksheets/sheet1.xml":
                start = content.index(b"<dimension")
                end = content.index(b"/>", start) + 2
                content = content[:start] + b'<dimension ref="A1:XFD1048576"/>' + content[end:]
            target.writestr(info.filename, content)
    result = run_import("roster", out.getvalue())
    assert result.ok, [str(e) for e in result.errors]
