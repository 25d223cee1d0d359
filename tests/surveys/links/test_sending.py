"""Survey links: the rules, the share taken from the phone queue, sending, the reminder and
expiry back to the phone queue or closed as written."""

from __future__ import annotations

import datetime as dt

import pytest
from django.core.management import call_command
from django.utils import timezone

from kindness.models import OutboxMessage
from kindness.outbox import outbox_deliver
from surveys.links import records, rules, selectors
from surveys.links.services import letters_mark_printed, survey_links_send
from surveys.models import CallAttempt, HappyCall, Petition, SurveyLink
from surveys.services import call_attempt_record, call_queue_build
from tests.surveys.links.helpers import TODAY, LinkStatus, Status, linked_call, token_in
from tests.surveys.test_queue import make_agent, make_petition, set_rules

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
