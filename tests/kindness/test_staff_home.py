"""The staff home as data (issue 13 item 4): each role sees its own links, filtered by role
and permission, and the counts of the work waiting for it, each linking to a list that holds
exactly that many rows (issue 15 item 3)."""

from __future__ import annotations

import datetime as dt
import re
from decimal import Decimal

import pytest
from django.utils import timezone

from complaints.models import Report, ReportEvent
from kindness.models import ImportBatch
from kindness.roles import ROLE_PERMISSIONS, Role
from kindness.staff_home import registered
from scoring import services as scoring_services
from scoring.models import DepartmentScore, Period, RankingRun
from surveys.models import HappyCall
from tests.factories import DepartmentFactory, OfficialFactory, ReportFactory
from tests.surveys.test_queue import make_petition

Status = Report.Status

pytestmark = pytest.mark.django_db


def work(html: str) -> dict[str, tuple[str, int]]:
    """The counted entries of a staff home: key -> (link, count)."""
    found = re.findall(
        r'<li data-key="([^"]+)"><a href="([^"]+)">[^<]*<strong class="count">(\d+)</strong>',
        html,
    )
    return {key: (href.replace("&amp;", "&"), int(n)) for key, href, n in found}


def keys(html: str) -> set[str]:
    return set(re.findall(r'data-key="([^"]+)"', html))


def listed(client, url: str) -> int:
    """How many rows the linked list holds."""
    response = client.get(url)
    assert response.status_code == 200
    return response.context["page"].paginator.count


def test_report_officer_home_counts_new_mine_awaiting_account_and_overdue(role_client):
    client = role_client(Role.REPORT_OFFICER)
    me = client.user
    today = timezone.localdate()
    ReportFactory.create_batch(2, status=Status.RECEIVED)
    mine = ReportFactory(status=Status.UNDER_REVIEW, handler=me)
    answered = ReportFactory(status=Status.UNDER_REVIEW)
    ReportEvent.objects.create(report=answered, action=ReportEvent.Action.REPLY, note="소명")
    ReportFactory(
        status=Status.SUBSTANTIATED,
        handler=me,
        measure_due_on=today - dt.timedelta(days=1),
        decided_on=today - dt.timedelta(days=8),
    )
    ReportFactory(status=Status.CLOSED, handler=me)

    html = client.get("/staff/").content.decode()
    counts = work(html)
    assert counts["complaints.new"] == ("/staff/reports/?show=new", 2)
    assert counts["complaints.mine"] == ("/staff/reports/?show=mine", 2)
    assert counts["complaints.awaiting-reply"] == ("/staff/reports/?show=awaiting_reply", 1)
    assert counts["complaints.overdue"] == ("/staff/reports/?show=overdue", 1)
    for url, n in counts.values():
        assert listed(client, url) == n
    mine_list = client.get("/staff/reports/?show=mine").content.decode()
    assert mine.receipt_no in mine_list and answered.receipt_no not in mine_list


def test_department_head_home_counts_only_their_department_and_shows_its_rank(role_client):
    own, other = DepartmentFactory(name="민원봉사과"), DepartmentFactory(name="도로과")
    client = role_client(Role.DEPARTMENT_HEAD, official=OfficialFactory(department=own))
    today = timezone.localdate()
    late = today - dt.timedelta(days=2)
    for department in (own, own, other):
        ReportFactory(
            status=Status.SUBSTANTIATED,
            department=department,
            decided_department=department,
            measure_due_on=late,
        )
    ReportFactory(
        status=Status.SUBSTANTIATED,
        department=own,
        decided_department=own,
        measure_due_on=today + dt.timedelta(days=3),
    )
    period = scoring_services.period_create(code="2025-H1")
    run = RankingRun.objects.create(
        period=period,
        number=1,
        status=RankingRun.Status.PUBLISHED,
        trigger=RankingRun.Trigger.COMMAND,
        rule_set=period.rule_set,
        published_at=timezone.now(),
    )
    for position, (department, rank, score) in enumerate(
        [(other, 1, "90.10"), (own, 2, "81.50")], start=1
    ):
        DepartmentScore.objects.create(
            run=run,
            department=department,
            bureau=department.bureau,
            code=department.code,
            name=department.name,
            bureau_name=department.bureau.name,
            rank=rank,
            score=Decimal(score),
            base=float(score),
            bonus=Decimal(0),
            deduction=Decimal(0),
            position=position,
        )

    html = client.get("/staff/").content.decode()
    counts = work(html)
    assert counts["complaints.head-overdue"] == ("/staff/reports/?show=overdue", 2)
    assert counts["complaints.head-action"] == ("/staff/reports/?show=action", 3)
    for url, n in counts.values():
        assert listed(client, url) == n
    why = f'href="/rankings/2025-H1/departments/{own.code}/"'
    assert why in html and "2개 중 2위 · 점수 81.50" in html
    assert f"/rankings/2025-H1/departments/{other.code}/" not in html


def test_bureau_head_home_counts_praised_officials_awaiting_encouragement(role_client):
    own = DepartmentFactory()
    praised = OfficialFactory(department=DepartmentFactory(bureau=own.bureau))
    elsewhere = OfficialFactory()
    today = timezone.localdate()
    for official in (praised, praised, elsewhere, elsewhere):
        ReportFactory(
            kind=Report.Kind.PRAISE,
            status=Status.VERIFIED,
            official=official,
            department=official.department,
            decided_on=today,
        )
    client = role_client(Role.BUREAU_HEAD, official=OfficialFactory(department=own))
    counts = work(client.get("/staff/").content.decode())
    assert counts["complaints.encouragement-due"] == ("/staff/encouragement/?show=due", 1)
    # The list is filtered to them: an official already encouraged is left out.
    assert len(client.get("/staff/encouragement/?show=due").context["candidates"]) == 1
    second = OfficialFactory(department=praised.department)
    for _ in range(2):
        ReportFactory(
            kind=Report.Kind.PRAISE,
            status=Status.VERIFIED,
            official=second,
            department=second.department,
            decided_on=today,
        )
    response = client.post(
        f"/staff/encouragement/?year={today.year}",
        {"official": second.pk, "on": today.isoformat(), "note": "격려"},
    )
    assert response.status_code == 302, response.content.decode()[:2000]
    counts = work(client.get("/staff/").content.decode())
    assert counts["complaints.encouragement-due"][1] == 1
    assert len(client.get("/staff/encouragement/").context["candidates"]) == 2
    due = client.get("/staff/encouragement/?show=due")
    assert [o.pk for o in due.context["candidates"]] == [praised.pk]
    assert 'id="active-filter"' in due.content.decode()


def test_happy_call_home_counts_my_queue_done_today_and_backlog(role_client):
    client = role_client(Role.HAPPY_CALL)
    me, today = client.user, timezone.localdate()
    for assigned, queued_on in [(me, today), (me, today - dt.timedelta(days=2)), (None, None)]:
        petition = make_petition()
        HappyCall.objects.create(
            petition=petition,
            department=petition.department,
            assigned_to=assigned,
            queued_on=queued_on or today - dt.timedelta(days=1),
        )
    petition = make_petition()
    HappyCall.objects.create(
        petition=petition,
        department=petition.department,
        status=HappyCall.Status.COMPLETED,
        answered_by=me,
        answered_on=today,
        queued_on=today,
    )
    counts = work(client.get("/staff/").content.decode())
    assert counts["surveys.my-queue"] == ("/staff/calls/", 2)
    assert counts["surveys.done-today"] == ("/staff/calls/list/?show=done_today", 1)
    assert counts["surveys.backlog"] == ("/staff/calls/list/?show=backlog", 2)
    # Each links to a list of exactly that many calls.
    assert listed(client, "/staff/calls/list/?show=done_today") == 1
    assert listed(client, "/staff/calls/list/?show=backlog") == 2


def test_manager_home_counts_runs_to_review_open_periods_and_failed_imports(role_client):
    client = role_client(Role.MANAGER)
    period = scoring_services.period_create(code="2025-H1")
    scoring_services.period_create(code="2025-H2")
    RankingRun.objects.create(
        period=period,
        number=1,
        status=RankingRun.Status.COMPLETED,
        trigger=RankingRun.Trigger.COMMAND,
        rule_set=period.rule_set,
    )
    for status in (
        ImportBatch.Status.INVALID,
        ImportBatch.Status.FAILED,
        ImportBatch.Status.APPLIED,
    ):
        ImportBatch.objects.create(
            kind="roster",
            filename=f"{status}.csv",
            content=b"",
            status=status,
            uploaded_by=client.user,
        )
    old = ImportBatch.objects.create(
        kind="roster",
        filename="old.csv",
        content=b"",
        status=ImportBatch.Status.FAILED,
        uploaded_by=client.user,
    )
    ImportBatch.objects.filter(pk=old.pk).update(created_at=timezone.now() - dt.timedelta(days=40))

    html = client.get("/staff/").content.decode()
    counts = work(html)
    assert counts["scoring.runs-awaiting-review"] == ("/staff/rankings/?show=review", 1)
    assert counts["scoring.open-periods"] == ("/staff/rankings/?show=open", 2)
    review = client.get("/staff/rankings/?show=review")
    assert [(r.period.code, r.number) for r in review.context["runs_to_review"]] == [("2025-H1", 1)]
    scoring_services.period_create(code="2024-H2")
    Period.objects.filter(code="2024-H2").update(closed=True)
    assert len(client.get("/staff/rankings/").context["periods"]) == 3
    shown = client.get("/staff/rankings/?show=open").context["periods"]
    assert sorted(p.code for p in shown) == ["2025-H1", "2025-H2"]
    assert counts["kindness.failed-imports"] == ("/staff/imports/?status=failed", 2)
    failed = client.get("/staff/imports/?status=failed").content.decode()
    assert "invalid.csv" in failed and "failed.csv" in failed
    assert "applied.csv" not in failed and "old.csv" not in failed
    # The programme's pages keep their place on the manager's home.
    assert {"programme.overview", "programme.training-sessions", "programme.consultations"} <= keys(
        html
    )


def test_auditor_home_shows_recent_publications_and_decisions(role_client):
    client = role_client(Role.AUDITOR)
    period = scoring_services.period_create(code="2025-H1")
    RankingRun.objects.create(
        period=period,
        number=1,
        status=RankingRun.Status.PUBLISHED,
        trigger=RankingRun.Trigger.COMMAND,
        rule_set=period.rule_set,
        published_at=timezone.now(),
    )
    today = timezone.localdate()
    ReportFactory(status=Status.REJECTED, decided_on=today)
    ReportFactory(status=Status.REJECTED, decided_on=today - dt.timedelta(days=45))
    html = client.get("/staff/").content.decode()
    assert 'href="/rankings/2025-H1/"' in html
    counts = work(html)
    assert counts["complaints.decided"] == ("/staff/reports/?show=decided", 1)
    assert listed(client, "/staff/reports/?show=decided") == 1


def expected_keys(role: str) -> set[str]:
    """The registered entries a user holding only `role` may see."""
    from django.contrib.auth.models import Group

    perms = {
        f"{p.content_type.app_label}.{p.codename}"
        for p in Group.objects.get(name=role).permissions.select_related("content_type")
    }
    return {
        link.key
        for link in registered()
        if role in link.roles
        and (not link.permission or link.permission in perms)
        and not link.figures  # figures show only when there is something to show
    }


@pytest.mark.parametrize("role", [r for r in Role.values if r in ROLE_PERMISSIONS])
def test_each_role_sees_exactly_its_own_links(role_client, role):
    client = role_client(role)
    html = client.get("/staff/").content.decode()
    shown = keys(html)
    assert shown == expected_keys(role)
    others = {link.key for link in registered() if role not in link.roles}
    assert not shown & others
    assert f'data-role="{role}"' in html
    assert len(re.findall(r'data-role="', html)) == 1


def test_a_role_never_sees_the_report_inbox_unless_it_may_read_reports(role_client):
    html = role_client(Role.HAPPY_CALL).get("/staff/").content.decode()
    assert "/staff/reports/" not in html and "/staff/imports/" not in html
    html = role_client(Role.DEPARTMENT_HEAD).get("/staff/").content.decode()
    assert "/staff/rankings/" not in html and "/staff/calls/" not in html


def test_a_user_with_two_roles_gets_a_section_for_each(make_user, client):
    user = make_user(Role.REPORT_OFFICER, Role.HAPPY_CALL)
    client.force_login(user)
    html = client.get("/staff/").content.decode()
    assert 'data-role="happy_call"' in html and 'data-role="report_officer"' in html
    assert {"complaints.new", "surveys.my-queue"} <= keys(html)


def test_consultation_requests_waiting_are_counted_for_report_officers_and_managers(role_client):
    from tests.programme.consultations.helpers import submit

    submit()
    submit()
    for role in (Role.REPORT_OFFICER, Role.MANAGER):
        client = role_client(role)
        link, count = work(client.get("/staff/").content.decode())[
            "programme.consultations-waiting"
        ]
        assert count == 2
        assert listed(client, link) == 2
    auditor = role_client(Role.AUDITOR).get("/staff/").content.decode()
    assert "programme.consultations-waiting" not in keys(auditor)
