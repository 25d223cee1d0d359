"""Script typed into a report is shown escaped on the form, tracking and the board."""

from __future__ import annotations

from complaints import services
from complaints.models import Report
from tests.complaints.public_pages.helpers import (
    BOARD,
    NEW,
    TRACK,
    form_data,
    shared_praise,
    submit,
)
from tests.factories import UserFactory


def test_script_in_text_is_stored_as_typed_and_shown_escaped_when_the_form_returns(
    client, department
):
    script = "<script>alert('x')</script> 불친절했습니다."

    refused = client.post(NEW, form_data(department, text=script, consent=None))
    client.post(NEW, form_data(department, text=script, official_name="<b>김</b>"))

    assert "<script>alert(" not in refused.content.decode()
    assert "&lt;script&gt;alert(" in refused.content.decode()
    report = Report.objects.get()
    assert report.text == script
    assert report.official_name == "<b>김</b>"


def test_script_in_public_texts_is_shown_escaped_on_tracking_and_the_board(client, department):
    submission = submit(official_name="<b>이름</b>")
    report = shared_praise(public_text="<script>alert(1)</script> 고맙습니다!")
    report = services.report_share(
        report=report, by=UserFactory(), public_text=report.public_text, board_name="<i>김</i>"
    )
    Report.objects.filter(pk=submission.report.pk).update(
        public_outcome="<script>alert(2)</script>"
    )

    tracked = client.post(
        TRACK, {"receipt_no": submission.report.receipt_no, "secret": submission.secret}
    )
    board = client.get(BOARD)

    assert "<script>alert(2)" not in tracked.content.decode()
    assert "&lt;script&gt;alert(2)&lt;/script&gt;" in tracked.content.decode()
    assert "<script>alert(1)" not in board.content.decode()
    assert "&lt;script&gt;alert(1)&lt;/script&gt;" in board.content.decode()
    assert "&lt;i&gt;김&lt;/i&gt;" in board.content.decode()
    assert report.status == Report.Status.SHARED
