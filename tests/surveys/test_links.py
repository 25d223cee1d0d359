"""Survey by link (SPEC section 4): who gets a link, the channel, the dates (sending,
reminder, expiry back to the phone queue or closed as written), the page /s/<token>/, the
desk's key and written-survey marks, letters, imports and the dashboard by mode."""

from __future__ import annotations

import csv
import datetime as dt
import io
import re
import threading

import pytest
from django.core.management import call_command
from django.db import connection
from django.urls import reverse
from django.utils import timezone

from complaints.models import Report
from kindness.imports import run_import
from kindness.models import OutboxMessage
from kindness.outbox import outbox_deliver
from kindness.roles import Role
from surveys.links import records, rules, selectors
from surveys.links.services import (
    LinkNotLive,
    call_send_link,
    letters_mark_printed,
    survey_link_answer,
    survey_links_send,
)
from surveys.models import CallAttempt, HappyCall, HappyCallAnswer, Petition, SurveyLink
from surveys.selectors import DashboardFilter, dashboard
from surveys.services import (
    CallClosed,
    NotYourCall,
    call_attempt_record,
    call_queue_build,
    happy_call_complete,
)
from tests.conftest import REQUIRE_SERVICES, require_service, using_postgresql
from tests.factories import DepartmentFactory
from tests.surveys.test_queue import make_agent, make_petition, set_rules, survey_defaults_ensure

Status = HappyCall.Status
LinkStatus = SurveyLink.Status
TODAY = timezone.localdate()
ANSWERS = {"speed": 5, "clarity": 4, "kindness": 5, "result": 3, "overall": None}


@pytest.fixture
def questionnaire(db):
    survey_defaults_ensure()


@pytest.fixture
def sms_dir(settings, tmp_path):
    settings.SMS_URL = f"file://{tmp_path}/sms"
    settings.SITE_URL = "https://kindness.example.go.kr"
    return tmp_path / "sms"


def token_in(text: str) -> str:
    return re.search(r"/s/([A-Za-z0-9_-]{22,})/", text).group(1)


def linked_call(
    *, reason=SurveyLink.Reason.SHARE, phone="010-1234-5678", email="", sent=True, **kw
):
    petition = make_petition(phone=phone, petitioner_email=email, **kw)
    call = HappyCall.objects.create(
        petition=petition,
        department=petition.department,
        official=petition.official,
        queued_on=TODAY,
    )
    link = records.survey_link_open(call=call, reason=reason, today=TODAY)
    if sent:
        survey_links_send(today=TODAY)
        link.refresh_from_db()
    return call, link


# ---------------------------------------------------------------------------- rules


@pytest.mark.parametrize(
    ("digits", "mobile"),
    [
        ("01012345678", True),
        ("0111234567", True),
        ("01612345678", True),
        ("01912345678", True),
        ("01212345678", False),
        ("0212345678", False),
        ("010123456", False),
        ("", False),
    ],
)
def test_mobile_numbers_are_010_011_and_016_to_019(digits, mobile):
    assert rules.is_mobile(digits) is mobile


def test_the_share_is_taken_in_the_draws_order_among_those_reachable_online():
    draw = ["a", "b-landline", "c", "d", "e"]
    chosen = rules.share_links(draw, share_percent=50, reachable=lambda p: "landline" not in p)
    assert chosen == ["a", "c", "d"]  # ceil(50 % of 5) = 3, skipping the landline
    assert rules.share_links(draw, share_percent=0, reachable=lambda p: True) == []


def test_a_link_is_valid_through_d_plus_7_and_reminded_from_d_plus_3():
    d = dt.date(2026, 3, 1)
    assert not rules.expired(d, 7, dt.date(2026, 3, 8))
    assert rules.expired(d, 7, dt.date(2026, 3, 9))
    assert not rules.reminder_due(d, 3, dt.date(2026, 3, 3))
    assert rules.reminder_due(d, 3, dt.date(2026, 3, 4))


# ---------------------------------------------------------------------------- the queue


@pytest.mark.django_db
def test_the_share_of_each_departments_draw_gets_a_link_instead_of_a_call(make_user, sms_dir):
    make_agent(make_user)
    set_rules(link_share_percent=50)
    petitions = [make_petition(phone="02-123-4567") for _ in range(2)]
    department = petitions[0].department
    petitions += [make_petition(department) for _ in range(3)]
    for p in petitions[1:2]:
        p.department = department
        p.save()
    petitions.append(
        make_petition(department, phone="02-555-0000", petitioner_email="a@example.com")
    )

    result = call_queue_build()

    links = SurveyLink.objects.filter(call__department=department)
    # 5 drawn for the department (one landline elsewhere) -> ceil(2.5) = 3 links
    assert result.links == links.count() == 3
    assert set(links.values_list("reason", flat=True)) == {"share"}
    assert all(records.reachable_online(link.call.petition) for link in links)
    assert not HappyCall.objects.filter(status=Status.LINK, assigned_to__isnull=False).exists()


@pytest.mark.django_db
def test_refusers_get_neither_a_call_nor_a_link(make_user, sms_dir):
    caller = make_agent(make_user)
    set_rules(link_share_percent=100)
    earlier = make_petition(days_ago=30, phone="010-5555-1234")
    earlier_call = HappyCall.objects.create(
        petition=earlier, department=earlier.department, assigned_to=caller
    )
    call_attempt_record(call=earlier_call, by=caller, outcome=CallAttempt.Outcome.REFUSED)
    again = make_petition(phone="01055551234", contact=Petition.Contact.WRITTEN)

    call_queue_build()

    assert HappyCall.objects.get(petition=again).status == Status.REFUSED
    assert not SurveyLink.objects.exists()


@pytest.mark.django_db
def test_the_channel_is_sms_then_email_then_letter(settings, sms_dir):
    mobile = make_petition(phone="010-1111-2222", petitioner_email="x@example.com")
    email = make_petition(phone="02-111-2222", petitioner_email="x@example.com")
    letter = make_petition(phone="02-111-2222")
    assert [records.best_channel(p) for p in (mobile, email, letter)] == ["sms", "email", "letter"]
    settings.SMS_URL = ""  # DEBUG off without SMS_URL: no SMS link is made
    assert records.best_channel(mobile) == "email"


# ---------------------------------------------------------------------------- sending


@pytest.mark.django_db
def test_a_due_link_goes_by_sms_with_an_absolute_link_once(sms_dir):
    call, link = linked_call()
    assert (link.status, link.sent_on, link.channel) == (LinkStatus.OPEN, TODAY, "sms")
    assert survey_links_send(today=TODAY)["sent"] == 0  # twice: nothing more

    assert outbox_deliver() == 1
    text = (sms_dir / f"{link.message_id}.txt").read_text(encoding="utf-8")
    assert text.startswith("To: 01012345678\n\n")
    assert "https://kindness.example.go.kr/s/" in text
    token = token_in(text)
    assert selectors.link_by_token(token) == link
    assert token not in SurveyLink.objects.values_list("lookup", flat=True).get()
    message = OutboxMessage.objects.get(pk=link.message_id)
    assert token not in message.body  # blanked once delivered


@pytest.mark.django_db
def test_one_reminder_on_day_3_by_the_same_channel(sms_dir):
    call, link = linked_call()
    assert survey_links_send(today=TODAY + dt.timedelta(days=2))["reminded"] == 0
    assert survey_links_send(today=TODAY + dt.timedelta(days=3))["reminded"] == 1
    assert survey_links_send(today=TODAY + dt.timedelta(days=4))["reminded"] == 0
    outbox_deliver()
    texts = [p.read_text(encoding="utf-8") for p in sorted(sms_dir.iterdir())]
    assert len(texts) == 2
    assert token_in(texts[0]) == token_in(texts[1])  # the same link


@pytest.mark.django_db
def test_letters_get_no_message_and_no_reminder_and_count_from_the_day_printed(sms_dir):
    call, link = linked_call(phone="02-123-4567")
    assert (link.channel, link.status) == ("letter", LinkStatus.PENDING)
    assert letters_mark_printed(links=[link], today=TODAY) == 1
    assert letters_mark_printed(links=[link], today=TODAY) == 0
    assert survey_links_send(today=TODAY + dt.timedelta(days=3))["reminded"] == 0
    assert not OutboxMessage.objects.exists()


@pytest.mark.django_db
def test_an_expired_share_link_returns_the_petition_to_the_phone_queue_keeping_its_attempts(
    make_user, sms_dir
):
    caller = make_agent(make_user)
    call, link = linked_call()
    CallAttempt.objects.create(call=call, at=timezone.now(), by=caller, outcome="no_answer")

    assert survey_links_send(today=TODAY + dt.timedelta(days=7))["returned_to_phone"] == 0
    counts = survey_links_send(today=TODAY + dt.timedelta(days=8))

    assert counts["returned_to_phone"] == 1
    call.refresh_from_db()
    link.refresh_from_db()
    assert (call.status, call.assigned_to, call.queued_on) == (
        Status.QUEUED,
        caller,
        TODAY + dt.timedelta(days=8),
    )
    assert call.attempts.count() == 1
    assert link.status == LinkStatus.EXPIRED
    # Two more failed attempts make three: unreachable.
    call_attempt_record(call=call, by=caller, outcome="busy")
    call = call_attempt_record(call=call, by=caller, outcome="no_answer")
    assert call.status == Status.UNREACHABLE


@pytest.mark.django_db
def test_an_expired_written_survey_link_closes_the_call_as_written(sms_dir):
    call, link = linked_call(reason=SurveyLink.Reason.WRITTEN)
    assert survey_links_send(today=TODAY + dt.timedelta(days=8))["closed_written"] == 1
    call.refresh_from_db()
    assert call.status == Status.WRITTEN and call.closed_at is not None


@pytest.mark.django_db
def test_the_command_runs_as_of_a_given_day(sms_dir, capsys):
    linked_call()
    call_command("send_survey_links", "--today", (TODAY + dt.timedelta(days=8)).isoformat())
    out = capsys.readouterr().out
    assert "1" in out.splitlines()[2]  # returned to the phone queue
    with pytest.raises(Exception, match="2026-13-01"):
        call_command("send_survey_links", "--today", "2026-13-01")


def test_the_link_task_is_scheduled_daily(settings):
    tasks = {e["task"] for e in settings.CELERY_BEAT_SCHEDULE.values()}
    assert "surveys.tasks.send_survey_links" in tasks


# ---------------------------------------------------------------------------- answering


@pytest.mark.django_db
def test_an_answer_by_link_completes_the_call_as_web_and_uses_the_link(questionnaire, sms_dir):
    call, link = linked_call()
    survey_link_answer(
        link=link, answers=ANSWERS, voc="빨리 처리해 주셔서 감사합니다", unkind_case=True
    )
    call.refresh_from_db()
    assert (call.status, call.mode, call.answered_on) == (Status.COMPLETED, "web", TODAY)
    assert call.response_score == pytest.approx((100 + 75 + 100 + 50) / 4)
    assert call.unkind_report.source == Report.Source.HAPPY_CALL
    with pytest.raises(LinkNotLive):
        survey_link_answer(link=link, answers=ANSWERS)


@pytest.mark.django_db
def test_an_answer_at_the_desk_closes_the_open_link(make_user, questionnaire, sms_dir):
    caller = make_agent(make_user)
    call, link = linked_call()
    happy_call_complete(call=call, by=caller, answers=ANSWERS)
    link.refresh_from_db()
    call.refresh_from_db()
    assert link.status == LinkStatus.CLOSED
    assert call.mode == "phone"


# ---------------------------------------------------------------------------- the page


def url(token: str) -> str:
    return f"/s/{token}/"


@pytest.mark.django_db
def test_the_page_shows_department_and_month_only_and_sends_no_referrer(
    client, questionnaire, sms_dir
):
    call, link = linked_call()
    response = client.get(url(records.token(link)))
    assert response.status_code == 200
    page = response.content.decode()
    assert call.department.name in page
    assert call.petition.petitioner_name not in page
    assert call.petition.title not in page
    assert f"{call.petition.completed_on.year}년 {call.petition.completed_on.month}월" in page
    assert response["Referrer-Policy"] == "no-referrer"
    assert "no-store" in response["Cache-Control"]


@pytest.mark.django_db
def test_answering_on_the_page_then_a_second_visit_is_refused(client, questionnaire, sms_dir):
    call, link = linked_call()
    token = records.token(link)
    data = {f"item_{k}": str(v or 0) for k, v in ANSWERS.items()} | {"voc": "", "kind_case": "on"}
    response = client.post(url(token), data)
    assert response.status_code == 200
    call.refresh_from_db()
    assert call.mode == "web" and call.kind_report is not None
    second = client.get(url(token))
    assert second.status_code == 404
    unknown = client.get(url("A" * 22))

    # The same page, but for the address itself (the language form returns to it) and
    # the CSRF token, masked afresh on every page.
    def plain(response, token=token):
        text = response.content.decode().replace(token, "A" * 22)
        return re.sub(r'name="csrfmiddlewaretoken" value="[^"]*"', "", text)

    assert plain(second) == plain(unknown)


@pytest.mark.django_db
def test_a_missing_answer_keeps_the_form_with_a_message(client, questionnaire, sms_dir):
    call, link = linked_call()
    response = client.post(url(records.token(link)), {"item_speed": "5"})
    assert response.status_code == 400
    assert "survey-errors" in response.content.decode()
    call.refresh_from_db()
    assert call.status == Status.LINK


@pytest.mark.django_db
@pytest.mark.parametrize("path", ["/s/short/", "/s/" + "A" * 22 + "/", "/s/a/b/", "/s/", "/s/%00/"])
def test_unknown_and_malformed_links_get_the_same_404_page(client, path):
    response = client.get(path)
    assert response.status_code == 404
    assert "120" in response.content.decode()  # the centre's number
    assert response["Referrer-Policy"] == "no-referrer"


@pytest.mark.django_db
def test_expired_and_unsent_links_are_not_live(client, questionnaire, sms_dir):
    call, unsent = linked_call(phone="02-123-4567")  # a letter not yet printed
    assert client.get(url(records.token(unsent))).status_code == 404
    call, link = linked_call()
    SurveyLink.objects.filter(pk=link.pk).update(sent_on=TODAY - dt.timedelta(days=8))
    assert client.get(url(records.token(link))).status_code == 404


@pytest.mark.django_db
def test_only_failed_lookups_count_toward_the_limit(client, settings, questionnaire, sms_dir):
    settings.RATELIMIT_ENABLE = True
    settings.SURVEY_LINK_RATE = "3/h"
    from django.core.cache import cache

    cache.clear()
    call, link = linked_call()
    for _ in range(5):
        assert client.get(url(records.token(link))).status_code == 200
    for _ in range(3):
        assert client.get(url("B" * 22)).status_code == 404
    throttled = client.get(url(records.token(link)))
    assert throttled.status_code == 404
    cache.clear()


@pytest.mark.django_db
def test_rotating_the_token_key_voids_outstanding_links(client, settings, questionnaire, sms_dir):
    call, link = linked_call()
    token = records.token(link)
    settings.TOKEN_KEY = "rotated"
    assert client.get(url(token)).status_code == 404


# ---------------------------------------------------------------------------- the desk


@pytest.mark.django_db
def test_the_desk_sends_a_link_instead_of_calling(client, make_user, questionnaire, sms_dir):
    caller = make_agent(make_user)
    petition = make_petition()
    call = HappyCall.objects.create(
        petition=petition, department=petition.department, assigned_to=caller, queued_on=TODAY
    )
    client.force_login(caller)
    page = client.get(reverse("surveys:call", args=[call.pk])).content.decode()
    assert 'id="send-link"' in page and 'aria-keyshortcuts="L"' in page

    response = client.post(reverse("survey_links_staff:send", args=[call.pk]))

    assert response.status_code == 302
    call.refresh_from_db()
    assert call.status == Status.LINK and call.link.reason == "desk"
    again = client.post(reverse("survey_links_staff:send", args=[call.pk]))
    assert again.status_code == 302  # refused with a message: the call is no longer queued
    assert SurveyLink.objects.count() == 1


@pytest.mark.django_db
def test_somebody_elses_call_cannot_be_sent_a_link(make_user, sms_dir):
    caller, other = make_agent(make_user), make_agent(make_user)
    petition = make_petition()
    call = HappyCall.objects.create(
        petition=petition, department=petition.department, assigned_to=caller
    )
    with pytest.raises(NotYourCall):
        call_send_link(call=call, by=other)


@pytest.mark.django_db
def test_marking_and_unmarking_a_written_survey_keeps_history(client, make_user, sms_dir):
    caller = make_agent(make_user)
    petition = make_petition()
    call = HappyCall.objects.create(
        petition=petition, department=petition.department, assigned_to=caller, queued_on=TODAY
    )
    client.force_login(caller)
    contact = reverse("survey_links_staff:contact", args=[call.pk])

    client.post(contact, {"contact": "written"})
    call.refresh_from_db()
    assert call.status == Status.LINK and call.link.reason == "written"

    client.post(contact, {"contact": "phone"})
    call.refresh_from_db()
    assert (call.status, call.assigned_to, call.link.status) == (Status.QUEUED, caller, "closed")
    assert list(petition.contact_changes.values_list("contact", flat=True)) == ["written", "phone"]
    page = client.get(reverse("surveys:call", args=[call.pk])).content.decode()
    assert 'id="contact-history"' in page
    assert client.post(contact, {"contact": "fax"}).status_code == 302
    assert petition.contact_changes.count() == 2


@pytest.mark.django_db
def test_only_happy_call_staff_reach_the_link_pages(role_client):
    for role in (Role.MANAGER, Role.AUDITOR, Role.REPORT_OFFICER):
        assert role_client(role).get(reverse("survey_links_staff:letters")).status_code == 403


# ---------------------------------------------------------------------------- letters


@pytest.mark.django_db
def test_the_letters_page_prints_the_qr_code_and_address_without_the_name(
    client, make_user, sms_dir
):
    caller = make_agent(make_user)
    call, link = linked_call(phone="02-123-4567")
    client.force_login(caller)
    page = client.get(reverse("survey_links_staff:letters")).content.decode()
    assert "<svg" in page and records.link_url(link) in page
    assert call.petition.petition_no in page and call.department.name in page
    assert call.petition.petitioner_name not in page

    client.post(reverse("survey_links_staff:printed"), {"link": [link.pk]})
    link.refresh_from_db()
    assert (link.status, link.sent_on) == (LinkStatus.OPEN, TODAY)
    reprint = client.get(reverse("survey_links_staff:letters") + "?reprint=1").content.decode()
    assert records.link_url(link) in reprint


@pytest.mark.django_db
def test_a_message_the_outbox_gave_up_on_is_shown_to_staff(client, make_user, settings, sms_dir):
    caller = make_agent(make_user)
    call, link = linked_call()
    OutboxMessage.objects.filter(pk=link.message_id).update(
        failed_at=timezone.now(), last_error="SmsRejected: 400"
    )
    client.force_login(caller)
    page = client.get(reverse("survey_links_staff:letters")).content.decode()
    assert "SmsRejected: 400" in page and call.petition.petition_no in page


# ---------------------------------------------------------------------------- dashboard


@pytest.mark.django_db
def test_the_dashboard_compares_modes_and_leaves_links_out_of_the_aapor_rates(
    client, make_user, questionnaire, sms_dir
):
    caller = make_agent(make_user)
    web_call, link = linked_call()
    outbox_deliver()
    survey_link_answer(link=link, answers=ANSWERS)
    _pending_call, _pending = linked_call()
    outbox_deliver()
    petition = make_petition()
    phone_call = HappyCall.objects.create(
        petition=petition, department=petition.department, assigned_to=caller
    )
    happy_call_complete(call=phone_call, by=caller, answers={**ANSWERS, "speed": 1})

    f = DashboardFilter(start=TODAY, end=TODAY)
    assert dashboard(f, today=TODAY).total.complete == 1  # phone only
    modes = selectors.mode_comparison(f)
    phone, web = modes.rows
    assert (phone.completed, web.completed, web.sent) == (1, 1, 2)
    assert web.response_rate == 0.5
    assert web.mean_days == 1  # make_petition: completed yesterday
    speed = next(i for i in modes.items if i.key == "speed")
    assert (speed.phone[0], speed.web[0]) == (1, 5)

    manager = make_user(Role.MANAGER)
    client.force_login(manager)
    page = client.get(reverse("surveys:dashboard")).content.decode()
    assert 'id="mode-web"' in page and "50.0%" in page


# ---------------------------------------------------------------------------- imports


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


@pytest.mark.django_db
def test_the_form_posts_with_a_null_origin_and_the_page_switches_to_english(questionnaire, sms_dir):
    from django.test import Client

    call, link = linked_call()
    browser = Client(enforce_csrf_checks=True)
    english = browser.get(url(records.token(link)) + "?lang=en")
    assert "How was your petition handled?" in english.content.decode()
    assert browser.cookies["django_language"].value == "en"
    data = {f"item_{k}": str(v or 0) for k, v in ANSWERS.items()}
    response = browser.post(url(records.token(link)), data, headers={"Origin": "null"})
    assert response.status_code == 200
    call.refresh_from_db()
    assert call.mode == "web"


@pytest.mark.django_db
def test_somebody_elses_petitioner_cannot_be_marked(client, make_user, sms_dir):
    caller, other = make_agent(make_user), make_agent(make_user)
    petition = make_petition()
    call = HappyCall.objects.create(
        petition=petition, department=petition.department, assigned_to=caller, queued_on=TODAY
    )
    client.force_login(other)
    client.post(reverse("survey_links_staff:contact", args=[call.pk]), {"contact": "written"})
    petition.refresh_from_db()
    assert petition.contact == "phone" and not petition.contact_changes.exists()


@pytest.mark.services
@pytest.mark.django_db(transaction=True)
# Skipped before the database is set up: a transactional test ends with a flush.
@pytest.mark.skipif(
    not (using_postgresql() or REQUIRE_SERVICES), reason="row locks need PostgreSQL (DATABASE_URL)"
)
def test_a_link_answered_in_two_tabs_and_at_the_desk_at_once_is_answered_once(
    make_user, settings, tmp_path
):
    require_service(using_postgresql(), "row locks need PostgreSQL (DATABASE_URL)")
    survey_defaults_ensure()
    settings.SMS_URL = f"file://{tmp_path}"
    caller = make_agent(make_user)
    call, link = linked_call()
    barrier = threading.Barrier(3)
    outcomes: list[str] = []

    def by_link():
        barrier.wait()
        try:
            survey_link_answer(link=SurveyLink.objects.get(pk=link.pk), answers=ANSWERS)
            outcomes.append("web")
        except LinkNotLive:
            outcomes.append("refused")
        finally:
            connection.close()

    def at_desk():
        barrier.wait()
        try:
            happy_call_complete(call=HappyCall.objects.get(pk=call.pk), by=caller, answers=ANSWERS)
            outcomes.append("phone")
        except CallClosed:
            outcomes.append("refused")
        finally:
            connection.close()

    threads = [threading.Thread(target=f) for f in (by_link, by_link, at_desk)]
    for t in threads:
        t.start()
    for t in threads:
        t.join()

    assert outcomes.count("refused") == 2
    assert HappyCallAnswer.objects.filter(call=call).count() == 5
