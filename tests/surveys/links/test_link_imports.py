"""Imports of petitions with an email column and of happy-calls with their mode."""

from __future__ import annotations

import csv
import datetime as dt
import io

import pytest

from kindness.imports import run_import
from surveys.models import HappyCall, Petition
from tests.factories import DepartmentFactory
from tests.surveys.links.helpers import TODAY, LinkStatus, Status, linked_call
from tests.surveys.test_queue import make_petition


def csv_bytes(rows: list[dict]) -> bytes:
    out = io.StringIO()
    writer = csv.DictWriter(out, fieldnames=list(rows[0]))
    writer.writeheader()
    writer.writerows(rows)
    return out.getvalue().encode()


def petition_row(department, **values) -> dict:
    return {
        "petition_no": "P-EMAIL-1",
        "title": "민원",
        "department": department.code,
        "official_employee_no": "",
        "petitioner_name": "홍길동",
        "petitioner_phone": "02-123-4567",
        "received_on": (TODAY - dt.timedelta(days=3)).isoformat(),
        "completed_on": (TODAY - dt.timedelta(days=1)).isoformat(),
        "channel": "online",
    } | values


@pytest.mark.django_db
def test_petitions_import_an_optional_email_column():
    department = DepartmentFactory()
    assert run_import("petitions", csv_bytes([petition_row(department)])).ok
    assert Petition.objects.get().petitioner_email == ""
    row = petition_row(department, petitioner_email="resident@example.com")
    assert run_import("petitions", csv_bytes([row])).summary["updated"] == 1
    assert Petition.objects.get().petitioner_email == "resident@example.com"
    # A file without the column leaves the stored address alone.
    assert run_import("petitions", csv_bytes([petition_row(department)])).summary["unchanged"] == 1
    bad = run_import("petitions", csv_bytes([petition_row(department, petitioner_email="nope")]))
    assert [(e.line, e.column) for e in bad.errors] == [(2, "petitioner_email")]


def happycall_row(petition, **values) -> dict:
    return {
        "call_id": "HC-1",
        "petition_no": petition.petition_no,
        "answered_on": TODAY.isoformat(),
        "speed": "5",
        "clarity": "4",
        "kindness": "5",
        "result": "",
        "overall": "4",
        "voc": "",
        "kind_case": "N",
        "unkind_case": "N",
    } | values


@pytest.mark.django_db
def test_imported_happycalls_keep_their_mode_and_close_an_open_link(questionnaire, sms_dir):
    call, link = linked_call()
    result = run_import("happycalls", csv_bytes([happycall_row(call.petition, mode="web")]))
    assert result.ok, result.errors
    call.refresh_from_db()
    link.refresh_from_db()
    assert (call.status, call.mode, link.status) == (Status.COMPLETED, "web", LinkStatus.CLOSED)

    other = make_petition()
    blank = happycall_row(other, call_id="HC-2", mode="")
    assert run_import("happycalls", csv_bytes([blank])).ok
    assert HappyCall.objects.get(call_id="HC-2").mode == "phone"
    bad = run_import(
        "happycalls", csv_bytes([happycall_row(make_petition(), call_id="HC-3", mode="fax")])
    )
    assert [(e.line, e.column) for e in bad.errors] == [(2, "mode")]
