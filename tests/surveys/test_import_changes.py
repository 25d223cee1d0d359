"""The rows each survey import lists in its preview (issue 15 item 6): new rows, petitions
moved to another department or official, petitions otherwise updated (column names only:
petitioners' data is not repeated), and queued calls a happy-call file completes."""

from __future__ import annotations

import pytest
from django.utils import timezone

from kindness.imports import run_import
from surveys.models import HappyCall, Petition
from tests.surveys.test_imports import (  # noqa: F401 (city is a fixture)
    city,
    happycall_row,
    happycalls,
    petition_row,
    petitions,
    visit_row,
    visits,
)
from tests.surveys.test_queue import survey_defaults  # noqa: F401 (a fixture)

pytestmark = [pytest.mark.django_db, pytest.mark.usefixtures("survey_defaults")]


def changes(kind: str, data: bytes) -> list[tuple]:
    result = run_import(kind, data, dry_run=True)
    assert result.ok, result.errors
    return [(c.line, c.change, c.key, c.detail) for c in result.changes]


def test_new_petitions_are_listed_with_their_line_and_department(city):  # noqa: F811
    data = petitions(petition_row(), petition_row(petition_no="P-2"))

    assert changes("petitions", data) == [
        (2, "created", "P-1", "D01"),
        (3, "created", "P-2", "D01"),
    ]


def test_a_moved_petition_is_transferred_and_a_corrected_one_updated(city):  # noqa: F811
    assert run_import("petitions", petitions(petition_row(), petition_row(petition_no="P-2"))).ok

    listed = changes(
        "petitions",
        petitions(
            petition_row(department="D02", official_employee_no="E003"),
            petition_row(petition_no="P-2", petitioner_phone="010-9999-0000", title="고침"),
        ),
    )

    assert listed == [
        (2, "transferred", "P-1", "department, official"),
        (3, "updated", "P-2", "title, petitioner_phone"),
    ]
    assert "010-9999-0000" not in str(listed)
    assert Petition.objects.get(petition_no="P-1").department == city["civil"]  # dry run


def test_a_happy_call_file_lists_new_calls_and_the_queued_calls_it_completes(city):  # noqa: F811
    assert run_import("petitions", petitions(petition_row(), petition_row(petition_no="P-2"))).ok
    queued = Petition.objects.get(petition_no="P-2")
    HappyCall.objects.create(
        petition=queued, department=queued.department, queued_on=timezone.localdate()
    )

    listed = changes(
        "happycalls",
        happycalls(happycall_row(), happycall_row(call_id="H-2", petition_no="P-2")),
    )

    assert listed == [(2, "created", "H-1", "P-1"), (3, "completed", "H-2", "P-2")]


def test_an_outside_survey_file_lists_only_the_rows_it_adds(city):  # noqa: F811
    assert run_import("visit_surveys", visits(visit_row())).ok

    listed = changes("visit_surveys", visits(visit_row(), visit_row(survey_id="V-2")))

    assert listed == [(3, "created", "V-2", "D01")]
