"""The report POST's statements (issue 16 item 2): the receipt number from one
`UPDATE ... RETURNING`, the receipt handed to the done page in a signed cookie (no session
row), no query whose answer the request already has. Counted with Django's own capture."""

from __future__ import annotations

import pytest
from django.contrib.sessions.models import Session
from django.db import connection
from django.test import Client
from django.test.utils import CaptureQueriesContext
from django.utils import timezone

from complaints.models import Report
from kindness.models import NumberSequence, ProgrammeSettings
from tests.factories import BureauFactory, DepartmentFactory

pytestmark = pytest.mark.django_db

NEW = "/reports/new/"
DONE = "/reports/new/done/"

# Statements of one web report, a warm process and a year that has its counter row:
# the department, the programme settings (duplicate window), the duplicate check; then in
# one transaction the receipt counter (UPDATE ... RETURNING), the report, its history entry
# and the report officers to notify; SQLite also counts its BEGIN and COMMIT (in a test, a
# savepoint and its release). Before this work: 14 (the counter row ensured by an INSERT
# every time; the session: an existence check and an insert in a transaction of its own).
MAX_STATEMENTS = 9


@pytest.fixture
def department():
    return DepartmentFactory(name="민원봉사과", bureau=BureauFactory(name="시민소통국"))


def form(department, phone: str) -> dict:
    return {
        "kind": "unkind",
        "department": str(department.pk),
        "official_name": "",
        "incident_on": timezone.localdate().isoformat(),
        "channel": "visit",
        "text": "창구에서 불친절한 응대를 받았습니다.",
        "reporter_name": "홍길동",
        "reporter_phone": phone,
        "reporter_email": "",
        "consent": "on",
        "website": "",
    }


@pytest.fixture
def warm():
    """What a running site already has: its settings row and this year's counter row."""
    ProgrammeSettings.load()
    NumberSequence.objects.create(prefix="R", year=timezone.localdate().year, last=0)


def test_a_report_post_takes_at_most_the_counted_statements(
    department, warm, django_assert_max_num_queries
):
    client = Client()  # no cookies: a first visit, as most residents' are

    with django_assert_max_num_queries(MAX_STATEMENTS):
        response = client.post(NEW, form(department, "010-1234-0001"))

    assert response.status_code == 302
    assert Report.objects.count() == 1


def test_the_receipt_reaches_the_done_page_without_a_session_or_any_query(department, warm):
    client = Client()
    client.post(NEW, form(department, "010-1234-0002"))

    with CaptureQueriesContext(connection) as done_queries:
        done = client.get(DONE)

    assert done.status_code == 200
    assert Report.objects.get().receipt_no in done.content.decode()
    assert done_queries.captured_queries == []
    assert not Session.objects.exists()
    assert "sessionid" not in client.cookies


def test_every_post_is_stored_with_its_own_receipt_number(department, warm):
    numbers = []
    for n in range(6):
        client = Client()
        response = client.post(NEW, form(department, f"010-5555-{n:04d}"))
        assert response.status_code == 302
        numbers.append(client.get(DONE).context["receipt"]["receipt_no"])

    stored = list(Report.objects.order_by("pk").values_list("receipt_no", flat=True))
    assert stored == numbers
    assert len(set(stored)) == 6


def test_the_years_first_report_creates_its_counter_row(department):
    client = Client()

    response = client.post(NEW, form(department, "010-1234-0003"))

    year = timezone.localdate().year
    assert response.status_code == 302
    assert Report.objects.get().receipt_no == f"R-{year}-000001"
    assert NumberSequence.objects.get(prefix="R", year=year).last == 1


def test_a_forged_or_tampered_receipt_cookie_shows_no_receipt(client, department, warm):
    client.post(NEW, form(department, "010-1234-0004"))
    signed = client.cookies["report_receipt"].value
    assert "R-" in signed
    client.cookies["report_receipt"] = signed.replace("R-", "X-")

    done = client.get(DONE)

    assert done.status_code == 200
    assert done.context["receipt"] is None
    assert "R-" not in done.content.decode().split("<main", 1)[1]
