"""The managers' rankings pages under /staff/rankings/: who may see and do what, creating
and closing periods, computing, publishing, the review against the publication and the
downloads. The data is a small city imported through the commands of SPEC section 7."""

from __future__ import annotations

import datetime
import io
from io import StringIO
from pathlib import Path

import pytest
from django.core.management import call_command
from django.utils import timezone
from openpyxl import load_workbook

from kindness.roles import Role
from scoring import exports, services
from scoring.models import Period, RankingRun
from scoring.views.staff import runs as run_views

ANON = None
MANAGER, AUDITOR = Role.MANAGER, Role.AUDITOR
HEAD, OFFICER = Role.DEPARTMENT_HEAD, Role.REPORT_OFFICER
ROLES = [MANAGER, AUDITOR, HEAD, OFFICER, ANON]
EN = {"HTTP_ACCEPT_LANGUAGE": "en"}

ROSTER = """employee_no,name,bureau,department_code,department,team,position,employment_type,phone,active
S00001,김가람,시민국,S01,민원과,민원1팀,주무관,regular,052-000-0001,Y
S00002,이나래,시민국,S01,민원과,민원1팀,주무관,regular,052-000-0002,Y
S00003,박다온,시민국,S02,소통과,소통1팀,주무관,regular,052-000-0003,Y
S00004,최라온,시민국,S02,소통과,소통1팀,팀장,fixed-term,052-000-0004,Y
S00005,정마루,경제국,S03,경제과,경제1팀,주무관,regular,052-000-0005,Y
S00006,한바다,경제국,S03,경제과,경제1팀,주무관,support,052-000-0006,Y
"""
VISITS = """survey_id,department,surveyed_on,greeting,attitude,explanation,waiting,overall
SV001,S01,2025-02-03,5,5,5,5,5
SV002,S01,2025-03-04,5,4,5,4,5
SV003,S02,2025-02-05,3,3,3,3,3
SV004,S02,2025-03-06,4,3,3,3,4
SV005,S03,2025-04-07,2,2,3,2,2
SV006,S03,2025-05-08,3,2,2,2,3
"""
# Later data: the economy department's visitors are delighted, so S03 moves up.
MORE_VISITS = """survey_id,department,surveyed_on,greeting,attitude,explanation,waiting,overall
SV101,S03,2025-06-02,5,5,5,5,5
SV102,S03,2025-06-03,5,5,5,5,5
SV103,S03,2025-06-04,5,5,5,5,5
SV104,S03,2025-06-05,5,5,5,5,5
SV105,S03,2025-06-09,5,5,5,5,5
SV106,S03,2025-06-10,5,5,5,5,5
SV107,S03,2025-06-11,5,5,5,5,5
SV108,S03,2025-06-12,5,5,5,5,5
"""
PETITIONS = """petition_no,title,department,official_employee_no,petitioner_name,petitioner_phone,received_on,completed_on,channel
SP-0001,민원 1,S01,S00002,홍길동,010-1111-2222,2025-02-01,2025-02-10,online
SP-0002,민원 2,S02,S00003,김철수,010-3333-4444,2025-03-01,2025-03-10,phone
SP-0003,민원 3,S03,S00006,이영희,010-5555-6666,2025-04-01,2025-04-10,visit
"""
HAPPYCALLS = """call_id,petition_no,answered_on,speed,clarity,kindness,result,overall,voc,kind_case,unkind_case
SH001,SP-0001,2025-02-15,5,5,5,5,5,,N,N
SH002,SP-0002,2025-03-15,3,3,2,3,3,,N,N
SH003,SP-0003,2025-04-15,4,4,4,3,4,,N,N
"""
REPORTS = """receipt_no,kind,employee_no,department,incident_on,status,decided_on,text
R-2025-900001,praise,S00001,S01,2025-03-01,verified,2025-03-10,친절한 안내에 감사드립니다
R-2025-900002,unkind,S00005,S03,2025-04-01,substantiated,2025-04-10,설명 없이 전화를 끊었습니다
"""


def phone_surveys() -> str:
    """Three answered calls per official, so that every official is ranked."""
    lines = [
        "call_id,target_employee_no,answered_by_employee_no,called_at,rings,duration_s,"
        "hangup_wait_s,greeting_with_name,tone,accuracy,closing_greeting"
    ]
    for i in range(1, 7):
        for j in range(3):
            tone = 1 + (i + j) % 5
            lines.append(
                f"SC{i}{j},S0000{i},S0000{i},2025-03-{10 + j}T10:00:00+09:00,1,120,3,Y,"
                f"{tone},{6 - tone if j else tone},{'Y' if i % 2 else 'N'}"
            )
    return "\n".join(lines) + "\n"


def import_file(directory: Path, command: str, text: str) -> None:
    path = directory / f"{command}.csv"
    path.write_text(text, encoding="utf-8")
    call_command(command, str(path), stdout=StringIO(), stderr=StringIO())


def import_city(directory: Path) -> None:
    """Three departments in two bureaus, six officials, surveys of every kind, a verified
    praise and a substantiated unkindness report, all in the first half of 2025."""
    for command, text in [
        ("import_roster", ROSTER),
        ("import_petitions", PETITIONS),
        ("import_visit_surveys", VISITS),
        ("import_phone_surveys", phone_surveys()),
        ("import_happycalls", HAPPYCALLS),
        ("import_reports", REPORTS),
    ]:
        import_file(directory, command, text)


@pytest.fixture
def city(db, tmp_path) -> Period:
    import_city(tmp_path)
    return services.period_create(code="2025-H1")


def computed(period: Period) -> RankingRun:
    run = services.run_request(period=period, trigger=RankingRun.Trigger.COMMAND, send=False)
    return services.run_execute(run.pk)


@pytest.fixture
def run(city) -> RankingRun:
    return computed(city)


def url(path: str = "") -> str:
    return f"/staff/rankings/{path}"


# --- permissions -------------------------------------------------------------------------

READ_PAGES = [
    "",
    "rule-sets/",
    "2025-H1/",
    "2025-H1/runs/1/",
    "2025-H1/runs/1/progress/",
    "2025-H1/runs/1/export.csv",
    "2025-H1/runs/1/export.xlsx",
]


@pytest.mark.parametrize("role", ROLES)
@pytest.mark.parametrize("path", READ_PAGES)
def test_managers_and_auditors_read_every_page_others_are_refused(role_client, run, role, path):
    response = role_client(role).get(url(path))

    expected = {MANAGER: 200, AUDITOR: 200, HEAD: 403, OFFICER: 403, ANON: 302}[role]
    assert response.status_code == expected
    if role is ANON:
        assert response["Location"].startswith("/accounts/login/")


POSTS = [
    ("", {"code": "2025-H2"}),
    ("2025-H1/close/", {"closed": "1"}),
    ("2025-H1/compute/", {}),
    ("2025-H1/runs/1/publish/", {"confirm": "on"}),
]


@pytest.mark.parametrize("role", [AUDITOR, HEAD, OFFICER, ANON])
@pytest.mark.parametrize(("path", "data"), POSTS)
def test_only_managers_may_post_and_a_refused_post_changes_nothing(
    role_client, run, role, path, data
):
    response = role_client(role).post(url(path), data)

    assert response.status_code == (302 if role is ANON else 403)
    if role is ANON:
        assert response["Location"].startswith("/accounts/login/")
    assert list(Period.objects.values_list("code", "closed")) == [("2025-H1", False)]
    assert list(RankingRun.objects.values_list("number", "status")) == [(1, "completed")]


@pytest.mark.parametrize("path", ["2025-H1/close/", "2025-H1/compute/", "2025-H1/runs/1/publish/"])
def test_actions_are_post_only(role_client, run, path):
    assert role_client(MANAGER).get(url(path)).status_code == 405


def test_the_forms_carry_a_csrf_token_and_a_post_without_it_is_refused(make_user, run):
    from django.test import Client

    manager = make_user(MANAGER)
    strict = Client(enforce_csrf_checks=True)
    strict.force_login(manager)

    page = strict.get(url("2025-H1/runs/1/")).content.decode()

    assert 'name="csrfmiddlewaretoken"' in page
    assert strict.post(url("2025-H1/runs/1/publish/"), {"confirm": "on"}).status_code == 403
    run.refresh_from_db()
    assert run.status == RankingRun.Status.COMPLETED


def test_only_managers_see_the_buttons(role_client, run):
    manager_page = role_client(MANAGER).get(url("2025-H1/runs/1/")).content.decode()
    assert 'id="publish-form"' in manager_page

    auditor = role_client(AUDITOR)
    for path in ("", "2025-H1/", "2025-H1/runs/1/"):
        page = auditor.get(url(path)).content.decode()
        assert 'method="post" class="staff-form' not in page
        assert "publish-form" not in page
        assert "compute-form" not in page
        assert "close-form" not in page
        assert "period-create" not in page


def test_the_staff_home_links_the_pages_for_managers_and_auditors_only(role_client):
    assert url() in role_client(MANAGER).get("/staff/").content.decode()
    assert url() in role_client(AUDITOR).get("/staff/").content.decode()
    assert url() not in role_client(HEAD).get("/staff/").content.decode()


# --- not found ---------------------------------------------------------------------------


@pytest.mark.parametrize(
    "path",
    [
        "2099-H1/",
        "2099-H1/runs/1/",
        "2025-H1/runs/2/",
        "2025-H1/runs/0/",
        "2025-H1/runs/x/",
        "2025-H1/runs/-1/",
        "2025-H1/runs/99999999999999999999999/",
        "2025-H1/runs/99999999999999999999999/export.csv",
        "2025-H1/runs/7/progress/",
        "2025-H1%00/",
        "a-period-code-far-too-long-to-exist/",
    ],
)
def test_an_unknown_period_or_run_is_a_404(role_client, run, path):
    assert role_client(MANAGER).get(url(path)).status_code == 404


def test_the_404_page_says_which_period_is_unknown(role_client, run):
    response = role_client(MANAGER).get(url("2099-H1/runs/1/"), **EN)

    assert response.status_code == 404
    assert "There is no period 2099-H1." in response.content.decode()
    response = role_client(MANAGER).get(url("2025-H1/runs/5/"), **EN)
    assert "Period 2025-H1 has no run #5." in response.content.decode()


def test_posting_to_an_unknown_period_or_run_is_a_404_and_creates_nothing(role_client, run):
    manager = role_client(MANAGER)

    assert manager.post(url("2099-H1/compute/")).status_code == 404
    assert manager.post(url("2025-H1/runs/9/publish/"), {"confirm": "on"}).status_code == 404
    assert RankingRun.objects.count() == 1


# --- periods -----------------------------------------------------------------------------


def test_the_period_list_shows_each_period_with_its_runs(role_client, run, make_user):
    services.run_publish(run=run, user=make_user(MANAGER))
    second = computed(run.period)

    response = role_client(AUDITOR).get(url())

    assert response.status_code == 200
    (period,) = response.context["periods"]
    assert (period.code, period.latest_number, period.published_number) == ("2025-H1", 2, 1)
    assert period.latest_status == second.status == "completed"
    page = response.content.decode()
    assert f'href="{url("2025-H1/runs/2/")}"' in page
    assert f'href="{url("2025-H1/runs/1/")}"' in page


def test_a_manager_creates_a_standard_period_with_the_programme_dates(role_client, db):
    response = role_client(MANAGER).post(url(), {"code": "2026-H2"})

    assert response.status_code == 302
    assert response["Location"] == url("2026-H2/")
    period = Period.objects.get(code="2026-H2")
    assert period.kind == Period.Kind.SECOND_HALF
    assert (period.starts_on, period.ends_on) == (
        datetime.date(2026, 7, 1),
        datetime.date(2026, 12, 31),
    )
    assert (period.deduction_starts_on, period.deduction_ends_on) == (
        datetime.date(2026, 1, 1),
        datetime.date(2026, 12, 31),
    )


def test_a_manager_creates_a_custom_period_with_its_dates_and_window(role_client, db):
    response = role_client(MANAGER).post(
        url(),
        {
            "code": "2026-Q1",
            "starts_on": "2026-01-01",
            "ends_on": "2026-03-31",
            "deduction_starts_on": "2026-01-01",
            "deduction_ends_on": "2026-03-31",
        },
    )

    assert response.status_code == 302
    period = Period.objects.get(code="2026-Q1")
    assert period.kind == Period.Kind.CUSTOM
    assert (period.starts_on, period.ends_on) == (
        datetime.date(2026, 1, 1),
        datetime.date(2026, 3, 31),
    )
    assert period.deduction_ends_on == datetime.date(2026, 3, 31)


@pytest.mark.parametrize(
    ("data", "message"),
    [
        (
            {"code": "bad code!"},
            "A period code is 1-20 letters, digits, dots, dashes or underscores.",
        ),
        ({"code": "2025-H1"}, "The period 2025-H1 exists already."),
        ({"code": "spring"}, "“spring” is not a standard period code"),
        (
            {"code": "spring", "starts_on": "2026-03-31", "ends_on": "2026-03-01"},
            "The last day comes before the first day.",
        ),
        (
            {"code": "2026", "deduction_starts_on": "2026-01-01"},
            "Give both ends of the deduction window, or neither.",
        ),
        ({"code": "rule-sets"}, "is the address of another page"),
        (
            {"code": "2026-Q2", "starts_on": "2026-13-40", "ends_on": "2026-06-30"},
            "Enter a valid date.",
        ),
        ({"code": ""}, "This field is required."),
    ],
)
def test_a_bad_period_is_refused_on_the_form_with_the_reason(role_client, city, data, message):
    response = role_client(MANAGER).post(url(), data, **EN)

    assert response.status_code == 400
    errors = response.context["form"].errors
    assert message in " ".join(str(e) for field_errors in errors.values() for e in field_errors)
    assert message in response.content.decode()
    assert list(Period.objects.values_list("code", flat=True)) == ["2025-H1"]


def test_a_manager_closes_and_reopens_a_period(role_client, city):
    manager = role_client(MANAGER)

    response = manager.post(url("2025-H1/close/"), {"closed": "1"})
    assert response.status_code == 302
    city.refresh_from_db()
    assert city.closed is True
    # Closing twice is harmless.
    assert manager.post(url("2025-H1/close/"), {"closed": "1"}).status_code == 302

    manager.post(url("2025-H1/close/"), {"closed": "0"})
    city.refresh_from_db()
    assert city.closed is False


def test_a_bad_close_value_is_a_400_and_changes_nothing(role_client, city):
    response = role_client(MANAGER).post(url("2025-H1/close/"), {"closed": "maybe"})

    assert response.status_code == 400
    city.refresh_from_db()
    assert city.closed is False


def test_a_closed_period_is_not_recomputed_at_night(role_client, city):
    from scoring.tasks import recompute_open_periods

    role_client(MANAGER).post(url("2025-H1/close/"), {"closed": "1"})

    assert recompute_open_periods() == 0
    assert not RankingRun.objects.exists()


# --- computing ---------------------------------------------------------------------------


def test_compute_now_computes_a_run_and_shows_it(
    role_client, city, django_capture_on_commit_callbacks
):
    manager = role_client(MANAGER)
    with django_capture_on_commit_callbacks(execute=True):
        response = manager.post(url("2025-H1/compute/"))

    assert response.status_code == 302
    assert response["Location"] == url("2025-H1/runs/1/")
    run = RankingRun.objects.get()
    assert run.status == RankingRun.Status.COMPLETED
    assert run.trigger == RankingRun.Trigger.MANAGER
    assert run.requested_by == manager.user
    page = manager.get(response["Location"])
    assert [d.code for d in page.context["departments"]] == list(
        run.departments.values_list("code", flat=True)
    )
    assert len(page.context["officials"]) == 6
    history = manager.get(url("2025-H1/")).content.decode()
    assert 'id="run-1"' in history


def test_compute_while_a_run_is_computing_says_so_and_queues_nothing(role_client, city):
    RankingRun.objects.create(
        period=city,
        number=1,
        trigger=RankingRun.Trigger.NIGHTLY,
        status=RankingRun.Status.RUNNING,
        rule_set=city.rule_set,
        rules=city.rule_set.as_dict(),
    )

    response = role_client(MANAGER).post(url("2025-H1/compute/"), follow=True, **EN)

    assert response.redirect_chain == [(url("2025-H1/"), 302)]
    assert "Run #1 of 2025-H1 is still being computed" in response.content.decode()
    assert RankingRun.objects.count() == 1


def test_a_run_with_nothing_to_rank_fails_with_its_reason_and_no_server_error(
    role_client, db, django_capture_on_commit_callbacks
):
    services.period_create(code="2024-H1")
    manager = role_client(MANAGER)
    with django_capture_on_commit_callbacks(execute=True):
        response = manager.post(url("2024-H1/compute/"))

    assert response.status_code == 302
    run = RankingRun.objects.get()
    assert run.status == RankingRun.Status.FAILED
    page = manager.get(response["Location"])
    assert page.status_code == 200
    assert run.error in page.content.decode()
    assert "publish-form" not in page.content.decode()


def test_a_computing_run_shows_its_progress_and_polls_until_it_is_done(role_client, city):
    run = RankingRun.objects.create(
        period=city,
        number=1,
        trigger=RankingRun.Trigger.NIGHTLY,
        status=RankingRun.Status.RUNNING,
        rule_set=city.rule_set,
        rules=city.rule_set.as_dict(),
        progress=40,
        stage="computing",
    )
    manager = role_client(MANAGER)

    for path in ("2025-H1/", "2025-H1/runs/1/"):
        page = manager.get(url(path)).content.decode()
        assert 'value="40"' in page
        assert f'hx-get="{url("2025-H1/runs/1/progress/")}"' in page
        assert "vendor/htmx.min.js" in page
        assert 'http-equiv="refresh"' in page  # without JavaScript
    fragment = manager.get(url("2025-H1/runs/1/progress/"))
    assert "HX-Refresh" not in fragment
    assert 'hx-trigger="every 2s"' in fragment.content.decode()

    services.run_fail(run, "stopped")
    fragment = manager.get(url("2025-H1/runs/1/progress/"))
    assert fragment["HX-Refresh"] == "true"
    assert "hx-get" not in fragment.content.decode()
    assert "hx-get" not in manager.get(url("2025-H1/runs/1/")).content.decode()


# --- publishing --------------------------------------------------------------------------


def test_a_manager_publishes_a_computed_run(role_client, run):
    manager = role_client(MANAGER)

    response = manager.post(url("2025-H1/runs/1/publish/"), {"confirm": "on"})

    assert response.status_code == 302
    assert response["Location"] == url("2025-H1/runs/1/")
    run.refresh_from_db()
    assert run.status == RankingRun.Status.PUBLISHED
    assert run.published_by == manager.user
    assert run.period.published_run() == run


def test_publishing_needs_the_confirmation(role_client, run):
    response = role_client(MANAGER).post(url("2025-H1/runs/1/publish/"), {})

    assert response.status_code == 400
    assert "confirm" in response.context["form"].errors
    run.refresh_from_db()
    assert run.status == RankingRun.Status.COMPLETED


def test_publishing_a_newer_run_warns_and_supersedes_the_publication(role_client, run):
    manager = role_client(MANAGER)
    manager.post(url("2025-H1/runs/1/publish/"), {"confirm": "on"})
    computed(run.period)

    page = manager.get(url("2025-H1/runs/2/"))
    assert 'id="publish-form"' in page.content.decode()
    assert page.context["published"] == run

    manager.post(url("2025-H1/runs/2/publish/"), {"confirm": "on"})

    assert dict(RankingRun.objects.values_list("number", "status")) == {
        1: "superseded",
        2: "published",
    }


def publish_refused(client, number: int) -> str:
    response = client.post(
        url(f"2025-H1/runs/{number}/publish/"), {"confirm": "on"}, follow=True, **EN
    )
    assert response.redirect_chain == [(url(f"2025-H1/runs/{number}/"), 302)]
    return response.content.decode()


def test_publishing_twice_is_refused_with_a_message(role_client, run):
    manager = role_client(MANAGER)
    manager.post(url("2025-H1/runs/1/publish/"), {"confirm": "on"})

    assert "Run #1 is published already." in publish_refused(manager, 1)


def test_a_run_still_computing_cannot_be_published(role_client, city):
    RankingRun.objects.create(
        period=city,
        number=1,
        trigger=RankingRun.Trigger.MANAGER,
        status=RankingRun.Status.RUNNING,
        rule_set=city.rule_set,
        rules=city.rule_set.as_dict(),
    )

    assert "Run #1 is still being computed." in publish_refused(role_client(MANAGER), 1)
    assert RankingRun.objects.get().status == RankingRun.Status.RUNNING


def test_a_failed_run_cannot_be_published(role_client, city):
    run = services.run_request(period=city, trigger=RankingRun.Trigger.MANAGER, send=False)
    services.run_fail(run, "stopped")

    assert "Run #1 failed; it cannot be published." in publish_refused(role_client(MANAGER), 1)


def test_a_superseded_run_cannot_be_published_again(role_client, run, make_user):
    manager = role_client(MANAGER)
    services.run_publish(run=run, user=manager.user)
    services.run_publish(run=computed(run.period), user=manager.user)

    assert "Run #1 was published and has been superseded" in publish_refused(manager, 1)
    assert RankingRun.objects.get(number=2).status == RankingRun.Status.PUBLISHED


def test_an_older_run_cannot_be_published_after_a_newer_one(role_client, run):
    manager = role_client(MANAGER)
    services.run_publish(run=computed(run.period), user=manager.user)

    page = manager.get(url("2025-H1/runs/1/")).content.decode()
    assert "publish-form" not in page
    assert "Run #2, newer than #1, is published already." in publish_refused(manager, 1)
    run.refresh_from_db()
    assert run.status == RankingRun.Status.COMPLETED


# --- review ------------------------------------------------------------------------------


def test_the_review_says_when_there_is_no_publication_to_compare_with(role_client, run):
    response = role_client(MANAGER).get(url("2025-H1/runs/1/"))

    assert response.context["baseline"] is None
    page = response.content.decode()
    assert 'id="no-baseline"' in page
    assert "<mark>" not in page
    assert [d.rank for d in response.context["departments"]] == list(
        run.departments.values_list("rank", flat=True)
    )


def test_the_review_shows_the_rules_the_fingerprint_and_the_why_links(role_client, run):
    response = role_client(AUDITOR).get(url("2025-H1/runs/1/"))

    page = response.content.decode()
    rules = dict((str(label), value) for label, value in response.context["rules"])
    assert len(rules) == len(run.rules) - 2  # all but the version and name
    assert "0.4" in rules.values()  # the weight of T, as stored with the run
    tables = {row["label"]: row["rows"] for row in response.context["fingerprint"]}
    assert list(tables.values()) == [
        run.fingerprint[name]["rows"]
        for name in (
            "visit_surveys",
            "phone_surveys",
            "happy_calls",
            "reports",
            "officials",
            "departments",
        )
    ]
    assert tables and 6 in tables.values()  # six visitor surveys, six officials
    # The latest change is a moment in the city's time, not the stored ISO text in UTC.
    stored = run.fingerprint["visit_surveys"]["changed"]
    assert stored not in page
    shown = timezone.localtime(datetime.datetime.fromisoformat(stored))
    assert shown.strftime("%Y-%m-%d %H:%M:%S") in page
    first = response.context["departments"][0]
    assert f'href="/rankings/2025-H1/departments/{first.code}/?run=1"' in page
    assert 'href="/rankings/2025-H1/officials/S00001/?run=1"' in page


def test_the_review_highlights_what_changed_since_the_publication(role_client, run, tmp_path):
    manager = role_client(MANAGER)
    services.run_publish(run=run, user=manager.user)
    before = {d.code: d for d in run.departments.all()}
    assert before["S03"].rank == 3

    import_file(tmp_path, "import_visit_surveys", MORE_VISITS)
    second = computed(run.period)
    response = manager.get(url("2025-H1/runs/2/"))

    assert response.context["baseline"] == run
    rows = {d.code: d for d in response.context["departments"]}
    s03 = rows["S03"]
    assert s03.rank < before["S03"].rank
    assert s03.change.rank_move == before["S03"].rank - s03.rank
    assert s03.change.score_delta == s03.score - before["S03"].score > 0
    summary = response.context["department_diff"]
    assert summary["rank"] >= 2 and summary["new"] == 0 and summary["missing"] == []
    page = response.content.decode()
    assert f'<mark class="rank-move"><strong>{s03.change.text}</strong></mark>' in page

    # The review lists the changed rows only, rank moves first, biggest first; every row
    # on request.
    listed = response.context["departments"]
    assert all(d.change.changed for d in listed)
    kinds = [d.change.kind for d in listed]
    assert kinds == sorted(kinds, key=lambda k: k != "rank")
    moves = [abs(d.change.rank_move or 0) for d in listed if d.change.kind == "rank"]
    assert moves == sorted(moves, reverse=True)
    deltas = [abs(d.change.score_delta) for d in listed if d.change.kind == "score"]
    assert deltas == sorted(deltas, reverse=True)
    for d in listed:
        if d.change.kind == "score":
            assert f'<span class="score-change">{d.change.text}</span>' in page
    unchanged = run.departments.count() - len(listed)
    assert 'href="?show=all"' in page
    every = manager.get(url("2025-H1/runs/2/?show=all"))
    assert [d.code for d in every.context["departments"]] == list(
        second.departments.order_by("position").values_list("code", flat=True)
    )
    assert every.content.decode().count("unchanged") >= unchanged

    # Once published, run 2 is compared with the publication it replaced, and the
    # superseded run 1 with the current publication.
    services.run_publish(run=second, user=manager.user)
    assert manager.get(url("2025-H1/runs/2/")).context["baseline"] == run
    assert manager.get(url("2025-H1/runs/1/")).context["baseline"] == second


def test_a_new_official_is_marked_new_and_one_no_longer_listed_is_named(
    role_client, city, tmp_path
):
    header = ROSTER.splitlines()[0]
    import_file(
        tmp_path,
        "import_roster",
        f"{header}\nS00007,문새봄,경제국,S03,경제과,경제1팀,주무관,regular,052-000-0007,Y\n",
    )
    manager = role_client(MANAGER)
    services.run_publish(run=computed(city), user=manager.user)
    # S00007 leaves (no data in the period, so no row); S00008 joins.
    import_file(
        tmp_path,
        "import_roster",
        f"{header}\nS00007,문새봄,경제국,S03,경제과,경제1팀,주무관,regular,052-000-0007,N\n"
        "S00008,윤하늘,시민국,S01,민원과,민원1팀,주무관,regular,052-000-0008,Y\n",
    )
    computed(city)

    response = manager.get(url("2025-H1/runs/2/"))

    officials = {o.employee_no: o for o in response.context["officials"]}
    assert officials["S00008"].change.new is True
    assert "S00007" not in officials
    summary = response.context["official_diff"]
    assert summary["new"] == 1
    assert [o.employee_no for o in summary["missing"]] == ["S00007"]
    assert "(S00007)" in response.content.decode()


def test_the_review_pages_the_officials(role_client, run, monkeypatch):
    monkeypatch.setattr(run_views, "REVIEW_OFFICIALS_PER_PAGE", 4)
    manager = role_client(MANAGER)
    everyone = list(run.officials.order_by("position").values_list("employee_no", flat=True))
    assert len(everyone) > 4
    first = manager.get(url("2025-H1/runs/1/"))
    assert [o.employee_no for o in first.context["officials"]] == everyone[:4]
    page = first.content.decode()
    assert 'id="official-pages"' in page and 'href="?page=2#officials-heading"' in page
    second = manager.get(url("2025-H1/runs/1/?page=2"))
    assert [o.employee_no for o in second.context["officials"]] == everyone[4:8]
    # A page number that is not one shows the first page, never an error.
    assert manager.get(url("2025-H1/runs/1/?page=x")).status_code == 200


def test_the_first_publication_says_there_is_nothing_earlier(role_client, run):
    manager = role_client(MANAGER)
    services.run_publish(run=run, user=manager.user)

    response = manager.get(url("2025-H1/runs/1/"))

    assert response.context["baseline"] is None
    assert 'id="no-baseline"' in response.content.decode()


# --- downloads ---------------------------------------------------------------------------


def test_the_csv_download_is_the_ranking_file(role_client, run):
    response = role_client(AUDITOR).get(url("2025-H1/runs/1/export.csv"))

    assert response.status_code == 200
    assert response["Content-Type"].startswith("text/csv")
    assert "rankings-2025-H1-run1.csv" in response["Content-Disposition"]
    assert response.content.decode("utf-8") == exports.to_csv(run)
    assert response.content.decode().count("\nofficial,") == 6


def test_the_xlsx_download_holds_every_department_and_official(role_client, run):
    response = role_client(MANAGER).get(url("2025-H1/runs/1/export.xlsx"))

    assert response.status_code == 200
    sheet = load_workbook(io.BytesIO(response.content)).active
    rows = list(sheet.iter_rows(values_only=True))
    assert rows[0] == exports.COLUMNS
    assert [r[0] for r in rows[1:]] == ["department"] * 3 + ["official"] * 6
    first = run.departments.get(position=1)
    assert (rows[1][3], float(rows[1][6])) == (first.code, float(first.score))


def test_a_run_without_rows_has_no_download(role_client, city):
    RankingRun.objects.create(
        period=city,
        number=1,
        trigger=RankingRun.Trigger.MANAGER,
        status=RankingRun.Status.RUNNING,
        rule_set=city.rule_set,
        rules=city.rule_set.as_dict(),
    )

    assert role_client(MANAGER).get(url("2025-H1/runs/1/export.csv")).status_code == 409


# --- rule sets ---------------------------------------------------------------------------


def test_the_rule_sets_page_lists_each_version_its_settings_and_periods(role_client, run):
    response = role_client(AUDITOR).get(url("rule-sets/"))

    assert response.status_code == 200
    (rule_set,) = response.context["rule_sets"]
    assert rule_set.version == run.rules["version"]
    assert rule_set.run_count == 1
    settings = [value for _label, value in rule_set.settings]
    assert settings[:3] == ["0.3", "0.4", "0.3"]
    page = response.content.decode()
    assert f'href="{url("2025-H1/")}"' in page
    assert response.context["admin_url"] is None  # an auditor changes nothing


def test_a_manager_who_is_also_an_administrator_gets_the_link_to_change_rule_sets(
    make_user, client, role_client
):
    from django.contrib import admin

    from scoring.models import RuleSet

    # The admin role alone has no programme page (SPEC section 1).
    assert role_client(Role.ADMIN).get(url("rule-sets/")).status_code == 403
    client.force_login(make_user(Role.ADMIN, Role.MANAGER))
    response = client.get(url("rule-sets/"))

    assert response.status_code == 200
    assert response.context["may_change"] is True
    if admin.site.is_registered(RuleSet):
        assert response.context["admin_url"] == "/admin/scoring/ruleset/"


def test_a_manager_is_told_where_rule_sets_are_changed(role_client, db):
    response = role_client(MANAGER).get(url("rule-sets/"))

    assert response.context["may_change"] is True
    assert response.context["admin_url"] is None  # managers have no admin account
    assert 'class="notice"' in response.content.decode()
