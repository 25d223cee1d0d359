"""The resident's pages of the report centre (SPEC section 3, Intake; section 9): the report
form and its receipt, tracking by receipt number and secret, and the praise board."""

from __future__ import annotations

import datetime as dt
import re
import struct
import zlib

import pytest
from django.core.cache import cache, caches
from django.core.files.uploadedfile import SimpleUploadedFile
from django.utils import timezone
from django.utils.translation import gettext

from complaints import services
from complaints.models import Attachment, Report, ReportEvent
from kindness.models import OutboxMessage
from kindness.phones import phone_normalize
from kindness.roles import Role
from tests.factories import BureauFactory, DepartmentFactory, OfficialFactory, UserFactory

NEW = "/reports/new/"
DONE = "/reports/new/done/"
TRACK = "/reports/track/"
BOARD = "/praise/"


@pytest.fixture(autouse=True)
def _isolated(settings, tmp_path):
    settings.MEDIA_ROOT = tmp_path / "media"
    cache.clear()
    yield
    cache.clear()


@pytest.fixture
def department(db):
    return DepartmentFactory(name="민원봉사과", bureau=BureauFactory(name="시민소통국"))


def form_data(department, /, **changes) -> dict:
    data = {
        "kind": "praise",
        "department": str(department.pk),
        "official_name": "김친절",
        "incident_on": timezone.localdate().isoformat(),
        "channel": "visit",
        "text": "서류 발급을 끝까지 친절하게 도와주셨습니다.",
        "reporter_name": "홍길동",
        "reporter_phone": "",
        "reporter_email": "",
        "consent": "on",
        "website": "",
    }
    data.update(changes)
    return {k: v for k, v in data.items() if v is not None}


def png_bytes() -> bytes:
    """A real 1x1 PNG: signature, IHDR, IDAT and IEND chunks with their checksums."""

    def chunk(kind: bytes, payload: bytes) -> bytes:
        return (
            struct.pack(">I", len(payload))
            + kind
            + payload
            + struct.pack(">I", zlib.crc32(kind + payload))
        )

    header = struct.pack(">IIBBBBB", 1, 1, 8, 2, 0, 0, 0)
    pixels = zlib.compress(b"\x00\xff\xff\xff")
    return (
        b"\x89PNG\r\n\x1a\n" + chunk(b"IHDR", header) + chunk(b"IDAT", pixels) + chunk(b"IEND", b"")
    )


def png(name="photo.png", padding=0) -> SimpleUploadedFile:
    return SimpleUploadedFile(name, png_bytes() + b"\x00" * padding, content_type="image/png")


def submit(**changes):
    """A report stored through the service, as the form would store it."""
    data = {
        "kind": Report.Kind.PRAISE,
        "department": DepartmentFactory(),
        "official_name": "",
        "incident_on": timezone.localdate(),
        "channel": Report.Channel.VISIT,
        "text": "친절하게 도와주셔서 감사했습니다.",
        "reporter_name": "홍길동",
        "reporter_phone": "",
    }
    data.update(changes)
    return services.report_submit(**data)


def shared_praise(*, public_text: str, official=None, **changes) -> Report:
    officer = UserFactory()
    report = submit(official=official, **changes).report
    services.report_verify(report=report, by=officer)
    return services.report_share(report=report, by=officer, public_text=public_text)


def without_tokens(html: str) -> str:
    return re.sub(r'name="csrfmiddlewaretoken" value="[^"]+"', "", html)


# ---------------------------------------------------------------------------- the form


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


def test_same_phone_and_department_within_24_hours_warns_then_stores_when_confirmed(
    client, department
):
    first = form_data(department, kind="unkind", reporter_phone="010-1234-5678")
    client.post(NEW, first)
    again = form_data(
        department,
        kind="unkind",
        reporter_phone="01012345678",
        text="다른 일로 다시 신고합니다. 불친절했습니다.",
    )

    warned = client.post(NEW, again)
    confirmed = client.post(NEW, {**again, "confirm_duplicate": "on"})

    assert warned.status_code == 200
    assert warned.context["duplicate"] is True
    assert 'name="confirm_duplicate"' in warned.content.decode()
    assert "다른 일로 다시 신고합니다." in warned.content.decode()
    assert confirmed.status_code == 302
    assert Report.objects.count() == 2


def test_a_stranger_filing_a_likely_duplicate_gets_no_different_answer_and_staff_see_the_mark(
    client, department, role_client
):
    from django.test import Client

    resident, stranger, control = Client(), Client(), Client()
    resident.post(NEW, form_data(department, kind="unkind", reporter_phone="010-1234-5678"))
    earlier = Report.objects.get()

    probe = stranger.post(NEW, form_data(department, kind="unkind", reporter_phone="01012345678"))
    unknown = control.post(
        NEW, form_data(department, kind="unkind", reporter_phone="010-9999-0000")
    )

    assert probe.status_code == unknown.status_code == 302
    assert probe["Location"] == unknown["Location"] == DONE

    def done_page(browser) -> str:
        html = browser.get(DONE).content.decode()
        return re.sub(r"R-\d{4}-\d{6}|[2-9A-HJ-NP-Z]{10}", "#", without_tokens(html))

    assert done_page(stranger) == done_page(control)
    stored = Report.objects.get(reporter_phone="010-1234-5678", pk__gt=earlier.pk)
    assert stored.duplicate_of == earlier
    assert Report.objects.get(reporter_phone="010-9999-0000").duplicate_of is None

    staff = role_client(Role.REPORT_OFFICER)
    mark = f"{earlier.receipt_no} 건과 중복 의심"
    assert mark in staff.get(f"/staff/reports/{stored.receipt_no}/").content.decode()
    assert mark in staff.get("/staff/reports/").content.decode()


def test_a_forged_or_foreign_filed_cookie_gives_no_warning(client, department):
    from django.test import Client

    Client().post(NEW, form_data(department, kind="unkind", reporter_phone="010-1234-5678"))
    earlier = Report.objects.get()
    client.cookies["reports_filed"] = earlier.receipt_no  # unsigned: not this site's

    response = client.post(
        NEW, form_data(department, kind="unkind", reporter_phone="010-1234-5678")
    )

    assert response.status_code == 302
    assert Report.objects.latest("pk").duplicate_of == earlier


def test_the_same_phone_for_another_department_is_no_duplicate(client, department):
    client.post(NEW, form_data(department, reporter_phone="010-1234-5678"))

    response = client.post(NEW, form_data(DepartmentFactory(), reporter_phone="010-1234-5678"))

    assert response.status_code == 302
    assert Report.objects.count() == 2


@pytest.mark.parametrize(("window", "age_hours", "marked"), [(24, 23, True), (2, 3, False)])
def test_the_duplicate_window_is_the_programme_settings_one(department, window, age_hours, marked):
    from kindness.models import ProgrammeSettings

    ProgrammeSettings.objects.update_or_create(pk=1, defaults={"duplicate_window_hours": window})
    earlier = submit(department=department, reporter_phone="010-1234-5678").report
    older = timezone.now() - dt.timedelta(hours=age_hours)
    Report.objects.filter(pk=earlier.pk).update(created_at=older)

    later = submit(department=department, reporter_phone="010-1234-5678").report

    assert later.duplicate_of_id == (earlier.pk if marked else None)


def test_without_a_settings_row_the_default_window_applies(department):
    from kindness.models import ProgrammeSettings

    ProgrammeSettings.objects.all().delete()
    earlier = submit(department=department, reporter_phone="010-1234-5678").report

    later = submit(department=department, reporter_phone="010-1234-5678").report

    assert later.duplicate_of_id == earlier.pk


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


# ---------------------------------------------------------------------------- attachments


def test_a_real_png_is_stored_with_the_type_read_from_its_content(client, department, settings):
    response = client.post(NEW, {**form_data(department), "attachments": [png("사진.png")]})

    assert response.status_code == 302
    attachment = Attachment.objects.get()
    assert attachment.content_type == "image/png"
    assert attachment.original_name == "사진.png"
    assert attachment.file.read() == png_bytes()
    assert str(settings.MEDIA_ROOT) in attachment.file.path


def test_three_files_of_5_mb_each_are_accepted(client, department):
    files = [png(f"p{i}.png", padding=5 * 1024 * 1024 - len(png_bytes())) for i in range(3)]

    response = client.post(NEW, {**form_data(department), "attachments": files})

    assert response.status_code == 302
    assert Attachment.objects.count() == 3


def test_a_png_named_jpg_is_stored_as_png(client, department):
    client.post(NEW, {**form_data(department), "attachments": [png("photo.jpg")]})

    assert Attachment.objects.get().content_type == "image/png"


def test_a_pdf_is_accepted(client, department):
    pdf = SimpleUploadedFile(
        "letter.pdf", b"%PDF-1.4\n1 0 obj << >> endobj\ntrailer << >>\n%%EOF\n"
    )

    client.post(NEW, {**form_data(department), "attachments": [pdf]})

    assert Attachment.objects.get().content_type == "application/pdf"


@pytest.mark.parametrize(
    "upload",
    [
        SimpleUploadedFile(
            "photo.jpg", b"<script>alert(1)</script> just text", content_type="image/jpeg"
        ),
        SimpleUploadedFile(
            "run.exe", b"MZ\x90\x00\x03\x00\x00\x00\x04\x00\x00\x00\xff\xff" + b"\x00" * 64
        ),
        SimpleUploadedFile("empty.png", b"", content_type="image/png"),
    ],
    ids=["text-named-jpg", "program", "empty"],
)
def test_a_file_that_is_not_an_image_or_pdf_is_refused_whatever_its_name(
    client, department, upload
):
    response = client.post(NEW, {**form_data(department), "attachments": [upload]})

    assert response.status_code == 400
    assert list(response.context["form"].errors) == ["attachments"]
    assert Report.objects.count() == 0
    assert Attachment.objects.count() == 0


def test_four_files_are_refused(client, department):
    response = client.post(
        NEW, {**form_data(department), "attachments": [png(f"p{i}.png") for i in range(4)]}
    )

    assert response.status_code == 400
    assert list(response.context["form"].errors) == ["attachments"]
    assert Report.objects.count() == 0


def test_a_file_one_byte_over_5_mb_is_refused(client, department):
    big = png("big.png", padding=5 * 1024 * 1024 + 1 - len(png_bytes()))

    response = client.post(NEW, {**form_data(department), "attachments": [big]})

    assert response.status_code == 400
    assert list(response.context["form"].errors) == ["attachments"]
    assert Report.objects.count() == 0


def test_after_an_error_the_form_says_chosen_files_must_be_chosen_again(client, department):
    response = client.post(NEW, {**form_data(department, consent=None), "attachments": [png()]})

    assert response.status_code == 400
    assert response.context["files_dropped"] is True
    assert (
        gettext(
            "Browsers do not keep chosen files when a form is shown again: please choose your attachments again."
        )
        in response.content.decode()
    )


# ---------------------------------------------------------------------------- script in text


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


# ---------------------------------------------------------------------------- rate limit


def test_the_third_report_within_the_limit_gets_429_and_is_not_stored(client, department, settings):
    settings.RATELIMIT_ENABLE = True
    settings.REPORT_RATE = "2/m"

    statuses = [client.post(NEW, form_data(department)).status_code for _ in range(3)]

    assert statuses == [302, 302, 429]
    assert Report.objects.count() == 2


def test_correcting_mistakes_does_not_use_up_the_limit(client, department, settings):
    settings.RATELIMIT_ENABLE = True
    settings.REPORT_RATE = "2/m"

    mistakes = [client.post(NEW, form_data(department, consent=None)).status_code for _ in range(3)]
    stored = client.post(NEW, form_data(department))

    assert mistakes == [400, 400, 400]
    assert stored.status_code == 302


def test_a_report_is_accepted_when_the_cache_of_the_rate_limit_is_down(
    client, department, settings, monkeypatch
):
    settings.RATELIMIT_ENABLE = True

    def down(*args, **kwargs):
        raise ConnectionError("cache unavailable")

    monkeypatch.setattr(caches["default"], "add", down)

    response = client.post(NEW, form_data(department))

    assert response.status_code == 302
    assert Report.objects.count() == 1


def test_the_limit_is_off_when_ratelimit_enable_is_off(client, department, settings):
    settings.RATELIMIT_ENABLE = False
    settings.REPORT_RATE = "1/m"

    statuses = [client.post(NEW, form_data(department)).status_code for _ in range(3)]

    assert statuses == [302, 302, 302]


def test_tracking_gets_429_after_its_limit_of_attempts(client, db, settings):
    settings.RATELIMIT_ENABLE = True
    settings.TRACK_RATE = "2/m"
    attempt = {"receipt_no": "R-2025-000001", "secret": "WRONG"}

    statuses = [client.post(TRACK, attempt).status_code for _ in range(3)]

    assert statuses == [200, 200, 429]


# ---------------------------------------------------------------------------- tracking


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


# ---------------------------------------------------------------------------- praise board


def test_praise_board_shows_only_shared_praise_in_its_approved_words(client, db):
    official = OfficialFactory(name="김친절", department=DepartmentFactory(name="세무과"))
    shared = shared_praise(
        official=official,
        public_text="세무 상담을 끝까지 친절하게 해 주셨습니다.",
        text="RESIDENT-OWN-WORDS 세무과에서 정말 고마웠어요",
        reporter_name="박제보",
        reporter_phone="010-9999-8888",
    )
    verified = submit(text="VERIFIED-NOT-SHARED 친절했습니다").report
    services.report_verify(report=verified, by=UserFactory())
    submit(
        kind=Report.Kind.UNKIND, text="UNKIND-REPORT-TEXT 불친절", reporter_phone="010-1111-1111"
    )

    response = client.get(BOARD)

    html = response.content.decode()
    assert response.status_code == 200
    assert list(response.context["page"].object_list) == [shared]
    assert "세무 상담을 끝까지 친절하게 해 주셨습니다." in html
    assert "김친절" in html and "세무과" in html
    for hidden in [
        "RESIDENT-OWN-WORDS",
        "박제보",
        "010-9999-8888",
        "VERIFIED-NOT-SHARED",
        "UNKIND-REPORT-TEXT",
    ]:
        assert hidden not in html


def card_heading(html: str) -> str:
    match = re.search(r'<h2 id="praise-\d+">(.*?)</h2>', html, re.S)
    return " ".join(re.sub(r"<[^>]+>", " ", match[1]).split())


def test_an_unmatched_praise_card_names_the_department_alone_never_the_residents_free_text(
    client, db
):
    shared_praise(
        official_name="이름만",
        department=DepartmentFactory(name="세무과"),
        public_text="민원 안내를 차근차근 해 주셨습니다.",
    )

    html = client.get(BOARD).content.decode()

    assert "이름만" not in html
    assert card_heading(html) == "세무과"
    assert client.get(BOARD, {"q": "이름만"}).context["page"].paginator.count == 0


def test_a_praise_card_names_a_name_staff_approved_with_the_department(client, db):
    report = shared_praise(
        official_name="김 주무관님",
        department=DepartmentFactory(name="세무과"),
        public_text="민원 안내를 차근차근 해 주셨습니다.",
    )
    services.report_share(
        report=report,
        by=UserFactory(),
        public_text="민원 안내를 차근차근 해 주셨습니다.",
        board_name="김민원",
    )

    html = client.get(BOARD).content.decode()

    assert card_heading(html) == "김민원 · 세무과"
    assert "김 주무관님" not in html
    assert client.get(BOARD, {"q": "김민원"}).context["page"].paginator.count == 1


def test_a_matched_praise_card_names_the_official_and_their_department_not_the_free_text(
    client, db
):
    official = OfficialFactory(name="정다정", department=DepartmentFactory(name="환경정책과"))
    shared_praise(
        official=official,
        official_name="다른사람",
        department=DepartmentFactory(name="세무과"),
        public_text="민원 안내를 차근차근 해 주셨습니다.",
    )

    html = client.get(BOARD).content.decode()

    assert card_heading(html) == "정다정 · 환경정책과"
    assert "다른사람" not in html and "세무과" not in html


def test_praise_board_lists_the_newest_shared_first(client, db):
    older = shared_praise(public_text="먼저 공유된 칭찬입니다.")
    newer = shared_praise(public_text="나중에 공유된 칭찬입니다.")
    Report.objects.filter(pk=older.pk).update(ended_at=timezone.now() - dt.timedelta(days=3))

    assert list(client.get(BOARD).context["page"].object_list) == [newer, older]


def test_praise_board_searches_text_official_and_department(client, db):
    by_text = shared_praise(public_text="주차 문제를 해결해 주셨습니다.")
    by_official = shared_praise(
        official=OfficialFactory(name="정다정"), public_text="감사했습니다. 고맙습니다."
    )
    by_department = shared_praise(
        department=DepartmentFactory(name="환경정책과"), public_text="감사했습니다. 정말로요."
    )

    def found(q):
        return list(client.get(BOARD, {"q": q}).context["page"].object_list)

    assert found("주차") == [by_text]
    assert found("정다정") == [by_official]
    assert found("환경정책") == [by_department]
    assert found("없는말") == []


@pytest.mark.parametrize("q", ["가" * 101, "a\x00b"])
def test_a_bad_search_gives_a_form_error_and_the_whole_board(client, db, q):
    shared_praise(public_text="공유된 칭찬이 하나 있습니다.")

    response = client.get(BOARD, {"q": q})

    assert response.status_code == 400
    assert "q" in response.context["form"].errors
    assert response.context["page"].paginator.count == 1


def test_praise_board_pages_by_20_and_bad_page_numbers_fall_back(client, db):
    for i in range(21):
        shared_praise(public_text=f"공유된 칭찬 번호 {i:02d} 입니다.")

    first = client.get(BOARD)
    second = client.get(BOARD, {"page": "2"})

    assert len(first.context["page"].object_list) == 20
    assert len(second.context["page"].object_list) == 1
    assert 'href="?page=2"' in first.content.decode()
    pages = {n: _without_token(client.get(BOARD, {"page": str(n)}).content) for n in (1, 2)}
    for bad, number in [("abc", 1), ("999", 2), ("-1", 2), ("1.5", 1), ("", 1)]:
        response = client.get(BOARD, {"page": bad})
        assert response.status_code == 200
        # Compared as shown (a page kept whole is not rendered again, so has no context).
        assert _without_token(response.content) == pages[number]


def test_paging_keeps_the_search(client, db):
    for i in range(21):
        shared_praise(public_text=f"주차 안내 칭찬 {i:02d} 입니다.")

    html = client.get(BOARD, {"q": "주차"}).content.decode()

    assert 'href="?q=%EC%A3%BC%EC%B0%A8&amp;page=2"' in html


def test_an_empty_praise_board_says_so(client, db):
    response = client.get(BOARD)

    assert response.status_code == 200
    assert gettext("No praise has been shared yet.") in response.content.decode()


def _without_token(html: bytes) -> bytes:
    """The page without its CSRF token, which every response has anew, and the address the
    language form returns to, which is the request's own."""
    html = re.sub(rb'name="csrfmiddlewaretoken" value="[^"]+"', b"", html)
    return re.sub(rb'name="next" type="hidden" value="[^"]*"', b"", html)
