"""The happy-call dashboard on a small data set built by hand: every figure below was worked
out on paper from the calls listed in `centre` (SPEC section 4, AAPOR RR1 / CON1 / REF1)."""

from __future__ import annotations

import csv
import datetime as dt
import io
from itertools import count
from zoneinfo import ZoneInfo

import pytest
from django.urls import reverse
from django.utils import timezone

from kindness.roles import Role
from surveys import rules, selectors
from surveys.models import (
    CallAttempt,
    HappyCall,
    HappyCallAnswer,
    Petition,
    PhoneScorecard,
    PhoneSurvey,
    QuestionItem,
    Questionnaire,
)
from tests.factories import DepartmentFactory, OfficialFactory

URL = "/staff/calls/dashboard/"
EN = {"HTTP_ACCEPT_LANGUAGE": "en"}
SEOUL = ZoneInfo("Asia/Seoul")
_numbers = count(1)


def seoul(day: dt.date, hour: int = 12, minute: int = 0) -> dt.datetime:
    return dt.datetime.combine(day, dt.time(hour, minute), tzinfo=SEOUL)


class Centre:
    """Departments A and B with happy-calls, C with a telephone-survey call only; staff
    members kim and lee. `ago(n)` is the Seoul date n days before today."""

    def __init__(self, make_user):
        self.today = timezone.localdate()
        self.a = DepartmentFactory(code="DA", name="민원봉사과")
        self.b = DepartmentFactory(code="DB", name="세무과")
        self.c = DepartmentFactory(code="DC", name="=HYPERLINK(1)")  # a formula, for the CSV
        self.kim = make_user(Role.HAPPY_CALL, username="kim", first_name="Minji", last_name="Kim")
        self.lee = make_user(Role.HAPPY_CALL, username="lee", first_name="Jun", last_name="Lee")
        questionnaire = Questionnaire.objects.get(code="happy-call", version=1)
        self.items = {i.key: i for i in QuestionItem.objects.filter(questionnaire=questionnaire)}
        self.questionnaire = questionnaire

    def ago(self, days: int) -> dt.date:
        return self.today - dt.timedelta(days=days)

    def call(
        self,
        department,
        status,
        *,
        attempts=(),
        closed=None,
        answered_on=None,
        answered_by=None,
        assigned=None,
        queued_on=None,
        score=None,
        answers=None,
    ) -> HappyCall:
        n = next(_numbers)
        petition = Petition.objects.create(
            petition_no=f"P-{n:05d}",
            title="민원",
            department=department,
            received_on=self.ago(60),
            completed_on=self.ago(50),
            channel="visit",
        )
        call = HappyCall.objects.create(
            petition=petition,
            status=status,
            department=department,
            assigned_to=assigned,
            queued_on=queued_on or self.ago(45),
            closed_at=closed,
            answered_on=answered_on,
            answered_by=answered_by,
            response_score=score,
            questionnaire=self.questionnaire if answers else None,
        )
        for at, outcome, by in attempts:
            CallAttempt.objects.create(call=call, at=at, outcome=outcome, by=by)
        for key, value in (answers or {}).items():
            HappyCallAnswer.objects.create(call=call, item=self.items[key], value=value)
        return call

    def phone(self, department, *, days_ago=3, answered=True, covered=False, compliant=None):
        n = next(_numbers)
        target = OfficialFactory(department=department)
        return PhoneSurvey.objects.create(
            call_id=f"T-{n:05d}",
            target=target,
            answered_by=(OfficialFactory(department=department) if covered else target)
            if answered
            else None,
            department=department,
            called_at=seoul(self.ago(days_ago), 10),
            called_on=self.ago(days_ago),
            scorecard=PhoneScorecard.objects.get(version=1),
            score=80.0 if answered else 0.0,
            answered=answered,
            covered=covered,
            compliant_333=compliant if answered else None,
        )


@pytest.fixture
def centre(db, make_user):
    s = Centre(make_user)
    A, B = s.a, s.b
    kim, lee = s.kim, s.lee
    S, Out = HappyCall.Status, CallAttempt.Outcome
    ago = s.ago
    # Department A
    s.c1 = s.call(  # I, kim; first attempt just after midnight in Seoul (the day before in UTC)
        A,
        S.COMPLETED,
        assigned=kim,
        answered_by=kim,
        answered_on=ago(4),
        score=75,
        attempts=[(seoul(ago(5), 0, 30), Out.NO_ANSWER, kim), (seoul(ago(4)), Out.ANSWERED, kim)],
        closed=seoul(ago(4), 12, 5),
        answers={"speed": 4, "clarity": 5, "kindness": 3, "result": None, "overall": 4},
    )
    s.c2 = s.call(  # I, assigned to kim but called by lee
        A,
        S.COMPLETED,
        assigned=kim,
        answered_by=lee,
        answered_on=ago(3),
        score=50,
        attempts=[(seoul(ago(3)), Out.ANSWERED, lee)],
        closed=seoul(ago(3), 12, 5),
        answers={"speed": 3, "clarity": 3, "kindness": 3, "result": 3, "overall": 3},
    )
    s.c3 = s.call(  # R
        A,
        S.REFUSED,
        assigned=kim,
        attempts=[(seoul(ago(2)), Out.REFUSED, kim)],
        closed=seoul(ago(2)),
    )
    s.c4 = s.call(  # NC: no answer, no answer, busy
        A,
        S.UNREACHABLE,
        assigned=kim,
        attempts=[
            (seoul(ago(3)), Out.NO_ANSWER, kim),
            (seoul(ago(2)), Out.NO_ANSWER, kim),
            (seoul(ago(1)), Out.BUSY, kim),
        ],
        closed=seoul(ago(1)),
    )
    s.c5 = s.call(  # NE: a wrong number; closed at 08:00 in Seoul, the day before in UTC
        A,
        S.UNREACHABLE,
        assigned=lee,
        attempts=[(seoul(ago(6), 8), Out.WRONG_NUMBER, lee)],
        closed=seoul(ago(6), 8),
    )
    s.c6 = s.call(  # UH: still queued after an attempt; backlog 0-2 days
        A,
        S.QUEUED,
        assigned=kim,
        queued_on=ago(1),
        attempts=[(seoul(ago(1)), Out.NO_ANSWER, kim)],
    )
    s.c7 = s.call(A, S.QUEUED, assigned=lee, queued_on=ago(10))  # backlog 7-13 days, no disposition
    s.c8 = s.call(A, S.WRITTEN, queued_on=ago(5))  # written survey: excluded everywhere
    s.c9 = s.call(  # I, but 40 days ago: outside the period
        A,
        S.COMPLETED,
        assigned=kim,
        answered_by=kim,
        answered_on=ago(40),
        score=0,
        attempts=[(seoul(ago(40)), Out.ANSWERED, kim)],
        closed=seoul(ago(40)),
        answers={"speed": 1, "clarity": 1, "kindness": 1, "result": 1, "overall": 1},
    )
    # Department B
    s.c10 = s.call(  # I after a busy line, lee
        B,
        S.COMPLETED,
        assigned=lee,
        answered_by=lee,
        answered_on=ago(2),
        score=100,
        attempts=[(seoul(ago(2), 9), Out.BUSY, lee), (seoul(ago(2), 15), Out.ANSWERED, lee)],
        closed=seoul(ago(2), 15, 5),
        answers={"speed": 5, "overall": 5},
    )
    s.c11 = s.call(  # NC after three unanswered attempts, lee
        B,
        S.UNREACHABLE,
        assigned=lee,
        attempts=[(seoul(ago(d)), Out.NO_ANSWER, lee) for d in (10, 9, 8)],
        closed=seoul(ago(8)),
    )
    s.c12 = s.call(B, S.QUEUED, assigned=lee, queued_on=ago(20))  # backlog 14+ days
    s.c13 = s.call(  # I, imported: no attempts, no closing time, nobody
        B,
        S.COMPLETED,
        answered_on=ago(7),
        score=50,
        answers={"speed": 3, "clarity": 3},
    )
    s.c14 = s.call(B, S.QUEUED, assigned=kim, queued_on=ago(3))  # backlog 3-6 days (boundary)
    # Telephone survey
    s.phone(A, compliant=True)
    s.phone(A, compliant=False)
    s.phone(A, covered=True, compliant=True)
    s.phone(A, answered=False)
    s.phone(A, days_ago=40, compliant=False)  # outside the period
    s.phone(B, covered=True, compliant=False)
    s.phone(B, covered=True, compliant=True)
    s.phone(B, answered=False)
    s.phone(s.c, compliant=True)
    return s


def period(s: Centre, days: int = 29) -> selectors.DashboardFilter:
    return selectors.DashboardFilter(start=s.ago(days), end=s.today)


def rates(row) -> tuple:
    return (row.response_rate, row.contact_rate, row.refusal_rate)


# ---------------------------------------------------------------------------- selectors


def test_totals_are_the_hand_computed_aapor_rates(centre):
    data = selectors.dashboard(period(centre), today=centre.today)
    t = data.total
    assert (t.attempts, t.reached) == (14, 3)
    assert (t.complete, t.refusal, t.non_contact, t.not_eligible, t.unknown) == (4, 1, 2, 1, 1)
    # RR1 = 4 / (4 + 1 + 2 + 1); CON1 = (4 + 1) / 8; REF1 = 1 / 8; the wrong number is NE.
    assert rates(t) == (0.5, 0.625, 0.125)
    assert t.mean_score == pytest.approx((75 + 50 + 100 + 50) / 4)


def test_the_rates_are_those_of_surveys_rules(centre):
    t = selectors.dashboard(period(centre), today=centre.today).total
    d = rules.Dispositions(complete=4, refusal=1, non_contact=2, unknown=1, not_eligible=1)
    assert t.dispositions == d
    assert rates(t) == (rules.response_rate(d), rules.contact_rate(d), rules.refusal_rate(d))


def test_each_department_has_its_own_rates_backlog_and_telephone_figures(centre):
    rows = {r.department.code: r for r in selectors.department_table(period(centre))}
    assert list(rows) == ["DA", "DB", "DC"]
    a, b, c = rows["DA"], rows["DB"], rows["DC"]
    assert (a.calls.attempts, a.calls.reached, a.calls.backlog) == (9, 2, 2)
    assert rates(a.calls) == (2 / 5, 3 / 5, 1 / 5)
    assert a.calls.mean_score == 62.5
    assert (b.calls.attempts, b.calls.reached, b.calls.backlog) == (5, 1, 2)
    assert rates(b.calls) == (2 / 3, 2 / 3, 0.0)
    assert b.calls.mean_score == 75.0
    # 333 compliance = compliant / answered; cover rate = covered / (covered + unanswered).
    assert (a.phone.calls, a.phone.answered, a.phone.compliant) == (4, 3, 2)
    assert (a.phone.compliance_333, a.phone.absent, a.phone.cover_rate) == (2 / 3, 2, 0.5)
    assert (b.phone.compliance_333, b.phone.absent, b.phone.cover_rate) == (0.5, 3, 2 / 3)
    assert (c.phone.compliance_333, c.phone.absent, c.phone.cover_rate) == (1.0, 0, None)
    assert c.calls.response_rate is None  # no happy-call: nothing to divide by


def test_city_telephone_totals_pool_the_departments(centre):
    total = selectors.dashboard(period(centre), today=centre.today).phone_total
    assert (total.answered, total.compliant, total.absent, total.covered) == (6, 4, 5, 3)
    assert (total.compliance_333, total.cover_rate) == (4 / 6, 3 / 5)


def test_a_closed_call_counts_for_the_staff_member_of_its_last_attempt(centre):
    rows = {r.label: r for r in selectors.calls_by_staff(period(centre))}
    assert set(rows) == {"Minji Kim", "Jun Lee"}  # the imported call has nobody
    kim, lee = rows["Minji Kim"], rows["Jun Lee"]
    assert (kim.attempts, kim.reached, kim.backlog) == (7, 1, 2)
    assert (kim.complete, kim.refusal, kim.non_contact, kim.unknown) == (1, 1, 1, 1)
    assert rates(kim) == (0.25, 0.5, 0.25)
    assert (lee.attempts, lee.reached, lee.backlog) == (7, 2, 2)
    assert (lee.complete, lee.non_contact, lee.not_eligible) == (2, 1, 1)
    assert rates(lee) == (2 / 3, 2 / 3, 0.0)


def test_days_are_seoul_days(centre):
    s = centre
    days = {r.key: r for r in selectors.calls_by_day(period(s))}
    # c5 was closed at 08:00 in Seoul, still the previous day in UTC.
    assert days[s.ago(6)].not_eligible == 1 and days[s.ago(6)].attempts == 1
    # c1's first attempt at 00:30 in Seoul counts on its Seoul day.
    assert days[s.ago(5)].attempts == 1
    assert days[s.ago(2)].complete == 1 and days[s.ago(2)].refusal == 1
    assert days[s.ago(2)].attempts == 1 + 1 + 2  # c4, c3, c10 twice
    assert days[s.ago(1)].unknown == 1 and days[s.ago(1)].non_contact == 1
    assert sum(r.attempts for r in days.values()) == 14
    assert sum(r.counted for r in days.values()) == 9


def test_a_period_starting_at_seoul_midnight_keeps_that_days_attempts(centre):
    f = selectors.DashboardFilter(start=centre.ago(5), end=centre.today)
    # In period: c1 2 (one at 00:30), c2 1, c3 1, c4 3, c6 1, c10 2.
    assert selectors.dashboard(f, today=centre.today).total.attempts == 10


def test_weekly_trend_follows_iso_weeks(centre):
    s = centre
    data = selectors.dashboard(period(s), today=s.today)
    # (day, disposition, score) of every call closed in the period.
    closed = [
        (s.ago(4), "I", 75),
        (s.ago(3), "I", 50),
        (s.ago(2), "R", None),
        (s.ago(1), "NC", None),
        (s.ago(6), "NE", None),
        (s.ago(1), "UH", None),
        (s.ago(2), "I", 100),
        (s.ago(8), "NC", None),
        (s.ago(7), "I", 50),
    ]
    weeks: dict[str, list] = {}
    for day, code, score in closed:
        year, week, _ = day.isocalendar()
        weeks.setdefault(f"{year}-W{week:02d}", []).append((code, score))
    assert [w.label for w in data.by_week] == sorted(weeks)
    for row in data.by_week:
        codes = [c for c, _ in weeks[row.label]]
        d = rules.Dispositions(
            complete=codes.count("I"),
            refusal=codes.count("R"),
            non_contact=codes.count("NC"),
            unknown=codes.count("UH"),
            not_eligible=codes.count("NE"),
        )
        scores = [sc for c, sc in weeks[row.label] if sc is not None]
        assert row.response_rate == rules.response_rate(d), row.label
        assert row.mean_score == (sum(scores) / len(scores) if scores else None), row.label


def test_backlog_is_todays_queue_by_age(centre):
    buckets, oldest = selectors.backlog_by_age(period(centre), centre.today)
    # c6 1 day, c14 3 days, c7 10 days, c12 20 days; the written survey is not queued.
    assert [b.count for b in buckets] == [1, 1, 1, 1]
    assert oldest == centre.ago(20)
    narrow = selectors.DashboardFilter(start=centre.today, end=centre.today)
    assert selectors.dashboard(narrow, today=centre.today).total.backlog == 4


def test_satisfaction_per_item_is_the_mean_of_the_answers_given(centre):
    items = {i.key: (i.mean, i.n) for i in selectors.item_means(period(centre))}
    # c9 (all 1s) is outside the period; c1's "no answer" to result counts nowhere.
    assert items == {
        "speed": (pytest.approx(15 / 4), 4),
        "clarity": (pytest.approx(11 / 3), 3),
        "kindness": (3.0, 2),
        "result": (3.0, 1),
        "overall": (4.0, 3),
    }
    assert [i.key for i in selectors.item_means(period(centre))] == [
        "speed",
        "clarity",
        "kindness",
        "result",
        "overall",
    ]


def test_department_filter_narrows_every_figure(centre):
    f = selectors.DashboardFilter(start=centre.ago(29), end=centre.today, department=centre.a)
    data = selectors.dashboard(f, today=centre.today)
    assert [r.department.code for r in data.by_department] == ["DA"]
    assert (data.total.attempts, data.total.backlog) == (9, 2)
    assert rates(data.total) == (0.4, 0.6, 0.2)
    assert data.phone_total.cover_rate == 0.5
    assert {i.key: i.n for i in data.items}["speed"] == 2


def test_staff_filter_keeps_the_calls_that_staff_member_worked(centre):
    f = selectors.DashboardFilter(start=centre.ago(29), end=centre.today, staff=centre.kim)
    data = selectors.dashboard(f, today=centre.today)
    # kim: attempts c1 c3 c4 c6 (7); calls c1, c2 (assigned), c3, c4, c6; queued c6, c14.
    assert data.total.attempts == 7
    assert (data.total.complete, data.total.refusal, data.total.non_contact) == (2, 1, 1)
    assert data.total.unknown == 1 and data.total.not_eligible == 0
    assert data.total.response_rate == 2 / 5
    assert data.total.backlog == 2
    # The telephone survey is the outside agency's: the staff filter leaves it alone.
    assert data.phone_total.answered == 6


def test_period_filter_leaves_out_older_calls(centre):
    f = selectors.DashboardFilter(start=centre.ago(45), end=centre.ago(30))
    data = selectors.dashboard(f, today=centre.today)
    assert (data.total.attempts, data.total.complete, data.total.counted) == (1, 1, 1)
    assert data.total.mean_score == 0
    assert {i.key: i.mean for i in data.items}["overall"] == 1.0
    assert data.phone_total.answered == 1 and data.phone_total.compliance_333 == 0


# ---------------------------------------------------------------------------- the page


def test_page_shows_the_figures_a_chart_and_its_table(centre, role_client):
    client = role_client(Role.MANAGER)
    response = client.get(URL, **EN)
    assert response.status_code == 200
    data = response.context["data"]
    assert (data.filter.start, data.filter.end) == (centre.ago(29), centre.today)
    assert data.total.response_rate == 0.5
    html = response.content.decode()
    assert "50.0%" in html and "62.5%" in html and "12.5%" in html  # RR1, CON1, REF1
    assert 'role="img"' in html and 'aria-labelledby="chart-trend-title chart-trend-desc"' in html
    assert '<title id="chart-trend-title">' in html and 'id="chart-trend-table"' in html
    assert "answered by a colleague (covered) or not answered at all" in html
    assert "민원봉사과" in html and "66.7%" in html  # A's 333 compliance
    assert reverse("surveys:dashboard") == URL


def test_names_are_escaped_in_the_charts(centre, role_client):
    centre.c.name = "<script>x</script>"
    centre.c.save()
    html = role_client(Role.MANAGER).get(URL, **EN).content.decode()
    assert "<script>x</script>" not in html
    assert "&lt;script&gt;x&lt;/script&gt;" in html


def test_filters_in_the_query_narrow_the_page(centre, role_client):
    client = role_client(Role.AUDITOR)
    query = {"start": centre.ago(29).isoformat(), "end": centre.today.isoformat()}
    by_department = client.get(URL, {**query, "department": centre.b.pk}, **EN)
    assert by_department.status_code == 200
    assert by_department.context["data"].total.attempts == 5
    by_staff = client.get(URL, {**query, "staff": centre.lee.pk}, **EN)
    assert by_staff.context["data"].total.attempts == 7


def test_csv_export_has_a_bom_the_header_and_one_row_per_department(centre, role_client):
    response = role_client(Role.HAPPY_CALL).get(URL, {"format": "csv"}, **EN)
    assert response.status_code == 200
    assert response["Content-Type"] == "text/csv; charset=utf-8"
    assert response["Content-Disposition"].startswith(
        'attachment; filename="happy-call-departments_'
    )
    assert response.content.startswith(b"\xef\xbb\xbf")
    rows = list(csv.reader(io.StringIO(response.content.decode("utf-8-sig"))))
    header, *body = rows
    assert header[:4] == ["Department code", "Department", "Calls made", "Calls reached"]
    assert "Response rate RR1 (%)" in header and "Cover rate (%)" in header
    by_code = {r[0]: dict(zip(header, r, strict=True)) for r in body}
    assert list(by_code) == ["DA", "DB", "DC"]
    a = by_code["DA"]
    assert a["Department"] == "민원봉사과"
    assert (a["Calls made"], a["Response rate RR1 (%)"], a["Contact rate CON1 (%)"]) == (
        "9",
        "40.0",
        "60.0",
    )
    assert (a["333 compliance (%)"], a["Cover rate (%)"], a["Backlog today"]) == (
        "66.7",
        "50.0",
        "2",
    )
    assert by_code["DC"]["Department"] == "'=HYPERLINK(1)"  # never run as a formula
    assert by_code["DC"]["Response rate RR1 (%)"] == ""


def test_csv_export_follows_the_filters(centre, role_client):
    response = role_client(Role.MANAGER).get(
        URL, {"format": "csv", "department": centre.a.pk}, **EN
    )
    rows = list(csv.reader(io.StringIO(response.content.decode("utf-8-sig"))))
    assert [r[0] for r in rows[1:]] == ["DA"]


@pytest.mark.parametrize(
    "query",
    [
        {"start": "2026-02-30"},
        {"end": "yesterday"},
        {"start": "2026-03-10", "end": "2026-03-01"},
        {"start": "2020-01-01", "end": "2026-01-01"},
        {"end": "0001-01-05"},
        {"department": "999999"},
        {"department": "abc"},
        {"staff": "99999999999999999999999"},
        {"format": "xlsx"},
    ],
    ids=lambda q: "&".join(f"{k}={v}" for k, v in q.items()),
)
def test_bad_filter_gives_the_form_with_an_error(query, centre, role_client):
    response = role_client(Role.MANAGER).get(URL, query, **EN)
    assert response.status_code == 400
    assert response.context["form"].errors
    assert 'role="alert"' in response.content.decode()
    assert "data" not in response.context


def test_staff_who_never_called_is_not_offered(centre, role_client, make_user):
    stranger = make_user(Role.MANAGER)
    response = role_client(Role.MANAGER).get(URL, {"staff": stranger.pk}, **EN)
    assert response.status_code == 400


@pytest.mark.parametrize(
    "role,status",
    [
        (None, 302),
        (Role.REPORT_OFFICER, 403),
        (Role.DEPARTMENT_HEAD, 403),
        (Role.BUREAU_HEAD, 403),
        (Role.HAPPY_CALL, 200),
        (Role.MANAGER, 200),
        (Role.AUDITOR, 200),
        (Role.ADMIN, 200),
    ],
    ids=lambda v: str(v),
)
def test_only_happy_call_staff_managers_auditors_and_admins_see_it(role, status, db, role_client):
    response = role_client(role).get(URL)
    assert response.status_code == status
    if role is None:
        assert response["Location"].startswith("/accounts/login/")
    csv_response = role_client(role).get(URL, {"format": "csv"})
    assert csv_response.status_code == status


def test_an_empty_centre_renders_without_figures(db, role_client):
    response = role_client(Role.HAPPY_CALL).get(URL, **EN)
    assert response.status_code == 200
    assert response.context["data"].total.response_rate is None
    assert "No data for this period." in response.content.decode()


@pytest.mark.parametrize("role", [Role.HAPPY_CALL, Role.MANAGER, Role.AUDITOR])
def test_staff_home_links_the_dashboard(role, db, role_client):
    response = role_client(role).get("/staff/")
    assert f'href="{URL}"' in response.content.decode()


def test_the_page_runs_a_fixed_number_of_queries(
    centre, role_client, django_assert_max_num_queries
):
    client = role_client(Role.MANAGER)
    with django_assert_max_num_queries(40) as queries:
        client.get(URL, **EN)
    before = len(queries)
    for _ in range(5):  # more calls do not mean more queries
        centre.call(
            centre.b,
            HappyCall.Status.REFUSED,
            assigned=centre.lee,
            closed=seoul(centre.ago(2)),
            attempts=[(seoul(centre.ago(2)), CallAttempt.Outcome.REFUSED, centre.lee)],
        )
    with django_assert_max_num_queries(before):
        client.get(URL, **EN)
