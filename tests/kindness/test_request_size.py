"""Oversized request bodies are refused early, before they are read, with the per-route
limits of SPEC section 7 and a clear translated 413 page."""

from __future__ import annotations

import pytest
from django.core.files.uploadedfile import SimpleUploadedFile

from complaints.models import Attachment, Report
from kindness.middleware import request_body_limit
from kindness.roles import Role
from tests.complaints.public_pages.helpers import form_data, png_bytes
from tests.factories import DepartmentFactory

MB = 2**20
EN = {"HTTP_ACCEPT_LANGUAGE": "en"}


def declared(client, path: str, length: int, **extra):
    """A POST that declares `length` bytes but carries only a few: the test client's input
    refuses to be read past what it holds, so a 413 here means nothing read the body."""
    return client.generic(
        "POST",
        path,
        b"x" * 10,
        content_type="application/x-www-form-urlencoded",
        CONTENT_LENGTH=str(length),
        **extra,
    )


@pytest.mark.parametrize(
    "path, limit",
    [
        ("/reports/new/", 16 * MB),
        ("/open311/v2/requests.json", 16 * MB),
        ("/staff/imports/", 20 * MB),
        ("/reports/track/", 1 * MB),
        ("/consultations/new/", 1 * MB),
        ("/accounts/login/", 1 * MB),
        ("/admin/kindness/department/add/", 1 * MB),
    ],
)
def test_each_route_has_its_limit(path, limit):
    assert request_body_limit(path) == limit


@pytest.mark.django_db
@pytest.mark.parametrize(
    "path, length",
    [
        ("/reports/new/", 50 * MB),
        ("/reports/new/", 16 * MB + 1),
        ("/open311/v2/requests.json", 16 * MB + 1),
        ("/staff/imports/", 20 * MB + 1),
        ("/reports/track/", 1 * MB + 1),
        ("/consultations/new/", 1 * MB + 1),
    ],
)
def test_a_body_over_the_limit_is_refused_unread_with_a_413_page(client, path, length):
    response = declared(client, path, length, **EN)
    assert response.status_code == 413
    assert "What you sent is too large" in response.content.decode()
    assert not Report.objects.exists()


@pytest.mark.django_db
def test_the_413_page_is_in_korean_by_default(client):
    response = declared(client, "/reports/new/", 50 * MB)
    assert response.status_code == 413
    body = response.content.decode()
    assert "보낸 내용이 너무 큽니다" in body and "16 MB" in body


@pytest.mark.django_db
def test_a_body_within_the_limit_is_read_as_usual(client):
    response = declared(client, "/reports/track/", 10)
    assert response.status_code != 413


@pytest.mark.django_db
def test_three_5_mb_attachments_still_fit_the_report_form(client):
    department = DepartmentFactory()
    files = [
        SimpleUploadedFile(f"p{i}.png", (png_bytes() + b"\x00" * (5 * MB))[: 5 * MB], "image/png")
        for i in range(3)
    ]
    response = client.post("/reports/new/", {**form_data(department), "attachments": files})
    assert response.status_code == 302, response.context and response.context["form"].errors
    assert Attachment.objects.count() == 3


@pytest.mark.django_db
def test_a_20_mb_upload_reaches_the_import_page_but_more_does_not(role_client):
    client = role_client(Role.MANAGER)
    response = declared(client, "/staff/imports/", 20 * MB + 1)
    assert response.status_code == 413
