"""Content-Security-Policy without inline scripts, Cache-Control: no-store on pages that
may show personal data unmasked, and staff sessions of a working day (SPEC section 8)."""

from __future__ import annotations

import re
from pathlib import Path

import pytest
from django.conf import settings
from django.utils import timezone

from kindness.roles import Role
from tests.factories import UserFactory

ROOT = Path(__file__).resolve().parents[2]
TEMPLATES = sorted((ROOT / "templates").rglob("*.html"))


def test_every_page_carries_a_policy_without_inline_scripts_or_styles(client, db):
    policy = client.get("/")["Content-Security-Policy"]
    directives = dict(
        (part.split()[0], part.split()[1:]) for part in policy.split(";") if part.strip()
    )
    assert directives["script-src"] == ["'self'"]
    assert directives["style-src"] == ["'self'"]
    assert directives["object-src"] == ["'none'"]
    assert directives["frame-ancestors"] == ["'none'"]
    assert "unsafe" not in policy


@pytest.mark.parametrize("template", TEMPLATES, ids=lambda p: str(p.relative_to(ROOT)))
def test_no_template_has_inline_script_handler_or_style(template):
    text = template.read_text()
    inline_scripts = [tag for tag in re.findall(r"<script\b[^>]*>", text) if "src=" not in tag]
    assert inline_scripts == []
    assert re.findall(r"\son[a-z]+\s*=", text) == []
    assert re.findall(r"\sstyle\s*=", text) == []
    assert "<style" not in text


@pytest.mark.django_db
def test_staff_pages_are_never_stored(role_client):
    client = role_client(Role.MANAGER)
    for url in ("/staff/", "/staff/departments/", "/staff/imports/"):
        response = client.get(url)
        assert response.status_code == 200, url
        assert "no-store" in response["Cache-Control"], url


@pytest.mark.django_db
@pytest.mark.parametrize("url", ["/reports/new/", "/reports/track/", "/consultations/new/"])
def test_public_pages_with_personal_data_are_never_stored(client, url):
    response = client.get(url)
    assert response.status_code == 200
    assert "no-store" in response["Cache-Control"]


@pytest.mark.django_db
def test_the_home_page_of_a_visitor_may_be_stored(client):
    assert "no-store" not in client.get("/").get("Cache-Control", "")


@pytest.mark.django_db
def test_a_staff_session_lasts_a_working_day(client):
    assert settings.STAFF_SESSION_SECONDS == 9 * 3600
    user = UserFactory(username="officer")
    user.set_password("correct horse battery staple")
    user.save()
    response = client.post(
        "/accounts/login/",
        {"username": "officer", "password": "correct horse battery staple"},
    )
    assert response.status_code == 302
    ends = client.session.get_expiry_date()
    assert abs((ends - timezone.now()).total_seconds() - 9 * 3600) < 60
    assert abs(response.cookies[settings.SESSION_COOKIE_NAME]["max-age"] - 9 * 3600) < 60
    # Activity that changes the session does not make the day longer.
    session = client.session
    session["touched"] = True
    session.save()
    assert client.session.get_expiry_date() == ends
