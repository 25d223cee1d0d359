"""A case's attachments: served as downloads to those who may open the case only."""

from __future__ import annotations

import pytest
from django.core.files.uploadedfile import SimpleUploadedFile

from kindness.roles import Role
from tests.complaints.staff_pages.helpers import case_url, file_report, sign_in
from tests.factories import OfficialFactory

pytestmark = pytest.mark.django_db


@pytest.fixture
def with_attachment(settings, tmp_path, own):
    settings.MEDIA_ROOT = tmp_path
    upload = SimpleUploadedFile(
        "사진.png", b"\x89PNG\r\n\x1a\n fake image", content_type="image/png"
    )
    report = file_report(own, attachments=[(upload, "image/png")])
    return report, report.attachments.get()


def test_attachments_are_served_as_downloads_to_those_who_may_open_the_case(
    role_client, with_attachment
):
    report, attachment = with_attachment
    client = role_client(Role.AUDITOR)
    html = client.get(case_url(report)).content.decode()
    url = f"{case_url(report)}attachments/{attachment.token}/"
    assert f'href="{url}"' in html
    response = client.get(url)
    assert response.status_code == 200
    assert response["Content-Type"] == "image/png"
    assert response["Content-Disposition"].startswith("attachment;")
    assert response["X-Content-Type-Options"] == "nosniff"
    assert b"".join(response.streaming_content).startswith(b"\x89PNG")


def test_attachments_are_refused_to_everyone_else(client, make_user, with_attachment, other):
    report, attachment = with_attachment
    url = f"{case_url(report)}attachments/{attachment.token}/"
    assert client.get(url)["Location"].startswith("/accounts/login/")
    sign_in(client, make_user, Role.HAPPY_CALL)
    assert client.get(url).status_code == 403
    sign_in(client, make_user, Role.DEPARTMENT_HEAD, official=OfficialFactory(department=other))
    assert client.get(url).status_code == 404
    sign_in(client, make_user, Role.REPORT_OFFICER)
    assert client.get(f"{case_url(report)}attachments/not-a-token/").status_code == 404


def test_an_attachment_token_of_another_report_is_not_served(role_client, with_attachment, own):
    _report, attachment = with_attachment
    stranger = file_report(own)
    client = role_client(Role.REPORT_OFFICER)
    assert client.get(f"{case_url(stranger)}attachments/{attachment.token}/").status_code == 404
