"""The report form (SPEC section 3, Intake) and its receipt."""

from __future__ import annotations

import datetime as dt
import re

import pytest
from django.utils import timezone

from complaints.models import Report, ReportEvent
from kindness.models import OutboxMessage
from kindness.phones import phone_normalize
from tests.complaints.public_pages.helpers import DONE, NEW, TRACK, form_data
from tests.factories import DepartmentFactory


def test_report_form_lists_active_departments_grouped_by_bureau(client, department):
    DepartmentFactory(name="폐지된과", active=False)

    response = client.get(NEW)

    assert response.status_code == 200
    html = response.content.decode()
    assert '<optgroup label="시민소통국">' in html
    assert f'<option value="{department.pk}">민원봉사과</option>' in html
    assert "폐지된과" not in html
    assert 'name="website"' in html and 'tabindex="-1"' in html


@pytest.mark.parametrize("kind", ["praise", "unkind"])
def test_kind_in_the_address_preselects_that_kind(client, department, kind):
    response = client.get(NEW, {"kind": kind})

    assert re.search(
        rf'<input type="radio" name="kind" value="{kind}"[^>]* checked', response.content.decode()
    )


def test_an_unknown_kind_in_the_address_preselects_nothing(client, department):
    response = client.get(NEW, {"kind": "<script>"})

    assert response.status_code == 200
    assert " checked" not in response.content.decode()


def test_a_valid_praise_without_phone_is_stored_with_receipt_history_and_consent(
    client, department
):
    response = client.post(NEW, form_data(department))

    assert response.status_code == 302
    assert response["Location"] == DONE
    report = Report.objects.get()
    assert re.fullmatch(rf"R-{timezone.localdate().year}-\d{{6}}", report.receipt_no)
    assert report.kind == Report.Kind.PRAISE
    assert report.department == department
    assert report.reporter_phone == ""
    assert report.consent_at is not None
    assert report.source == Report.Source.WEB
    assert list(report.events.values_list("action", flat=True)) == [ReportEvent.Action.RECEIVED]


def test_the_receipt_and_secret_are_shown_once_and_then_track_the_report(client, department):
    client.post(NEW, form_data(department))
    report = Report.objects.get()

    done = client.get(DONE)
    receipt = done.context["receipt"]
    again = client.get(DONE)
    tracked = client.post(TRACK, {"receipt_no": receipt["receipt_no"], "secret": receipt["secret"]})

    assert done.status_code == 200
    assert report.receipt_no in done.content.decode()
    assert receipt["secret"] in done.content.decode()
    assert "no-store" in done["Cache-Control"]
    assert again.status_code == 200
    assert again.context["receipt"]["receipt_no"] == report.receipt_no
    assert report.receipt_no in again.content.decode()  # the number stays on reload
    assert receipt["secret"] not in again.content.decode()  # the secret was shown once
    assert receipt["secret"] not in str(again.cookies)
    assert "/reports/track/" in again.content.decode()
    assert tracked.status_code == 200
    assert tracked.context["report"] == report
    assert report.get_status_display() in tracked.content.decode()


def test_unkindness_without_phone_is_refused_with_the_error_beside_the_phone(client, department):
    response = client.post(NEW, form_data(department, kind="unkind"))

    assert response.status_code == 400
    assert list(response.context["form"].errors) == ["reporter_phone"]
    assert (
        'aria-describedby="id_reporter_phone_helptext id_reporter_phone_error"'
        in response.content.decode()
    )
    assert Report.objects.count() == 0


def test_unkindness_with_phone_is_stored_with_the_phone_in_one_written_form(client, department):
    response = client.post(NEW, form_data(department, kind="unkind", reporter_phone="01012345678"))

    assert response.status_code == 302
    assert Report.objects.get().reporter_phone == "010-1234-5678"


@pytest.mark.parametrize(
    "typed,stored",
    [
        ("010-1234-5678", "010-1234-5678"),
        ("01012345678", "010-1234-5678"),
        ("010 1234 5678", "010-1234-5678"),
        ("052-229-1234", "052-229-1234"),
        ("0522291234", "052-229-1234"),
        ("02-123-4567", "02-123-4567"),
        ("(02) 1234-5678", "02-1234-5678"),
        ("011-123-4567", "011-123-4567"),
        ("070-1234-5678", "070-1234-5678"),
        ("+82 10-1234-5678", "010-1234-5678"),
    ],
)
def test_korean_phone_numbers_are_accepted_in_their_usual_forms(typed, stored):
    assert phone_normalize(typed) == stored


@pytest.mark.parametrize(
    "typed",
    [
        "12345",
        "010-123-456",
        "010-1234-56789",
        "1588-1234",
        "+1 202 555 0100",
        "phone",
        "010‐1234‐5678x",
    ],
)
def test_what_is_not_a_korean_phone_number_is_refused(client, department, typed):
    response = client.post(NEW, form_data(department, kind="unkind", reporter_phone=typed))

    assert response.status_code == 400
    assert "reporter_phone" in response.context["form"].errors
    assert Report.objects.count() == 0


@pytest.mark.parametrize("text", ["짧아요", " " * 20 + "짧은글" + " " * 20, "가" * 4001])
def test_text_shorter_than_10_or_longer_than_4000_characters_is_refused(client, department, text):
    response = client.post(NEW, form_data(department, text=text))

    assert response.status_code == 400
    assert list(response.context["form"].errors) == ["text"]
    assert Report.objects.count() == 0


def test_4000_characters_with_line_breaks_as_browsers_send_them_are_accepted(client, department):
    text = ("가" * 99 + "\r\n") * 40  # 4,000 characters as the resident counts them

    response = client.post(NEW, form_data(department, text=text))

    assert response.status_code == 302
    assert len(Report.objects.get().text) == 3999  # the last line break is trimmed


@pytest.mark.parametrize("days", [-1, 366, 3650])
def test_incident_date_in_the_future_or_over_a_year_ago_is_refused(client, department, days):
    day = timezone.localdate() - dt.timedelta(days=days)

    response = client.post(NEW, form_data(department, incident_on=day.isoformat()))

    assert response.status_code == 400
    assert list(response.context["form"].errors) == ["incident_on"]


def test_incident_date_that_is_not_a_date_is_refused(client, department):
    response = client.post(NEW, form_data(department, incident_on="2025-02-30"))

    assert response.status_code == 400
    assert "incident_on" in response.context["form"].errors


def test_missing_consent_is_refused_and_everything_typed_is_kept(client, department):
    response = client.post(
        NEW,
        form_data(
            department, consent=None, official_name="이공무", reporter_email="hong@example.com"
        ),
    )

    assert response.status_code == 400
    assert list(response.context["form"].errors) == ["consent"]
    html = response.content.decode()
    assert "서류 발급을 끝까지 친절하게 도와주셨습니다." in html
    assert 'value="이공무"' in html
    assert 'value="hong@example.com"' in html
    assert f'<option value="{department.pk}" selected>' in html
    assert Report.objects.count() == 0


def test_consent_notice_states_purpose_items_retention_and_the_right_to_refuse(client, department):
    from kindness.models import ProgrammeSettings

    settings_row = ProgrammeSettings.load()
    settings_row.retention_years = 4
    settings_row.save()

    html = client.get(NEW).content.decode()

    notice = html[
        html.index('id="consent-notice"') : html.index("</dl>", html.index('id="consent-notice"'))
    ]
    assert notice.count("<dt>") == 4
    assert "4" in notice


@pytest.mark.parametrize("field", ["department", "channel", "kind"])
def test_unknown_choices_are_refused_beside_their_field(client, department, field):
    response = client.post(NEW, form_data(department, **{field: "999999"}))

    assert response.status_code == 400
    assert field in response.context["form"].errors


def test_an_inactive_department_is_refused(client, department):
    closed = DepartmentFactory(active=False)

    response = client.post(NEW, form_data(department, department=str(closed.pk)))

    assert response.status_code == 400
    assert "department" in response.context["form"].errors


def test_null_characters_give_a_form_error_not_a_server_error(client, department):
    response = client.post(NEW, form_data(department, reporter_name="홍\x00길동"))

    assert response.status_code == 400
    assert "reporter_name" in response.context["form"].errors


def test_a_filled_honeypot_stores_nothing_and_says_nothing_of_why(client, department):
    response = client.post(NEW, form_data(department, website="http://spam.example"))

    assert response.status_code == 400
    form = response.context["form"]
    assert form.non_field_errors()
    assert "website" not in form.errors
    assert 'value="http://spam.example"' not in response.content.decode()
    assert Report.objects.count() == 0


def test_an_email_address_puts_a_receipt_without_the_secret_in_the_outbox(client, department):
    client.post(NEW, form_data(department, reporter_email="hong@example.com"))
    report = Report.objects.get()
    secret = client.get(DONE).context["receipt"]["secret"]

    message = OutboxMessage.objects.get(to="hong@example.com")

    assert report.receipt_no in message.subject
    assert secret not in message.body


def test_no_email_address_sends_no_receipt(client, department):
    client.post(NEW, form_data(department))

    assert not OutboxMessage.objects.filter(
        related=f"report:{Report.objects.get().pk}", key__endswith=":receipt"
    ).exists()
