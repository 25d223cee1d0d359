"""Browser tests: Playwright (sync API, pytest-playwright) driving Debian's Chromium against
pytest-django's live server, on a phone-sized screen, in Korean. Skipped with the reason
when Chromium is absent; with REQUIRE_SERVICES=1 (CI) that is a failure instead."""

from __future__ import annotations

import shutil

import pytest
from django.contrib.auth.models import Group
from django.utils import timezone

from complaints import services
from complaints.models import Report
from kindness.roles import Role
from tests.conftest import require_service
from tests.factories import BureauFactory, DepartmentFactory, OfficialFactory, UserFactory

PASSWORD = "correct horse battery staple"
VIEWPORT = {"width": 360, "height": 740}


@pytest.fixture(scope="session")
def browser_type_launch_args(browser_type_launch_args):
    chromium = shutil.which("chromium")
    require_service(bool(chromium), "Chromium is not installed (apt-get install -y chromium)")
    return {
        **browser_type_launch_args,
        "executable_path": chromium,
        "args": [
            "--no-sandbox",
            "--disable-gpu",
            "--disable-background-networking",
            "--disable-component-update",
            "--disable-sync",
            "--no-first-run",
            "--disable-quic",
        ],
    }


@pytest.fixture(scope="session")
def browser_context_args(browser_context_args):
    return {**browser_context_args, "viewport": VIEWPORT, "locale": "ko-KR"}


@pytest.fixture
def page(page):
    """Every browser test also fails on a Content-Security-Policy violation (SPEC section
    8): Chromium reports each one in the console (an inline script, style or handler that
    the policy blocked)."""
    violations: list[str] = []

    def on_console(message) -> None:
        if "Content Security Policy" in message.text:
            violations.append(f"{page.url}: {message.text}")

    page.on("console", on_console)
    yield page
    assert not violations, "CSP violations:\n" + "\n".join(violations)


@pytest.fixture
def site(live_server, transactional_db):
    """The live server's address, with committed data visible to it."""
    return live_server.url


@pytest.fixture
def manager(transactional_db):
    user = UserFactory(username="manager1")  # password: PASSWORD
    user.groups.add(Group.objects.get(name=Role.MANAGER))
    return user


@pytest.fixture
def case(site):
    """An unkindness report under review about a matched official, handled by officer1."""
    department = DepartmentFactory(code="B01", name="민원봉사과", bureau=BureauFactory())
    official = OfficialFactory(employee_no="B00002", name="이무뚝", department=department)
    officer = UserFactory(username="officer1")
    officer.groups.add(Group.objects.get(name=Role.REPORT_OFFICER))
    report = services.report_submit(
        kind=Report.Kind.UNKIND,
        department=department,
        official_name="이무뚝",
        incident_on=timezone.localdate(),
        channel=Report.Channel.PHONE,
        text="전화로 문의했더니 설명 없이 언성을 높이고 통화를 끊었습니다.",
        reporter_name="홍길동",
        reporter_phone="010-1234-5678",
        official=official,
    ).report
    services.report_take(report=report, by=officer)
    services.report_start_review(report=report, by=officer)
    return report
