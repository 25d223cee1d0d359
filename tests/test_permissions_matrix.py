"""Role x URL matrix: every page of the site, every role, the status it must answer.

Each capability adds its pages to PAGES. A role missing from a page's row means "the
default of that row". Department and bureau heads are linked to an official of department
OWN (in bureau B1); OTHER is a department of another bureau.
"""

from __future__ import annotations

import datetime

import pytest

from complaints.models import Report
from kindness.roles import Role
from scoring.models import Period, RankingRun, RuleSet
from tests.factories import BureauFactory, DepartmentFactory, OfficialFactory

ANON = None
# A user with the superuser flag and no role: the flag grants no programme page.
SUPERUSER = "superuser"
ROLES = [ANON, *Role.values, SUPERUSER]
STAFF = {r: 200 for r in Role.values}
LOGIN = 302  # anonymous visitors are sent to the login page
FORBIDDEN = 403

# Programme pages answer 403 to IT (the admin role, or the superuser flag without a role).
NO_PROGRAMME_ROLE = {Role.ADMIN: FORBIDDEN, SUPERUSER: FORBIDDEN}

# (url, {role: status}); `default` applies to roles not named; the superuser (no role)
# gets what the admin role gets unless named.
PAGES: list[tuple[str, dict]] = [
    ("/", {"default": 200}),
    ("/healthz", {"default": 200}),
    ("/accounts/login/", {"default": 302, ANON: 200}),
    ("/reports/new/", {"default": 200}),
    ("/reports/new/?kind=unkind", {"default": 200}),
    ("/reports/new/done/", {"default": 200}),  # nothing filed: says so and links the form
    ("/reports/track/", {"default": 200}),
    ("/praise/", {"default": 200}),
    ("/staff/", {"default": 200, ANON: LOGIN}),
    ("/staff/departments/", {"default": 200, ANON: LOGIN}),
    # A superuser without a role has no scope: the list is empty, no department opens.
    ("/staff/departments/OWN/", {"default": 200, ANON: LOGIN, SUPERUSER: 404}),
    (
        "/staff/departments/OTHER/",
        {
            "default": 200,
            ANON: LOGIN,
            Role.DEPARTMENT_HEAD: 404,
            Role.BUREAU_HEAD: 404,
            SUPERUSER: 404,
        },
    ),
    (
        "/staff/departments/SIBLING/",
        {"default": 200, ANON: LOGIN, Role.DEPARTMENT_HEAD: 404, SUPERUSER: 404},
    ),
    (
        "/staff/imports/",
        {
            "default": FORBIDDEN,
            ANON: LOGIN,
            Role.MANAGER: 200,
            Role.AUDITOR: 200,
        },
    ),
    # Report centre (complaints): R-2026-000001 was filed about OWN, R-2026-000002 about OTHER.
    (
        "/staff/reports/",
        {"default": 200, ANON: LOGIN, Role.HAPPY_CALL: FORBIDDEN, **NO_PROGRAMME_ROLE},
    ),
    (
        "/staff/reports/R-2026-000001/",
        {"default": 200, ANON: LOGIN, Role.HAPPY_CALL: FORBIDDEN, **NO_PROGRAMME_ROLE},
    ),
    (
        "/staff/reports/R-2026-000002/",
        {
            "default": 200,
            ANON: LOGIN,
            Role.HAPPY_CALL: FORBIDDEN,
            **NO_PROGRAMME_ROLE,
            Role.DEPARTMENT_HEAD: 404,
            Role.BUREAU_HEAD: 404,
        },
    ),
    (
        "/staff/reports/R-2099-999999/",
        {"default": 404, ANON: LOGIN, Role.HAPPY_CALL: FORBIDDEN, **NO_PROGRAMME_ROLE},
    ),
    # Actions are POST only: a GET changes nothing.
    (
        "/staff/reports/R-2026-000001/take/",
        {"default": 405, ANON: LOGIN, Role.HAPPY_CALL: FORBIDDEN, **NO_PROGRAMME_ROLE},
    ),
    (
        "/staff/reports/R-2026-000001/attachments/no-such-token/",
        {"default": 404, ANON: LOGIN, Role.HAPPY_CALL: FORBIDDEN, **NO_PROGRAMME_ROLE},
    ),
    (
        "/staff/follow-up/",
        {"default": FORBIDDEN, ANON: LOGIN, Role.DEPARTMENT_HEAD: 200},
    ),
    (
        "/staff/encouragement/",
        {
            "default": FORBIDDEN,
            ANON: LOGIN,
            Role.BUREAU_HEAD: 200,
            Role.MANAGER: 200,
            Role.AUDITOR: 200,
        },
    ),
    ("/staff/cases/", {"default": 200, ANON: LOGIN, **NO_PROGRAMME_ROLE}),
    ("/staff/calls/", {"default": FORBIDDEN, ANON: LOGIN, Role.HAPPY_CALL: 200}),
    (
        "/staff/survey-links/letters/",
        {"default": FORBIDDEN, ANON: LOGIN, Role.HAPPY_CALL: 200},
    ),
    ("/s/" + "A" * 22 + "/", {"default": 404}),  # not a live survey link: the same page for all
    (
        "/staff/calls/dashboard/",
        {
            "default": FORBIDDEN,
            ANON: LOGIN,
            Role.HAPPY_CALL: 200,
            Role.MANAGER: 200,
            Role.AUDITOR: 200,
        },
    ),
    # Rankings: period P has a published run.
    ("/rankings/", {"default": 200}),
    ("/rankings/P/", {"default": 200}),
    ("/rankings/P/rankings.csv", {"default": 200}),
    ("/rankings/P/rankings-data.csv", {"default": 200}),
    ("/rankings/NOPE/", {"default": 404}),
    # P's run was published before runs kept their tallies: it has no package, for anyone.
    ("/rankings/P/package.zip", {"default": 404}),
    ("/rankings/P/runs/1/package.zip", {"default": 404}),
    (
        "/rankings/P/officials/",
        {
            "default": FORBIDDEN,
            ANON: LOGIN,
            Role.MANAGER: 200,
            Role.AUDITOR: 200,
            Role.DEPARTMENT_HEAD: 200,
            Role.BUREAU_HEAD: 200,
        },
    ),
    *[
        (
            url,
            {
                "default": FORBIDDEN,
                ANON: LOGIN,
                Role.MANAGER: 200,
                Role.AUDITOR: 200,
            },
        )
        for url in (
            "/staff/rankings/",
            "/staff/rankings/rule-sets/",
            "/staff/rankings/P/",
            "/staff/rankings/P/runs/1/",
        )
    ],
    (
        "/staff/rankings/P/compute/",
        {
            "default": FORBIDDEN,
            ANON: LOGIN,
            Role.MANAGER: 405,
            Role.AUDITOR: FORBIDDEN,
        },
    ),
    # Open311: public reads and the developer page; POST needs a key, not a login.
    ("/open311/", {"default": 200}),
    ("/open311/v2/openapi.json", {"default": 200}),
    ("/open311/v2/discovery.json", {"default": 200}),
    ("/open311/v2/services.xml", {"default": 200}),
    ("/open311/v2/requests.json", {"default": 200}),
    ("/open311/v2/requests/R-2026-000001.json", {"default": 200}),
    ("/open311/v2/requests/R-2099-999999.xml", {"default": 404}),
    # Programme records (SPEC section 6).
    ("/consultations/new/", {"default": 200}),
    ("/consultations/track/", {"default": 200}),
    *[
        (
            url,
            {
                "default": FORBIDDEN,
                ANON: LOGIN,
                Role.REPORT_OFFICER: 200,
                Role.MANAGER: 200,
                Role.AUDITOR: 200,
            },
        )
        for url in ("/staff/consultations/",)
    ],
    # Experts are programme settings: the admin role keeps them (SPEC section 1).
    (
        "/staff/consultations/experts/",
        {
            "default": FORBIDDEN,
            ANON: LOGIN,
            Role.REPORT_OFFICER: 200,
            Role.MANAGER: 200,
            Role.AUDITOR: 200,
            Role.ADMIN: 200,
            SUPERUSER: 200,
        },
    ),
    *[
        (
            url,
            {
                "default": 200,
                ANON: LOGIN,
                Role.HAPPY_CALL: FORBIDDEN,
                Role.REPORT_OFFICER: FORBIDDEN,
                **NO_PROGRAMME_ROLE,
            },
        )
        for url in (
            "/staff/initiatives/",
            "/staff/training/",
            "/staff/training/departments/",
            "/staff/training/departments/OWN/",
        )
    ],
    (
        "/staff/training/departments/OTHER/",
        {
            "default": 200,
            ANON: LOGIN,
            Role.HAPPY_CALL: FORBIDDEN,
            Role.REPORT_OFFICER: FORBIDDEN,
            Role.DEPARTMENT_HEAD: 404,
            Role.BUREAU_HEAD: 404,
            **NO_PROGRAMME_ROLE,
        },
    ),
    ("/staff/training/new/", {"default": FORBIDDEN, ANON: LOGIN, Role.MANAGER: 200}),
    (
        "/staff/programme/2026/",
        {"default": FORBIDDEN, ANON: LOGIN, Role.MANAGER: 200, Role.AUDITOR: 200},
    ),
    # Django admin: IT's users, organisation, API keys and programme settings, never a
    # report, petition, call or consultation, whoever asks (SPEC section 1).
    ("/admin/", {"default": 302, Role.ADMIN: 200, SUPERUSER: 200}),
    *[
        (url, {"default": 302, Role.ADMIN: 200, SUPERUSER: 200})
        for url in (
            "/admin/auth/user/",
            "/admin/kindness/department/",
            "/admin/kindness/official/",
            "/admin/kindness/programmesettings/",
            "/admin/programme/expert/",
            "/admin/complaints/apikey/",
            "/admin/surveys/questionnaire/",
            "/admin/surveys/phonescorecard/",
        )
    ],
    *[
        (url, {"default": 302, Role.ADMIN: FORBIDDEN, SUPERUSER: FORBIDDEN})
        for url in (
            "/admin/kindness/importbatch/",
            "/admin/kindness/outboxmessage/",
            "/admin/programme/consultationslot/",
            "/admin/programme/initiative/",
            "/admin/scoring/rankingrun/",
            "/admin/scoring/officialscore/",
        )
    ],
    *[
        (url, {"default": 302, Role.ADMIN: 404, SUPERUSER: 404})
        for url in (
            "/admin/complaints/report/",
            "/admin/complaints/reportevent/",
            "/admin/surveys/petition/",
            "/admin/surveys/happycall/",
            "/admin/programme/consultationrequest/",
        )
    ],
    ("/no-such-page/", {"default": 404}),
]


@pytest.fixture
def organisation(db):
    bureau = BureauFactory(name="B1")
    own = DepartmentFactory(code="OWN", bureau=bureau)
    DepartmentFactory(code="SIBLING", bureau=bureau)
    other = DepartmentFactory(code="OTHER", bureau=BureauFactory(name="B2"))
    for receipt_no, department in (("R-2026-000001", own), ("R-2026-000002", other)):
        Report.objects.create(
            receipt_no=receipt_no,
            kind=Report.Kind.UNKIND,
            department=department,
            incident_on=datetime.date(2026, 1, 5),
            channel=Report.Channel.VISIT,
            text="창구 직원이 불친절했습니다.",
            reporter_name="홍길동",
            reporter_phone="010-1234-5678",
        )
    period = Period.objects.create(
        code="P",
        kind=Period.Kind.CUSTOM,
        starts_on=datetime.date(2026, 1, 1),
        ends_on=datetime.date(2026, 6, 30),
        rule_set=RuleSet.current(),
    )
    RankingRun.objects.create(
        period=period,
        number=1,
        trigger=RankingRun.Trigger.MANAGER,
        status=RankingRun.Status.PUBLISHED,
        rule_set=period.rule_set,
        rules=period.rule_set.as_dict(),
    )
    return own


@pytest.mark.parametrize("role", ROLES, ids=lambda r: r or "anonymous")
@pytest.mark.parametrize("url,expected", PAGES, ids=[p[0] for p in PAGES])
def test_each_role_gets_the_status_the_matrix_gives(
    role, url, expected, organisation, role_client, make_user, client
):
    official = OfficialFactory(department=organisation)
    if role == SUPERUSER:
        client.force_login(make_user(is_superuser=True, is_staff=True))
    else:
        client = role_client(role, official=official)
    response = client.get(url)
    want = expected.get(
        role,
        expected.get(Role.ADMIN, expected["default"]) if role == SUPERUSER else expected["default"],
    )
    assert response.status_code == want, f"{role or 'anonymous'} {url}"
    if want == LOGIN and role is ANON and url.startswith("/staff/"):
        assert response["Location"].startswith("/accounts/login/")
