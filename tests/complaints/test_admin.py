"""The report centre in Django admin: IT can look cases up, never change them, and never
sees a reporter's personal data (SPEC section 8)."""

import pytest

from complaints.models import MeritRecord, ReportEvent
from kindness.roles import Role
from tests.factories import OfficialFactory, ReportFactory

pytestmark = pytest.mark.django_db

MODELS = ["report", "reportevent", "meritrecord", "encouragement"]


@pytest.fixture
def admin_client(role_client):
    return role_client(Role.ADMIN)


@pytest.fixture
def report():
    official = OfficialFactory(name="이친절")
    report = ReportFactory(
        receipt_no="R-2000-000777",
        status="verified",
        official=official,
        department=official.department,
        reporter_name="홍길동",
        reporter_phone="010-9876-5432",
        reporter_email="hong@example.com",
    )
    ReportEvent.objects.create(report=report, action="verified", note="기록 확인")
    MeritRecord.objects.create(
        kind="incentive",
        official=official,
        report=report,
        department=official.department,
        on="2026-01-05",
    )
    return report


@pytest.mark.parametrize("model", MODELS)
def test_admin_lists_and_searches_each_report_centre_model(admin_client, report, model):
    assert admin_client.get(f"/admin/complaints/{model}/").status_code == 200
    assert admin_client.get(f"/admin/complaints/{model}/", {"q": "R-2000"}).status_code == 200


def test_admin_finds_a_report_by_receipt_number_and_filters_by_kind_and_status(
    admin_client, report
):
    ReportFactory(receipt_no="R-2000-000888", kind="praise")

    found = admin_client.get("/admin/complaints/report/", {"q": "000777"}).content.decode()
    filtered = admin_client.get(
        "/admin/complaints/report/", {"kind__exact": "unkind", "status__exact": "verified"}
    ).content.decode()

    assert "R-2000-000777" in found and "R-2000-000888" not in found
    assert "R-2000-000777" in filtered and "R-2000-000888" not in filtered


def test_the_report_page_shows_the_history_but_no_personal_data_and_cannot_save(
    admin_client, report
):
    page = admin_client.get(f"/admin/complaints/report/{report.pk}/change/")

    html = page.content.decode()
    assert page.status_code == 200
    assert "기록 확인" in html
    for personal in ("홍길동", "010-9876-5432", "hong@example.com"):
        assert personal not in html
    assert 'name="_save"' not in html

    admin_client.post(f"/admin/complaints/report/{report.pk}/change/", {"status": "rejected"})
    report.refresh_from_db()
    assert report.status == "verified"


@pytest.mark.parametrize("model", MODELS)
def test_nothing_can_be_added_or_deleted_in_the_report_centre_admin(admin_client, report, model):
    assert admin_client.get(f"/admin/complaints/{model}/add/").status_code == 403
    if model == "report":
        assert admin_client.get(f"/admin/complaints/report/{report.pk}/delete/").status_code == 403
