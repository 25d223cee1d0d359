"""The rankings pages under /rankings/ (SPEC sections 5 and 9): public department rankings
of the published run, the downloads, individual rankings for those allowed, and the
"why this score" pages.

A small city: bureau B1 with departments OWN and SIBLING, bureau B2 with OTHER; surveys,
calls, happy-calls and reports stored as real rows; periods 2025-H1 and 2025-H2 computed
and published with the services."""

from __future__ import annotations

import csv
import datetime
import io
from types import SimpleNamespace
from zoneinfo import ZoneInfo

import openpyxl
import pytest
from django.urls import reverse

from kindness.roles import Role
from scoring import exports, services
from scoring.models import Period, RankingRun
from scoring.selectors.explanations import breakdown_of
from surveys.models import HappyCall, Petition, PhoneScorecard, PhoneSurvey, VisitSurvey
from tests.factories import BureauFactory, DepartmentFactory, OfficialFactory, ReportFactory

SEOUL = ZoneInfo("Asia/Seoul")
EN = {"HTTP_ACCEPT_LANGUAGE": "en"}


def visit(department, day: datetime.date, score: float) -> None:
    VisitSurvey.objects.create(
        survey_id=f"V{VisitSurvey.objects.count() + 1:05d}",
        department=department,
        surveyed_on=day,
        overall=int(score / 25) + 1,
        response_score=score,
    )


def call(target, day: datetime.date, score: float, *, answered: bool = True) -> None:
    PhoneSurvey.objects.create(
        call_id=f"C{PhoneSurvey.objects.count() + 1:05d}",
        target=target,
        answered_by=target if answered else None,
        department=target.department,
        called_at=datetime.datetime.combine(day, datetime.time(10), tzinfo=SEOUL),
        called_on=day,
        scorecard=PhoneScorecard.objects.first(),
        score=score,
        answered=answered,
        covered=False,
    )


def happy_call(official, day: datetime.date, score: float, kindness: int | None) -> None:
    number = Petition.objects.count() + 1
    petition = Petition.objects.create(
        petition_no=f"P{number:05d}",
        title="민원",
        department=official.department,
        official=official,
        received_on=day,
        completed_on=day,
        channel="phone",
    )
    HappyCall.objects.create(
        petition=petition,
        call_id=f"H{number:05d}",
        status=HappyCall.Status.COMPLETED,
        department=official.department,
        official=official,
        answered_on=day,
        response_score=score,
        kindness_answer=kindness,
    )


def report(kind: str, status: str, official, day: datetime.date, text: str):
    return ReportFactory(
        kind=kind,
        status=status,
        department=official.department,
        official=official,
        decided_department=official.department,
        decided_on=day,
        incident_on=day,
        text=text,
        reporter_name="홍길동",
        reporter_phone="010-9876-5432",
    )


def compute(code: str) -> RankingRun:
    run = services.run_request(
        period=Period.objects.get(code=code), trigger=RankingRun.Trigger.COMMAND, send=False
    )
    run = services.run_execute(run.pk)
    assert run.status == RankingRun.Status.COMPLETED, run.error
    return run


def publish(run: RankingRun) -> RankingRun:
    return services.run_publish(run=run, user=None)


@pytest.fixture
def city(db):
    b1, b2 = BureauFactory(name="시민국"), BureauFactory(name="안전국")
    own = DepartmentFactory(code="OWN", name="가정과", bureau=b1)
    sibling = DepartmentFactory(code="SIBLING", name="나눔과", bureau=b1)
    other = DepartmentFactory(code="OTHER", name="다솜과", bureau=b2)
    a1 = OfficialFactory(employee_no="A1", name="김하나", department=own)
    a2 = OfficialFactory(employee_no="A2", name="김두리", department=own)
    s1 = OfficialFactory(employee_no="S1", name="박세나", department=sibling)
    o1 = OfficialFactory(employee_no="O1", name="이오미", department=other)

    h1 = datetime.date(2025, 3, 10)
    for score in (100, 75):
        visit(own, h1, score)
    visit(sibling, h1, 50)
    visit(other, h1, 25)
    for score in (90, 80, 70):
        call(a1, h1, score)
    call(a2, h1, 60)
    for _i in range(3):
        call(s1, h1, 50)
        call(o1, h1, 40)
    call(o1, h1, 0, answered=False)
    happy_call(a1, h1, 100, 5)
    happy_call(a1, h1, 100, 5)
    happy_call(o1, h1, 50, 3)
    praise = report("praise", "verified", a1, h1, "김하나 주무관이 친절하게 안내해 주셨습니다.")
    unkind = report("unkind", "substantiated", o1, h1, "이오미 주무관이 전화를 끊었습니다.")

    h2 = datetime.date(2025, 9, 10)
    visit(own, h2, 50)
    visit(sibling, h2, 100)
    visit(other, h2, 75)
    for _i in range(3):
        call(s1, h2, 90)
        call(a1, h2, 60)
    happy_call(s1, h2, 75, 4)

    services.period_create(code="2025-H1")
    services.period_create(code="2025-H2")
    return SimpleNamespace(
        own=own,
        sibling=sibling,
        other=other,
        a1=a1,
        a2=a2,
        s1=s1,
        o1=o1,
        praise=praise,
        unkind=unkind,
    )


@pytest.fixture
def published(city):
    """Both periods computed and published (one run each)."""
    city.h1 = publish(compute("2025-H1"))
    city.h2 = publish(compute("2025-H2"))
    return city


def department_lines(text: str) -> list[list[str]]:
    return [row for row in csv.reader(io.StringIO(text))][1:]


# --- the rankings page -------------------------------------------------------------------


def test_rankings_shows_the_latest_published_period_to_anyone(client, published):
    response = client.get("/rankings/", **EN)
    assert response.status_code == 200
    body = response.content.decode()
    assert "Kindness rankings 2025-H2" in body
    for department in (published.own, published.sibling, published.other):
        assert department.name in body
        assert reverse("rankings:department", args=["2025-H2", department.code]) in body
    row = published.h2.departments.get(code="SIBLING")
    assert f"<strong>{row.score}</strong>" in body
    assert f'{row.v} <span class="muted">({row.v_n})</span>' in body
    assert 'role="img"' in body  # the bar chart
    # Individual rankings are neither shown nor linked to the public.
    assert published.a1.name not in body
    assert reverse("rankings:officials", args=["2025-H2"]) not in body


def test_period_page_ranks_departments_city_wide_and_within_their_bureau(client, published):
    response = client.get("/rankings/2025-H1/", **EN)
    assert response.status_code == 200
    rows = list(published.h1.departments.order_by("position"))
    assert [r.rank for r in rows] == [1, 2, 3]
    body = response.content.decode()
    # The city-wide table lists them in ranking order.
    positions = [body.index(f'departments/{r.code}/"') for r in rows]
    assert positions == sorted(positions)
    for r in rows:
        assert r.bureau_rank is not None
    assert "Ranking within each bureau" in body
    assert "<caption>시민국</caption>" in body and "<caption>안전국</caption>" in body
    top = rows[0]
    assert top.award and "★ Award" in body


def test_period_selector_lists_only_periods_with_a_published_run(client, city):
    publish(compute("2025-H1"))
    compute("2025-H2")  # computed, not published
    body = client.get("/rankings/2025-H1/", **EN).content.decode()
    assert reverse("rankings:period", args=["2025-H1"]) in body
    assert reverse("rankings:period", args=["2025-H2"]) not in body
    assert 'aria-current="page">2025-H1' in body


def test_trend_shows_each_departments_published_score_per_period_by_date(client, published):
    body = client.get("/rankings/2025-H2/", **EN).content.decode()
    table = body[body.index('id="trend-table"') :]
    table = table[: table.index("</table>")]
    assert table.index("2025-H1") < table.index("2025-H2")
    for code in ("OWN", "SIBLING", "OTHER"):
        first = published.h1.departments.get(code=code).score
        second = published.h2.departments.get(code=code).score
        name = published.h2.departments.get(code=code).name
        assert (
            f'<th scope="row">{name}</th><td class="num">{first}</td><td class="num">{second}</td>'
            in table
        )
    assert 'class="trend-grid"' in body  # the small multiples
    # The bar chart, one small chart each, and a funnel plot per component (V, T, H).
    assert body.count('role="img"') == 1 + 3 + 3


def test_trend_waits_for_a_second_published_period(client, city):
    publish(compute("2025-H1"))
    body = client.get("/rankings/", **EN).content.decode()
    assert "The trend appears once rankings of a second period are published." in body
    assert 'class="trend-grid"' not in body


def test_run_notes_are_shown_when_a_component_is_left_out(client, city):
    # No visitor survey anywhere in 2024: V is left out and the run says so.
    services.period_create(code="2024")
    day = datetime.date(2024, 5, 2)
    for _i in range(3):
        call(city.a1, day, 80)
        call(city.o1, day, 40)
    run = publish(compute("2024"))
    assert run.notes
    body = client.get("/rankings/2024/", **EN).content.decode()
    assert "Notes on this run" in body
    assert run.notes[0] in body
    page = client.get("/rankings/2024/departments/OWN/", **EN).content.decode()
    assert "left out" in page
    assert "Nobody in the city had any visitor survey responses in this period" in page
    # T and H keep weights scaled to sum to 1 (T alone here: weight 1).
    assert "Its weight is 1 (the rules say 0.4, scaled because a part was left out)." in page


def test_no_published_rankings_at_all_says_so(client, city):
    compute("2025-H1")
    response = client.get("/rankings/", **EN)
    assert response.status_code == 200
    assert "No rankings have been published yet." in response.content.decode()


def test_a_period_without_a_published_run_is_not_published_yet(client, city, make_user):
    run = compute("2025-H1")
    response = client.get("/rankings/2025-H1/", **EN)
    assert response.status_code == 404
    body = response.content.decode()
    assert "The rankings of period 2025-H1 have not been published yet." in body
    assert city.own.name not in body
    # A manager reviewing it may open the computed run by number.
    client.force_login(make_user(Role.MANAGER))
    response = client.get(f"/rankings/2025-H1/?run={run.number}", **EN)
    assert response.status_code == 200
    assert "is not published" in response.content.decode()


def test_unknown_period_is_a_404_with_a_message(client, published):
    response = client.get("/rankings/2031-H1/", **EN)
    assert response.status_code == 404
    assert "There is no evaluation period “2031-H1”." in response.content.decode()


@pytest.mark.parametrize("run", ["abc", "-1", "1.5", "99", "99999999999999999999", ""])
def test_bad_or_unknown_run_numbers_are_404s_with_a_message(client, published, run):
    response = client.get(f"/rankings/2025-H1/?run={run}", **EN)
    assert response.status_code == 404
    body = response.content.decode()
    assert "is not a run number" in body or "has no run #99" in body


def test_unpublished_runs_are_invisible_to_the_public_and_to_heads(client, role_client, published):
    newer = compute("2025-H1")  # computed after the publication, not published
    urls = [
        f"/rankings/2025-H1/?run={newer.number}",
        f"/rankings/2025-H1/departments/OWN/?run={newer.number}",
        f"/rankings/2025-H1/rankings.csv?run={newer.number}",
        f"/rankings/2025-H1/rankings-data.csv?run={newer.number}",
        f"/rankings/2025-H1/rankings.xlsx?run={newer.number}",
    ]
    for url in urls:
        assert client.get(url).status_code == 404, url
    head = role_client(Role.DEPARTMENT_HEAD, official=published.a1)
    for url in [*urls, f"/rankings/2025-H1/officials/A1/?run={newer.number}"]:
        assert head.get(url).status_code == 404, url
    # The page without ?run still shows the published run.
    body = client.get("/rankings/2025-H1/", **EN).content.decode()
    assert f"(run #{published.h1.number})" in body


@pytest.mark.parametrize("role", [Role.MANAGER, Role.AUDITOR])
def test_managers_and_auditors_may_open_an_unpublished_run(role_client, published, role):
    newer = compute("2025-H1")
    client = role_client(role)
    for url in (
        f"/rankings/2025-H1/?run={newer.number}",
        f"/rankings/2025-H1/departments/OWN/?run={newer.number}",
        f"/rankings/2025-H1/officials/?run={newer.number}",
        f"/rankings/2025-H1/officials/A1/?run={newer.number}",
        f"/rankings/2025-H1/rankings.csv?run={newer.number}",
    ):
        assert client.get(url).status_code == 200, url


def test_a_newer_publication_supersedes_and_both_stay_in_the_history(client, published):
    first = published.h1
    second = publish(compute("2025-H1"))
    first.refresh_from_db()
    assert first.status == RankingRun.Status.SUPERSEDED

    body = client.get("/rankings/2025-H1/", **EN).content.decode()
    assert f"(run #{second.number})" in body
    assert "It replaces 1 earlier publication of this period" in body
    history = body[body.index("Publication history") :]
    assert f'?run={first.number}">#{first.number}</a>' in history
    assert "Superseded" in history and "Published" in history

    old = client.get(f"/rankings/2025-H1/?run={first.number}", **EN)
    assert old.status_code == 200
    assert f"This is run #{first.number}" in old.content.decode()
    assert "superseded on" in old.content.decode()
    # Its rows remain public, and its download is that run's.
    csv_old = client.get(f"/rankings/2025-H1/rankings-data.csv?run={first.number}")
    assert csv_old.content.decode() == exports.to_csv(first, officials=False)
    assert 'filename="rankings-2025-H1-run1-data.csv"' in csv_old["Content-Disposition"]
    readable = client.get(f"/rankings/2025-H1/rankings.csv?run={first.number}")
    assert readable.content.decode("utf-8") == exports.to_readable_csv(first)
    assert 'filename="rankings-2025-H1-run1.csv"' in readable["Content-Disposition"]


def test_rankings_page_takes_a_small_constant_number_of_queries(
    client, published, django_assert_max_num_queries
):
    with django_assert_max_num_queries(8):
        assert client.get("/rankings/").status_code == 200
    with django_assert_max_num_queries(8):
        assert client.get("/rankings/2025-H1/departments/OWN/").status_code == 200


def test_home_page_links_to_the_rankings(client, db):
    assert 'href="/rankings/"' in client.get("/").content.decode()


# --- downloads ---------------------------------------------------------------------------


def test_public_csv_has_only_the_department_rows(client, published):
    response = client.get("/rankings/2025-H1/rankings-data.csv")
    assert response.status_code == 200
    assert response["Content-Type"] == "text/csv; charset=utf-8"
    assert response["Content-Disposition"] == 'attachment; filename="rankings-2025-H1-data.csv"'
    text = response.content.decode("utf-8")
    assert not text.startswith("\ufeff")
    assert text == exports.to_csv(published.h1, officials=False)
    full = exports.to_csv(published.h1)
    assert full.startswith(text) and len(full) > len(text)
    assert {row[0] for row in department_lines(text)} == {"department"}


def _readable(content: bytes) -> list[list[str]]:
    assert content.startswith(b"\xef\xbb\xbf")  # the UTF-8 byte-order mark Excel needs
    return list(csv.reader(io.StringIO(content.decode("utf-8-sig"))))


def test_readable_csv_has_a_bom_korean_titles_and_department_rows(client, published):
    response = client.get("/rankings/2025-H1/rankings.csv")
    assert response.status_code == 200
    assert response["Content-Type"] == "text/csv; charset=utf-8"
    assert response["Content-Disposition"] == 'attachment; filename="rankings-2025-H1.csv"'
    rows = _readable(response.content)
    header, body = rows[0], rows[1:]
    assert header[:6] == ["순위", "실·국·본부 내 순위", "부서 코드", "부서", "실·국·본부", "점수"]
    assert "level" not in header and "v" not in header
    machine = department_lines(exports.to_csv(published.h1, officials=False))
    assert body == [row[1:] for row in machine]  # the same cells, department rows only
    assert len(body) == published.h1.departments.count()


def test_readable_csv_titles_follow_the_page_language(client, published):
    header = _readable(client.get("/rankings/2025-H1/rankings.csv", **EN).content)[0]
    assert header[:6] == [
        "Rank",
        "Rank in bureau",
        "Department code",
        "Department",
        "Bureau",
        "Score",
    ]
    assert header[-2:] == ["Rank range, best", "Rank range, worst"]


@pytest.mark.parametrize("role", [Role.MANAGER, Role.AUDITOR])
def test_managers_and_auditors_download_the_full_file(role_client, published, role):
    response = role_client(role).get("/rankings/2025-H1/rankings-data.csv")
    assert response.content.decode("utf-8") == exports.to_csv(published.h1)
    assert "official" in {row[0] for row in department_lines(response.content.decode())}
    assert "no-store" in response["Cache-Control"]
    # Their readable file holds the department rows only, like everyone's.
    readable = _readable(role_client(role).get("/rankings/2025-H1/rankings.csv").content)
    assert len(readable) - 1 == published.h1.departments.count()


@pytest.mark.parametrize(
    "role", [Role.DEPARTMENT_HEAD, Role.BUREAU_HEAD, Role.ADMIN, Role.HAPPY_CALL]
)
def test_other_roles_download_department_rows_only(role_client, published, role):
    response = role_client(role, official=published.a1 if "head" in role else None).get(
        "/rankings/2025-H1/rankings-data.csv"
    )
    assert response.content.decode() == exports.to_csv(published.h1, officials=False)


def test_rankings_page_links_both_csv_files(client, published):
    body = client.get("/rankings/2025-H1/", **EN).content.decode()
    assert 'href="/rankings/2025-H1/rankings.csv"' in body
    assert 'href="/rankings/2025-H1/rankings-data.csv"' in body
    assert "Machine-readable CSV" in body


def _xlsx_rows(content: bytes, columns=exports.COLUMNS) -> list[list[str]]:
    sheet = openpyxl.load_workbook(io.BytesIO(content)).active
    rows = []
    for values in sheet.iter_rows(min_row=2, values_only=True):
        cells = []
        for column, value in zip(columns, values, strict=True):
            if value is None:
                cells.append("")
            elif column in ("rank", "bureau_rank", "n_v", "n_t", "n_h", "rank_low", "rank_high"):
                cells.append(str(int(value)))
            elif isinstance(value, int | float):
                cells.append(f"{value:.2f}")
            else:
                cells.append(str(value))
        rows.append(cells)
    return rows


def _xlsx_header(content: bytes) -> list[str]:
    return [c.value for c in openpyxl.load_workbook(io.BytesIO(content)).active[1]]


def test_xlsx_download_is_the_readable_table_department_rows_only(client, role_client, published):
    """SPEC section 5: the public downloads hold department rows only, with headers in the
    page's language; the section 7 columns are the machine-readable CSV's."""
    public = client.get("/rankings/2025-H1/rankings.xlsx")
    assert public.status_code == 200
    assert (
        public["Content-Type"]
        == "application/vnd.openxmlformats-officedocument.spreadsheetml.sheet"
    )
    assert public["Content-Disposition"] == 'attachment; filename="rankings-2025-H1.xlsx"'
    machine = department_lines(exports.to_csv(published.h1, officials=False))
    body = _xlsx_rows(public.content, exports.COLUMNS[1:])
    assert body == [row[1:] for row in machine]  # the same cells, no `level` column
    assert len(body) == published.h1.departments.count()
    header = _xlsx_header(public.content)
    assert header[:6] == ["순위", "실·국·본부 내 순위", "부서 코드", "부서", "실·국·본부", "점수"]
    assert "level" not in header and "v" not in header
    english = _xlsx_header(client.get("/rankings/2025-H1/rankings.xlsx", **EN).content)
    assert english[:2] == ["Rank", "Rank in bureau"]
    assert english[-2:] == ["Rank range, best", "Rank range, worst"]

    # A manager's workbook is the same department table; their full file is the
    # machine-readable CSV (and the run's export on the staff pages).
    manager = role_client(Role.MANAGER).get("/rankings/2025-H1/rankings.xlsx")
    assert _xlsx_rows(manager.content, exports.COLUMNS[1:]) == body


# --- individual rankings -----------------------------------------------------------------


def test_anonymous_visitors_are_sent_to_log_in_for_individual_rankings(client, published):
    for url in ("/rankings/2025-H1/officials/", "/rankings/2025-H1/officials/A1/"):
        response = client.get(url)
        assert response.status_code == 302
        assert response["Location"].startswith(reverse("login"))


@pytest.mark.parametrize("role", [Role.ADMIN, Role.HAPPY_CALL, Role.REPORT_OFFICER])
def test_roles_without_individual_rankings_are_refused(role_client, published, role):
    client = role_client(role)
    assert client.get("/rankings/2025-H1/officials/").status_code == 403
    assert client.get("/rankings/2025-H1/officials/A1/").status_code == 403
    body = client.get("/rankings/2025-H1/", **EN).content.decode()
    assert reverse("rankings:officials", args=["2025-H1"]) not in body


def test_a_user_without_a_role_is_refused(client, make_user, published):
    client.force_login(make_user())
    assert client.get("/rankings/2025-H1/officials/").status_code == 403


def _listed(response) -> set[str]:
    body = response.content.decode()
    return {no for no in ("A1", "A2", "S1", "O1") if f"<td>{no}</td>" in body}


@pytest.mark.parametrize("role", [Role.MANAGER, Role.AUDITOR])
def test_managers_and_auditors_see_every_official(role_client, published, role):
    response = role_client(role).get("/rankings/2025-H1/officials/", **EN)
    assert response.status_code == 200
    assert _listed(response) == {"A1", "A2", "S1", "O1"}


def test_a_department_head_sees_the_officials_of_their_department(role_client, published):
    client = role_client(Role.DEPARTMENT_HEAD, official=published.a2)
    response = client.get("/rankings/2025-H1/officials/", **EN)
    assert response.status_code == 200
    assert _listed(response) == {"A1", "A2"}
    assert client.get("/rankings/2025-H1/officials/A1/").status_code == 200
    assert client.get("/rankings/2025-H1/officials/S1/").status_code == 404
    assert client.get("/rankings/2025-H1/officials/O1/").status_code == 404


def test_a_head_who_is_also_happy_call_staff_still_sees_only_their_own_people(
    client, make_user, published
):
    client.force_login(make_user(Role.DEPARTMENT_HEAD, Role.HAPPY_CALL, official=published.a1))
    assert _listed(client.get("/rankings/2025-H1/officials/")) == {"A1", "A2"}
    assert client.get("/rankings/2025-H1/officials/O1/").status_code == 404


def test_a_bureau_head_sees_the_officials_of_their_bureau(role_client, published):
    client = role_client(Role.BUREAU_HEAD, official=published.s1)
    assert _listed(client.get("/rankings/2025-H1/officials/")) == {"A1", "A2", "S1"}
    assert client.get("/rankings/2025-H1/officials/A2/").status_code == 200
    assert client.get("/rankings/2025-H1/officials/O1/").status_code == 404


def test_individual_rankings_show_ranks_marks_and_insufficient_data(role_client, published):
    body = role_client(Role.MANAGER).get("/rankings/2025-H1/officials/", **EN).content.decode()
    a1 = published.h1.officials.get(employee_no="A1")
    a2 = published.h1.officials.get(employee_no="A2")
    assert a1.rank == 1 and a1.encourage
    assert a2.rank is None and a2.insufficient
    a2_row = body[body.index("<td>A2</td>") - 400 : body.index("<td>A2</td>")]
    assert "insufficient data" in a2_row
    assert "★ Encouraged" in body
    assert f'{a1.t} <span class="muted">({a1.t_n})</span>' in body


def test_unknown_official_is_a_404(role_client, published):
    response = role_client(Role.MANAGER).get("/rankings/2025-H1/officials/NOBODY/", **EN)
    assert response.status_code == 404
    assert "NOBODY" in response.content.decode()


# --- why this score ----------------------------------------------------------------------


def test_department_page_explains_the_score_with_the_actual_numbers(client, published):
    row = published.h1.departments.get(code="OWN")
    response = client.get("/rankings/2025-H1/departments/OWN/", **EN)
    assert response.status_code == 200
    body = response.content.decode()
    v = row.breakdown["components"]["v"]
    assert v["n"] == 2 and v["mean"] == 87.5
    formula = f"(2 × 87.50 + 5 × {v['city_mean']:.2f}) ÷ (2 + 5) = {v['adjusted']:.2f}"
    assert formula in body
    assert f"0.3 × {v['adjusted']:.2f}" in body
    # The praise behind the bonus: its receipt number only, for the public.
    assert published.praise.receipt_no in body
    assert "Each adds 0.5 to the score, at most 5 in all: the bonus is +0.50." in body
    assert published.praise.text not in body and "홍길동" not in body
    assert "/staff/reports/" not in body
    # A first half has no deduction window.
    assert "This period has no deduction window, so" in body
    assert f"rounded half up to two decimals: <strong>{row.score}</strong>" in body
    assert (
        f"Rank {row.rank} of 3 departments in the city, and {row.bureau_rank} of 2 in 시민국."
        in body
    )


def test_second_half_deducts_unkindness_over_the_whole_year(client, published):
    row = published.h2.departments.get(code="OTHER")
    assert row.unkind_count == 1
    body = client.get("/rankings/2025-H2/departments/OTHER/", **EN).content.decode()
    assert "1 unkindness report was substantiated between 2025-01-01 and 2025-12-31." in body
    assert "the deduction is −2.00" in body
    assert published.unkind.receipt_no in body
    assert published.unkind.text not in body


def test_a_department_without_responses_takes_the_city_mean_marked_no_data(client, published):
    # OTHER has no happy-call in the second half.
    body = client.get("/rankings/2025-H2/departments/OTHER/", **EN).content.decode()
    assert "There were no happy-call survey responses in this period" in body
    assert "(no data)" in body


def test_staff_who_may_open_reports_get_links_to_the_case(role_client, published):
    url = reverse("complaints:case", args=[published.praise.receipt_no])
    manager = role_client(Role.MANAGER).get("/rankings/2025-H1/departments/OWN/")
    assert f'href="{url}"' in manager.content.decode()
    # A department head may open their own department's reports, not another's.
    head = role_client(Role.DEPARTMENT_HEAD, official=published.o1)
    assert f'href="{url}"' not in head.get("/rankings/2025-H1/departments/OWN/").content.decode()
    unkind_url = reverse("complaints:case", args=[published.unkind.receipt_no])
    assert (
        f'href="{unkind_url}"' in head.get("/rankings/2025-H2/departments/OTHER/").content.decode()
    )


def test_unknown_department_is_a_404_with_a_message(client, published):
    response = client.get("/rankings/2025-H1/departments/NOPE/", **EN)
    assert response.status_code == 404
    assert "No department with the code “NOPE” is ranked in 2025-H1." in response.content.decode()


def test_official_page_explains_the_individual_score(role_client, published):
    client = role_client(Role.DEPARTMENT_HEAD, official=published.a2)
    body = client.get("/rankings/2025-H1/officials/A1/", **EN).content.decode()
    row = published.h1.officials.get(employee_no="A1")
    t = breakdown_of(row)["components"]["t"]
    assert f"(3 × 80.00 + 5 × {t['city_mean']:.2f}) ÷ (3 + 5) = {t['adjusted']:.2f}" in body
    assert f"0.6 × {t['adjusted']:.2f}" in body
    assert "Each adds 1 to the score, at most 5 in all: the bonus is +1.00." in body
    assert published.praise.receipt_no in body
    assert f"Rank {row.rank} of" in body
    insufficient = client.get("/rankings/2025-H1/officials/A2/", **EN).content.decode()
    assert "Insufficient data: 1 scored response" in insufficient
    assert "at least 3 are needed for a rank" in insufficient


def test_pages_render_in_korean_by_default(client, published):
    response = client.get("/rankings/2025-H1/departments/OWN/")
    assert response.status_code == 200
    assert 'lang="ko"' in response.content.decode()


# --- formula-safe files (SPEC section 8; issue 14 item 5) ---------------------------------


def test_names_a_spreadsheet_would_run_reach_the_files_as_text(client, role_client, city):
    city.other.name = '=HYPERLINK("http://evil.example","보기")'
    city.other.save(update_fields=["name"])
    city.o1.name = "@SUM(1+1)\x07"
    city.o1.save(update_fields=["name"])
    run = publish(compute("2025-H1"))

    text = role_client(Role.MANAGER).get("/rankings/2025-H1/rankings-data.csv").content.decode()
    rows = {row[3]: row for row in department_lines(text)}
    assert rows["OTHER"][4] == "'" + city.other.name
    assert rows["O1"][4] == "'" + city.o1.name
    assert float(rows["OTHER"][6]) >= 0  # numbers stay numbers
    assert text == exports.to_csv(run)

    book = client.get("/rankings/2025-H1/rankings.xlsx").content
    sheet = openpyxl.load_workbook(io.BytesIO(book)).active
    names = {row[2].value: row[3] for row in sheet.iter_rows(min_row=2)}
    assert names["OTHER"].data_type == "s" and names["OTHER"].value == city.other.name
    book = (
        role_client(Role.MANAGER)
        .get(f"/staff/rankings/2025-H1/runs/{run.number}/export.xlsx")
        .content
    )
    sheet = openpyxl.load_workbook(io.BytesIO(book)).active
    names = {row[3].value: row[4] for row in sheet.iter_rows(min_row=2)}
    assert names["OTHER"].data_type == "s" and names["OTHER"].value == city.other.name
    assert names["O1"].data_type == "s" and names["O1"].value == "@SUM(1+1)\ufffd"
