"""Tracking a report by receipt number and secret."""

from __future__ import annotations

import pytest
from django.utils import timezone

from complaints import services
from complaints.models import Report, ReportEvent
from tests.complaints.public_pages.helpers import TRACK, submit, without_tokens
from tests.factories import DepartmentFactory, OfficialFactory, UserFactory


def test_tracking_page_shows_an_empty_form_or_the_number_from_the_address(client, db):
    assert client.get(TRACK).status_code == 200
    prefilled = client.get(TRACK, {"receipt_no": '"><script>'}).content.decode()
    assert "<script>" not in prefilled.split("<main", 1)[1]


def test_the_right_secret_shows_status_kind_department_and_public_outcome(client, db):
    submission = submit(
        department=DepartmentFactory(name="도로과"),
        kind=Report.Kind.UNKIND,
        reporter_phone="010-1111-2222",
    )
    report = services.report_start_review(report=submission.report, by=UserFactory())
    report = services.report_not_substantiate(report=report, by=UserFactory(), reason="사실과 다름")

    response = client.post(
        TRACK, {"receipt_no": report.receipt_no.lower(), "secret": f" {submission.secret.lower()} "}
    )

    html = response.content.decode()
    assert response.status_code == 200
    assert report.get_status_display() in html
    assert report.get_kind_display() in html
    assert "도로과" in html
    assert report.public_outcome in html
    assert (
        report.created_at.astimezone(timezone.get_current_timezone()).strftime("%Y-%m-%d") in html
    )


def test_wrong_secret_and_unknown_number_give_the_same_answer(client, db):
    submission = submit()
    year = timezone.localdate().year
    unknown = f"R-{year}-999999"

    wrong_secret = client.post(
        TRACK, {"receipt_no": submission.report.receipt_no, "secret": "ABCDEFGHJK"}
    )
    unknown_number = client.post(TRACK, {"receipt_no": unknown, "secret": "ABCDEFGHJK"})

    assert wrong_secret.status_code == unknown_number.status_code == 200
    assert wrong_secret.context["report"] is None and wrong_secret.context["not_found"]
    first = without_tokens(wrong_secret.content.decode()).replace(
        submission.report.receipt_no, "NUMBER"
    )
    second = without_tokens(unknown_number.content.decode()).replace(unknown, "NUMBER")
    assert first == second


@pytest.mark.parametrize(
    "receipt_no",
    [
        "<script>alert(1)</script>",
        "R-2025-12",
        "R-20x5-000001",
        "'; DROP TABLE complaints_report; --",
        "R-2025-000001\x00",
        "R" * 500,
        "",
    ],
)
def test_tampered_receipt_numbers_give_a_form_error(client, db, receipt_no):
    response = client.post(TRACK, {"receipt_no": receipt_no, "secret": "ABCDEFGHJK"})

    assert response.status_code == 400
    assert "receipt_no" in response.context["form"].errors
    assert "<script>alert(1)" not in response.content.decode()


def test_tracking_never_shows_staff_notes_staff_or_the_matched_official(client, db):
    officer = UserFactory(username="officer-park")
    official = OfficialFactory(name="최담당")
    submission = submit(
        kind=Report.Kind.UNKIND, reporter_phone="010-3333-4444", department=official.department
    )
    report = services.report_match_official(report=submission.report, official=official, by=officer)
    report = services.report_start_review(report=report, by=officer, note="INTERNAL-NOTE-START")
    services.report_record_reply(report=report, by=officer, text="INTERNAL-REPLY-OF-THE-OFFICIAL")
    ReportEvent.objects.create(
        report=report, by=officer, action=ReportEvent.Action.REPLY, note="INTERNAL-NOTE-2"
    )

    html = client.post(
        TRACK, {"receipt_no": report.receipt_no, "secret": submission.secret}
    ).content.decode()

    assert report.get_status_display() in html
    for hidden in [
        "INTERNAL-NOTE-START",
        "INTERNAL-REPLY-OF-THE-OFFICIAL",
        "INTERNAL-NOTE-2",
        "officer-park",
        "최담당",
        official.employee_no,
        "010-3333-4444",
        "홍길동",
        submission.report.text,
    ]:
        assert hidden not in html
