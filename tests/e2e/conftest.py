"""Browser tests: Playwright (sync API, pytest-playwright) driving Debian's Chromium against
pytest-django's live server, on a phone-sized screen, in Korean. Skipped with the reason
when Chromium is absent; with REQUIRE_SERVICES=1 (CI) that is a failure instead."""

from __future__ import annotations

import shutil

import pytest
from django.contrib.auth.models import Group

from kindness.roles import Role
from tests.conftest import require_service
from tests.factories import UserFactory

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
