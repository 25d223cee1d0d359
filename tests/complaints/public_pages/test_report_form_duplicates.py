"""The report form's warning of a likely duplicate report."""

from __future__ import annotations

import datetime as dt
import re

import pytest
from django.utils import timezone

from complaints.models import Report
from kindness.roles import Role
from tests.complaints.public_pages.helpers import DONE, NEW, form_data, submit, without_tokens
from tests.factories import DepartmentFactory


def test_same_phone_and_department_within_24_hours_warns_then_stores_when_confirmed(
    client, department
):
    first = form_data(department, kind="unkind", reporter_phone="010-1234-5678")
    client.post(NEW, first)
    again = form_data(
        department,
        kind="unkind",
        reporter_phone="01012345678",
        text="다른 일로 다시 신고합니다. 불친절했습니다.",
    )

    warned = client.post(NEW, again)
    confirmed = client.post(NEW, {**again, "confirm_duplicate": "on"})

    assert warned.status_code == 200
    assert warned.context["duplicate"] is True
    assert 'name="confirm_duplicate"' in warned.content.decode()
    assert "다른 일로 다시 신고합니다." in warned.content.decode()
    assert confirmed.status_code == 302
    assert Report.objects.count() == 2


def test_a_stranger_filing_a_likely_duplicate_gets_no_different_answer_and_staff_see_the_mark(
    client, department, role_client
):
    from django.test import Client

    resident, stranger, control = Client(), Client(), Client()
    resident.post(NEW, form_data(department, kind="unkind", reporter_phone="010-1234-5678"))
    earlier = Report.objects.get()

    probe = stranger.post(NEW, form_data(department, kind="unkind", reporter_phone="01012345678"))
    unknown = control.post(
        NEW, form_data(department, kind="unkind", reporter_phone="010-9999-0000")
    )

    assert probe.status_code == unknown.status_code == 302
    assert probe["Location"] == unknown["Location"] == DONE

    def done_page(browser) -> str:
        html = browser.get(DONE).content.decode()
        return re.sub(r"R-\d{4}-\d{6}|[2-9A-HJ-NP-Z]{10}", "#", without_tokens(html))

    assert done_page(stranger) == done_page(control)
    stored = Report.objects.get(reporter_phone="010-1234-5678", pk__gt=earlier.pk)
    assert stored.duplicate_of == earlier
    assert Report.objects.get(reporter_phone="010-9999-0000").duplicate_of is None

    staff = role_client(Role.REPORT_OFFICER)
    mark = f"{earlier.receipt_no} 건과 중복 의심"
    assert mark in staff.get(f"/staff/reports/{stored.receipt_no}/").content.decode()
    assert mark in staff.get("/staff/reports/").content.decode()


def test_a_forged_or_foreign_filed_cookie_gives_no_warning(client, department):
    from django.test import Client

    Client().post(NEW, form_data(department, kind="unkind", reporter_phone="010-1234-5678"))
    earlier = Report.objects.get()
    client.cookies["reports_filed"] = earlier.receipt_no  # unsigned: not this site's

    response = client.post(
        NEW, form_data(department, kind="unkind", reporter_phone="010-1234-5678")
    )

    assert response.status_code == 302
    assert Report.objects.latest("pk").duplicate_of == earlier


def test_the_same_phone_for_another_department_is_no_duplicate(client, department):
    client.post(NEW, form_data(department, reporter_phone="010-1234-5678"))

    response = client.post(NEW, form_data(DepartmentFactory(), reporter_phone="010-1234-5678"))

    assert response.status_code == 302
    assert Report.objects.count() == 2


@pytest.mark.parametrize(("window", "age_hours", "marked"), [(24, 23, True), (2, 3, False)])
def test_the_duplicate_window_is_the_programme_settings_one(department, window, age_hours, marked):
    from kindness.models import ProgrammeSettings

    ProgrammeSettings.objects.update_or_create(pk=1, defaults={"duplicate_window_hours": window})
    earlier = submit(department=department, reporter_phone="010-1234-5678").report
    older = timezone.now() - dt.timedelta(hours=age_hours)
    Report.objects.filter(pk=earlier.pk).update(created_at=older)

    later = submit(department=department, reporter_phone="010-1234-5678").report

    assert later.duplicate_of_id == (earlier.pk if marked else None)


def test_without_a_settings_row_the_default_window_applies(department):
    from kindness.models import ProgrammeSettings

    ProgrammeSettings.objects.all().delete()
    earlier = submit(department=department, reporter_phone="010-1234-5678").report

    later = submit(department=department, reporter_phone="010-1234-5678").report

    assert later.duplicate_of_id == earlier.pk
