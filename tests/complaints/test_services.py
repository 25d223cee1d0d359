"""Every write of the report centre (SPEC section 3): each transition allowed, forbidden
(TransitionError, nothing written) and repeated (nothing more written), the department
stored at the decision, the follow-up deadlines, receipts and encouragement."""

from __future__ import annotations

import datetime as dt

import pytest
from django.db import transaction
from django.utils import timezone

from complaints import services
from complaints.models import Encouragement, MeritRecord, Report, ReportEvent
from complaints.services import TransitionError
from kindness import numbering
from kindness.models import NumberSequence, OutboxMessage, ProgrammeSettings
from kindness.roles import Role
from tests.factories import DepartmentFactory, OfficialFactory, ReportFactory

pytestmark = pytest.mark.django_db

Status = Report.Status
Action = ReportEvent.Action
TODAY = timezone.localdate


@pytest.fixture
def officer(make_user):
    return make_user(Role.REPORT_OFFICER, email="officer@city.example")


@pytest.fixture
def official():
    return OfficialFactory(name="김친절")


def submit(kind: str = "unkind", *, official=None, department=None, email: str = "", **extra):
    department = department or (official.department if official else DepartmentFactory())
    return services.report_submit(
        kind=kind,
        department=department,
        official_name=official.name if official else "",
        official=official,
        incident_on=TODAY(),
        channel=Report.Channel.PHONE,
        text="  전화로 문의했는데 설명 없이 끊었습니다.  ",
        reporter_name=" 홍길동 ",
        reporter_phone="010-1234-5678",
        reporter_email=email,
        **extra,
    )


def events(report: Report) -> list[str]:
    return list(report.events.values_list("action", flat=True))


def under_review(official, officer) -> Report:
    report = submit(official=official).report
    return services.report_start_review(report=report, by=officer)


def substantiated(official, officer) -> Report:
    return services.report_substantiate(
        report=under_review(official, officer),
        by=officer,
        reason="통화 기록으로 확인됨",
        summary="전화 응대 중 설명 없이 통화를 끊은 사례",
    )


def with_measure(official, officer) -> Report:
    return services.report_record_measure(
        report=substantiated(official, officer), by=officer, text="부서 친절 교육을 실시함"
    )


# ---------------------------------------------------------------------------- receipts


def test_receipt_numbers_are_sequential_in_this_years_sequence_from_one():
    year = TODAY().year

    numbers = [submit().report.receipt_no for _ in range(3)]

    assert numbers == [f"R-{year}-000001", f"R-{year}-000002", f"R-{year}-000003"]


def test_each_year_has_its_own_sequence_starting_at_one():
    with transaction.atomic():
        given = [
            services.receipt_no_next(year=2024),
            services.receipt_no_next(year=2024),
            services.receipt_no_next(year=2025),
        ]

    assert given == ["R-2024-000001", "R-2024-000002", "R-2025-000001"]


def test_a_submission_rolled_back_gives_its_number_back():
    with pytest.raises(RuntimeError), transaction.atomic():
        submit()
        raise RuntimeError("the request failed after the report was written")

    assert not Report.objects.exists()
    assert submit().report.receipt_no == f"R-{TODAY().year}-000001"


def test_the_counter_moves_past_an_imported_number_but_never_back():
    with transaction.atomic():
        numbering.number_advance(prefix=numbering.RECEIPT, year=2025, number=260)
        numbering.number_advance(prefix=numbering.RECEIPT, year=2025, number=12)

    assert NumberSequence.objects.filter(prefix="R").get(year=2025).last == 260
    with transaction.atomic():
        assert services.receipt_no_next(year=2025) == "R-2025-000261"


# ---------------------------------------------------------------------------- intake


def test_submission_stores_the_report_history_and_notifications_in_one_go(officer, official):
    submission = submit(official=official, email="resident@example.com")
    report = submission.report

    assert report.status == Status.RECEIVED
    assert report.text == "전화로 문의했는데 설명 없이 끊었습니다."
    assert report.reporter_name == "홍길동"
    assert report.consent_at is not None
    assert events(report) == [Action.RECEIVED]
    assert set(
        OutboxMessage.objects.filter(related=f"report:{report.pk}").values_list("to", flat=True)
    ) == {
        "resident@example.com",
        "officer@city.example",
    }
    receipt = OutboxMessage.objects.get(to="resident@example.com")
    assert report.receipt_no in receipt.subject
    assert submission.secret not in receipt.body


def test_the_tracking_secret_finds_the_report_and_a_wrong_one_does_not():
    submission = submit()
    number = submission.report.receipt_no

    assert (
        services.report_find_for_tracking(receipt_no=number, secret=submission.secret)
        == submission.report
    )
    assert services.report_find_for_tracking(
        receipt_no=number.lower(), secret=submission.secret.lower()
    )
    assert services.report_find_for_tracking(receipt_no=number, secret="WRONGWRONG") is None
    assert (
        services.report_find_for_tracking(receipt_no="R-1999-000001", secret=submission.secret)
        is None
    )


# ---------------------------------------------------------------------------- praise


def test_verifying_praise_gives_an_incentive_and_stores_the_officials_department(officer, official):
    report = submit("praise", official=official).report

    report = services.report_verify(report=report, by=officer, note="기록 확인")

    assert report.status == Status.VERIFIED
    assert report.decided_on == TODAY()
    assert report.ended_at is not None
    assert report.handler == officer
    assert report.decided_department == official.department
    merit = MeritRecord.objects.get(report=report)
    assert (merit.kind, merit.official, merit.department, merit.on) == (
        MeritRecord.Kind.INCENTIVE,
        official,
        official.department,
        TODAY(),
    )
    event = report.events.get(action=Action.VERIFIED)
    assert (event.by, event.from_status, event.to_status, event.note) == (
        officer,
        Status.RECEIVED,
        Status.VERIFIED,
        "기록 확인",
    )


def test_praise_under_review_can_be_verified(officer, official):
    report = submit("praise", official=official).report
    report = services.report_start_review(report=report, by=officer)

    report = services.report_verify(report=report, by=officer)

    assert report.status == Status.VERIFIED
    assert MeritRecord.objects.filter(report=report).exists()


def test_the_verified_report_keeps_the_department_when_the_official_transfers(officer, official):
    before = official.department
    report = services.report_verify(report=submit("praise", official=official).report, by=officer)

    official.department = DepartmentFactory(name="전출과")
    official.save()

    report.refresh_from_db()
    assert report.decided_department == before
    assert report.scored_department == before
    assert MeritRecord.objects.get(report=report).department == before


def test_verification_uses_the_officials_department_not_the_one_the_resident_named(
    officer, official
):
    named = DepartmentFactory(name="잘못고른과")
    report = submit("praise", official=official, department=named).report

    report = services.report_verify(report=report, by=officer)

    assert report.department == named
    assert report.decided_department == official.department


def test_praise_without_a_matched_official_counts_for_the_named_department_only(officer):
    report = submit("praise").report

    report = services.report_verify(report=report, by=officer)

    assert report.decided_department == report.department
    assert not MeritRecord.objects.exists()


def test_verifying_twice_writes_no_second_event_or_incentive(officer, official):
    report = submit("praise", official=official).report
    services.report_verify(report=report, by=officer)

    again = services.report_verify(report=report, by=officer)

    assert again.status == Status.VERIFIED
    assert events(report).count(Action.VERIFIED) == 1
    assert MeritRecord.objects.count() == 1


def test_sharing_puts_the_edited_text_on_the_board_and_repeating_it_changes_nothing(
    officer, official
):
    report = services.report_verify(report=submit("praise", official=official).report, by=officer)

    services.report_share(report=report, by=officer, public_text="  친절하게 안내해 주셨습니다.  ")
    report = services.report_share(
        report=report, by=officer, public_text="친절하게 안내해 주셨습니다."
    )

    assert report.status == Status.SHARED
    assert report.public_text == "친절하게 안내해 주셨습니다."
    assert events(report).count(Action.SHARED) == 1
    assert Report.objects.shared_praise().get() == report


def test_shared_praise_may_have_its_board_text_corrected(officer, official):
    report = services.report_verify(report=submit("praise", official=official).report, by=officer)
    services.report_share(report=report, by=officer, public_text="친절하게 안내해 주셨습니다.")

    report = services.report_share(
        report=report, by=officer, public_text="끝까지 친절하게 도와주셨습니다."
    )

    assert report.public_text == "끝까지 친절하게 도와주셨습니다."


def test_sharing_needs_board_text_of_ten_characters(officer, official):
    report = services.report_verify(report=submit("praise", official=official).report, by=officer)

    with pytest.raises(TransitionError):
        services.report_share(report=report, by=officer, public_text="고마워요")

    report.refresh_from_db()
    assert report.status == Status.VERIFIED


def test_rejecting_praise_needs_a_reason_and_happens_once(officer):
    report = submit("praise").report
    with pytest.raises(TransitionError):
        services.report_reject(report=report, by=officer, reason="  ")

    services.report_reject(report=report, by=officer, reason="확인되지 않음")
    report = services.report_reject(report=report, by=officer, reason="확인되지 않음")

    assert report.status == Status.REJECTED
    assert report.ended_at is not None
    assert events(report).count(Action.REJECTED) == 1
    assert not MeritRecord.objects.exists()


# ---------------------------------------------------------------------------- unkindness


def test_review_tells_the_official_concerned_who_may_give_an_account(officer, official, make_user):
    make_user(official=official, email="official@city.example")

    report = under_review(official, officer)

    assert report.status == Status.UNDER_REVIEW
    assert report.handler == officer
    assert events(report) == [Action.RECEIVED, Action.REVIEW_STARTED, Action.OFFICIAL_TOLD]
    assert OutboxMessage.objects.filter(to="official@city.example").exists()
    # Nothing is published or penalised before the decision.
    assert not MeritRecord.objects.exists()
    assert report.published_summary == ""


def test_starting_review_twice_writes_one_event(officer, official):
    report = under_review(official, officer)

    services.report_start_review(report=report, by=officer)

    assert events(report).count(Action.REVIEW_STARTED) == 1


def test_the_officials_account_is_recorded_once_during_review(officer, official):
    report = under_review(official, officer)

    services.report_record_reply(report=report, by=officer, text="바빠서 설명이 부족했습니다.")
    services.report_record_reply(report=report, by=officer, text="바빠서 설명이 부족했습니다.")

    assert list(report.events.filter(action=Action.REPLY).values_list("note", flat=True)) == [
        "바빠서 설명이 부족했습니다."
    ]
    with pytest.raises(TransitionError):
        services.report_record_reply(report=report, by=officer, text=" ")


def test_substantiating_gives_a_penalty_and_a_measure_deadline_of_seven_days(
    officer, official, make_user
):
    make_user(
        Role.DEPARTMENT_HEAD,
        official=OfficialFactory(department=official.department),
        email="head@city.example",
    )

    report = substantiated(official, officer)

    assert report.status == Status.SUBSTANTIATED
    assert report.decided_on == TODAY()
    assert report.measure_due_on == TODAY() + dt.timedelta(days=7)
    assert report.decided_department == official.department
    assert report.published_summary == "전화 응대 중 설명 없이 통화를 끊은 사례"
    assert report.ended_at is None
    merit = MeritRecord.objects.get(report=report)
    assert (merit.kind, merit.official, merit.department) == (
        MeritRecord.Kind.PENALTY,
        official,
        official.department,
    )
    assert OutboxMessage.objects.filter(
        to="head@city.example", related=f"report:{report.pk}"
    ).exists()
    assert Report.objects.substantiated().get() == report


def test_the_measure_deadline_follows_the_programme_setting(officer, official):
    rules = ProgrammeSettings.load()
    rules.measure_deadline_days = 10
    rules.save()

    report = substantiated(official, officer)

    assert report.measure_due_on == TODAY() + dt.timedelta(days=10)


def test_the_substantiated_report_keeps_the_department_when_the_official_transfers(
    officer, official
):
    before = official.department
    report = substantiated(official, officer)

    official.department = DepartmentFactory()
    official.save()

    report.refresh_from_db()
    assert report.decided_department == before
    assert MeritRecord.objects.get(report=report).department == before


def test_substantiating_twice_writes_no_second_event_or_penalty(officer, official):
    report = substantiated(official, officer)

    services.report_substantiate(
        report=report, by=officer, reason="다시", summary="다시 요약한 사례입니다"
    )

    report.refresh_from_db()
    assert report.published_summary == "전화 응대 중 설명 없이 통화를 끊은 사례"
    assert events(report).count(Action.SUBSTANTIATED) == 1
    assert MeritRecord.objects.count() == 1


def test_substantiating_needs_a_reason_and_an_anonymised_summary(officer, official):
    report = under_review(official, officer)

    with pytest.raises(TransitionError):
        services.report_substantiate(
            report=report, by=officer, reason="", summary="충분히 긴 요약입니다"
        )
    with pytest.raises(TransitionError):
        services.report_substantiate(report=report, by=officer, reason="확인됨", summary="짧음")

    report.refresh_from_db()
    assert report.status == Status.UNDER_REVIEW
    assert not MeritRecord.objects.exists()


def test_not_substantiating_ends_the_case_without_a_penalty_once(officer, official):
    report = under_review(official, officer)

    services.report_not_substantiate(report=report, by=officer, reason="확인되지 않음")
    report = services.report_not_substantiate(report=report, by=officer, reason="확인되지 않음")

    assert report.status == Status.NOT_SUBSTANTIATED
    assert report.ended_at is not None
    assert report.decided_department == official.department
    assert events(report).count(Action.NOT_SUBSTANTIATED) == 1
    assert not MeritRecord.objects.exists()


@pytest.mark.parametrize("start_review", [False, True], ids=["received", "under_review"])
def test_a_report_can_be_withdrawn_before_the_decision_once(officer, official, start_review):
    report = submit(official=official).report
    if start_review:
        services.report_start_review(report=report, by=officer)

    services.report_withdraw(report=report, by=officer, reason="민원인이 취하함")
    report = services.report_withdraw(report=report, by=officer, reason="민원인이 취하함")

    assert report.status == Status.WITHDRAWN
    assert report.ended_at is not None
    assert events(report).count(Action.WITHDRAWN) == 1


def test_the_measure_sets_the_apology_deadline_three_days_later_and_is_recorded_once(
    officer, official
):
    report = with_measure(official, officer)

    again = services.report_record_measure(
        report=report, by=officer, text="부서 친절 교육을 실시함"
    )

    assert again.measure_text == "부서 친절 교육을 실시함"
    assert again.measure_by == officer
    assert again.apology_due_on == TODAY() + dt.timedelta(days=3)
    assert again.status == Status.SUBSTANTIATED
    assert events(report).count(Action.MEASURE) == 1
    with pytest.raises(TransitionError):
        services.report_record_measure(report=report, by=officer, text="다른 조치를 또 기록함")


def test_the_apology_call_after_the_measure_closes_the_case_once(officer, official):
    report = with_measure(official, officer)
    yesterday = TODAY() - dt.timedelta(days=1)

    services.report_record_apology(
        report=report, by=officer, called_on=yesterday, caller="박과장", outcome="사과 수용"
    )
    report = services.report_record_apology(
        report=report, by=officer, called_on=yesterday, caller="박과장", outcome="사과 수용"
    )

    assert report.status == Status.CLOSED
    assert (report.apology_called_on, report.apology_caller, report.apology_outcome) == (
        yesterday,
        "박과장",
        "사과 수용",
    )
    assert report.ended_at is not None
    assert events(report)[-2:] == [Action.APOLOGY, Action.CLOSED]
    assert events(report).count(Action.CLOSED) == 1
    # A closed case still counts (SPEC section 5) and keeps its single penalty.
    assert Report.objects.substantiated().get() == report
    assert MeritRecord.objects.count() == 1


def test_the_apology_call_before_the_measure_is_refused(officer, official):
    report = substantiated(official, officer)

    with pytest.raises(TransitionError):
        services.report_record_apology(
            report=report, by=officer, called_on=TODAY(), caller="박과장", outcome="사과 수용"
        )

    report.refresh_from_db()
    assert report.status == Status.SUBSTANTIATED
    assert report.apology_called_on is None
    assert Action.APOLOGY not in events(report)


def test_the_apology_call_cannot_be_dated_in_the_future_or_lack_its_caller(officer, official):
    report = with_measure(official, officer)

    with pytest.raises(TransitionError):
        services.report_record_apology(
            report=report,
            by=officer,
            called_on=TODAY() + dt.timedelta(days=1),
            caller="박과장",
            outcome="사과",
        )
    with pytest.raises(TransitionError):
        services.report_record_apology(
            report=report, by=officer, called_on=TODAY(), caller=" ", outcome="사과"
        )

    report.refresh_from_db()
    assert report.status == Status.SUBSTANTIATED


# ---------------------------------------------------------------------------- matching


def test_staff_match_the_official_until_the_decision(officer, official):
    report = submit().report

    services.report_match_official(report=report, official=official, by=officer)
    services.report_match_official(report=report, official=official, by=officer)

    report.refresh_from_db()
    assert report.official == official
    assert events(report).count(Action.MATCHED) == 1
    services.report_start_review(report=report, by=officer)
    services.report_not_substantiate(report=report, by=officer, reason="확인되지 않음")
    with pytest.raises(TransitionError):
        services.report_match_official(report=report, official=OfficialFactory(), by=officer)
    report.refresh_from_db()
    assert report.official == official


# ---------------------------------------------------------------------------- forbidden


def _call(name: str, report: Report, by) -> Report:
    arguments = {
        "start_review": {},
        "verify": {},
        "share": {"public_text": "친절하게 안내해 주셨습니다."},
        "reject": {"reason": "확인되지 않음"},
        "reply": {"text": "설명이 부족했습니다."},
        "substantiate": {"reason": "확인됨", "summary": "설명 없이 통화를 끊은 사례"},
        "not_substantiate": {"reason": "확인되지 않음"},
        "withdraw": {"reason": "취하함"},
        "measure": {"text": "부서 친절 교육을 실시함"},
        "apology": {"called_on": TODAY(), "caller": "박과장", "outcome": "사과 수용"},
    }[name]
    function = {
        "reply": services.report_record_reply,
        "measure": services.report_record_measure,
        "apology": services.report_record_apology,
    }.get(name) or getattr(services, f"report_{name}")
    return function(report=report, by=by, **arguments)


FORBIDDEN = [
    ("verify", "unkind", Status.RECEIVED),
    ("verify", "praise", Status.REJECTED),
    ("share", "praise", Status.RECEIVED),
    ("share", "unkind", Status.UNDER_REVIEW),
    ("reject", "praise", Status.VERIFIED),
    ("reject", "unkind", Status.RECEIVED),
    ("start_review", "praise", Status.VERIFIED),
    ("start_review", "unkind", Status.SUBSTANTIATED),
    ("start_review", "unkind", Status.WITHDRAWN),
    ("reply", "unkind", Status.RECEIVED),
    ("reply", "praise", Status.UNDER_REVIEW),
    ("substantiate", "unkind", Status.RECEIVED),
    ("substantiate", "unkind", Status.NOT_SUBSTANTIATED),
    ("substantiate", "praise", Status.UNDER_REVIEW),
    ("not_substantiate", "unkind", Status.RECEIVED),
    ("not_substantiate", "unkind", Status.SUBSTANTIATED),
    ("withdraw", "unkind", Status.SUBSTANTIATED),
    ("withdraw", "unkind", Status.CLOSED),
    ("withdraw", "praise", Status.RECEIVED),
    ("measure", "unkind", Status.UNDER_REVIEW),
    ("measure", "unkind", Status.NOT_SUBSTANTIATED),
    ("apology", "unkind", Status.SUBSTANTIATED),
    ("apology", "unkind", Status.WITHDRAWN),
]


@pytest.mark.parametrize(("transition", "kind", "status"), FORBIDDEN, ids=lambda v: str(v))
def test_a_transition_the_state_does_not_allow_is_refused_and_writes_nothing(
    officer, official, transition, kind, status
):
    report = ReportFactory(
        kind=kind, status=status, official=official, department=official.department
    )
    before = Report.objects.filter(pk=report.pk).values().get()

    with pytest.raises(TransitionError) as refused:
        _call(transition, report, officer)

    assert str(refused.value)
    assert Report.objects.filter(pk=report.pk).values().get() == before
    assert not report.events.exists()
    assert not MeritRecord.objects.exists()
    assert not OutboxMessage.objects.exists()


# ---------------------------------------------------------------------------- encouragement


def test_encouragement_is_recorded_once_a_year(make_user, official):
    head = make_user(Role.BUREAU_HEAD)
    year = TODAY().year

    first = services.encouragement_record(
        official=official, year=year, on=TODAY(), note="격려함", by=head
    )
    again = services.encouragement_record(
        official=official, year=year, on=TODAY(), note="다시", by=head
    )

    assert again == first
    assert Encouragement.objects.get().note == "격려함"
    with pytest.raises(TransitionError):
        services.encouragement_record(
            official=official, year=year + 1, on=TODAY() + dt.timedelta(days=1), note="", by=head
        )
