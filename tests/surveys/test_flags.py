"""surveys.flags.happy_call_raise_reports: a happy-call's kindness and unkindness flags open
received reports in the report centre, linked back to the call, once."""

from __future__ import annotations

import datetime as dt

import pytest

from complaints.models import Report, ReportEvent
from surveys.flags import happy_call_raise_reports
from surveys.models import Channel, HappyCall
from tests.factories import HappyCallFactory, OfficialFactory

pytestmark = pytest.mark.django_db


@pytest.fixture
def official():
    return OfficialFactory(name="김친절")


def make_call(official, *, channel=Channel.PHONE, voc="", kind=False, unkind=False, **extra):
    return HappyCallFactory(
        petition__department=official.department,
        petition__official=official,
        petition__petitioner_name="홍길동",
        petition__petitioner_phone="010-1234-5678",
        petition__received_on=dt.date(2025, 3, 2),
        petition__completed_on=dt.date(2025, 3, 5),
        petition__channel=channel,
        status=HappyCall.Status.COMPLETED,
        answered_on=dt.date(2025, 3, 10),
        voc=voc,
        kind_case=kind,
        unkind_case=unkind,
        **extra,
    )


def test_an_unkindness_flag_opens_a_received_happy_call_report_linked_to_the_call(official):
    voc = "전화를 중간에 끊어 버려서 매우 불쾌했습니다"
    call = make_call(official, voc=voc, unkind=True)

    [report] = happy_call_raise_reports(call=call)

    call.refresh_from_db()
    assert call.unkind_report == report and call.kind_report is None
    assert report.kind == Report.Kind.UNKIND
    assert report.source == Report.Source.HAPPY_CALL
    assert report.status == Report.Status.RECEIVED
    assert (report.department, report.official, report.official_name) == (
        official.department,
        official,
        "김친절",
    )
    assert report.incident_on == dt.date(2025, 3, 5)
    assert report.channel == Report.Channel.PHONE
    assert report.text == voc
    assert (report.reporter_name, report.reporter_phone) == ("홍길동", "010-1234-5678")
    assert report.events.filter(action=ReportEvent.Action.RECEIVED).exists()


def test_both_flags_open_a_praise_and_an_unkindness_report(official):
    call = make_call(official, kind=True, unkind=True)

    reports = happy_call_raise_reports(call=call)

    assert sorted(r.kind for r in reports) == [Report.Kind.PRAISE, Report.Kind.UNKIND]
    call.refresh_from_db()
    assert call.kind_report.kind == Report.Kind.PRAISE
    assert call.unkind_report.kind == Report.Kind.UNKIND
    assert call.kind_report.receipt_no != call.unkind_report.receipt_no


def test_raising_twice_opens_no_second_report(official):
    call = make_call(official, kind=True)

    first = happy_call_raise_reports(call=call)
    again = happy_call_raise_reports(call=call)

    assert len(first) == 1 and again == []
    assert Report.objects.count() == 1


def test_a_flag_added_later_raises_only_the_missing_report(official):
    call = make_call(official, kind=True)
    happy_call_raise_reports(call=call)
    HappyCall.objects.filter(pk=call.pk).update(unkind_case=True)

    [report] = happy_call_raise_reports(call=call)

    assert report.kind == Report.Kind.UNKIND
    assert Report.objects.count() == 2


def test_a_call_without_flags_raises_nothing(official):
    assert happy_call_raise_reports(call=make_call(official, voc="친절했습니다 감사합니다")) == []
    assert not Report.objects.exists()


def test_a_short_voice_of_the_customer_gives_way_to_a_sentence_naming_the_petition(official):
    call = make_call(official, voc="불친절", unkind=True)

    [report] = happy_call_raise_reports(call=call)

    assert call.petition.petition_no in report.text
    assert len(report.text) >= 10


def test_a_mailed_petition_is_reported_as_online(official):
    call = make_call(official, channel=Channel.MAIL, kind=True)
    [report] = happy_call_raise_reports(call=call)
    assert report.channel == Report.Channel.ONLINE


def test_a_call_without_an_official_reports_the_department_only(official):
    call = make_call(official, unkind=True)
    HappyCall.objects.filter(pk=call.pk).update(official=None)

    [report] = happy_call_raise_reports(call=call)

    assert report.official is None and report.official_name == ""
    assert report.department == official.department


def test_the_staff_member_who_raised_it_is_in_the_case_history(official, make_user):
    agent = make_user()
    call = make_call(official, unkind=True)

    [report] = happy_call_raise_reports(call=call, by=agent)

    assert report.events.get(action=ReportEvent.Action.RECEIVED).by == agent
