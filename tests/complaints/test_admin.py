"""The report centre in Django admin: no page shows a report or its history, to anyone
(SPEC section 1); the records that follow from decisions are read-only and need a programme
role besides admin access."""

import pytest

from complaints.models import MeritRecord, ReportEvent
from kindness.roles import Role
from tests.factories import OfficialFactory, ReportFactory

pytestmark = pytest.mark.django_db

RECORDS = ["meritrecord", "encouragement"]


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


def sign_in_it_manager(make_user, client):
    """IT staff who also hold the manager role, with the superuser flag: everything admin
    can give."""
    client.force_login(make_user(Role.ADMIN, Role.MANAGER, is_superuser=True))
    return client


@pytest.fixture
def it_manager(make_user, client):
    return sign_in_it_manager(make_user, client)


@pytest.mark.parametrize("model", ["report", "reportevent"])
def test_no_admin_page_shows_reports_or_their_history(it_manager, report, model):
    assert it_manager.get(f"/admin/complaints/{model}/").status_code == 404
    assert it_manager.get(f"/admin/complaints/{model}/{report.pk}/change/").status_code == 404


def test_the_admin_index_lists_no_report(it_manager, report):
    html = it_manager.get("/admin/").content.decode()
    assert "/admin/complaints/report/" not in html
    assert "/admin/complaints/apikey/" in html


@pytest.mark.parametrize("model", RECORDS)
def test_decision_records_are_listed_read_only_for_a_programme_role(
    role_client, make_user, client, report, model
):
    assert role_client(Role.ADMIN).get(f"/admin/complaints/{model}/").status_code == 403
    it_manager = sign_in_it_manager(make_user, client)
    assert it_manager.get(f"/admin/complaints/{model}/").status_code == 200
    assert it_manager.get(f"/admin/complaints/{model}/", {"q": "이친절"}).status_code == 200
    assert it_manager.get(f"/admin/complaints/{model}/add/").status_code == 403


def test_a_merit_record_page_names_no_report(it_manager, report):
    merit = MeritRecord.objects.get(report=report)
    html = it_manager.get(f"/admin/complaints/meritrecord/{merit.pk}/change/").content.decode()
    assert "이친절" in html
    assert "R-2000-000777" not in html and "홍길동" not in html
