"""The expert consultation room in the browser (issue "Done when"): on a phone-sized screen a
resident asks for a consultation and sees the request number and its tracking secret once,
and follows the request at /consultations/track/; a report officer logs in, opens the request
(the resident's data masked until they handle it), sees the slots matching the request first
and the others on asking, confirms a free slot, and the request shows confirmed with the
resident's phone now shown to them; the resident then sees the confirmed time and the
expert's field. Every page visited is checked with axe-core and must fit a 360 px screen.

Elements are found by id; texts are compared with what Django renders in Korean (`shown`),
so they hold whether or not a string is translated yet."""

from __future__ import annotations

import datetime as dt
import re

import pytest
from django.contrib.auth.models import Group
from django.utils import timezone, translation
from django.utils.translation import gettext
from playwright.sync_api import Page, expect

from kindness.models import AccessLog
from kindness.roles import Role
from programme.consultations import services
from programme.models import ConsultationRequest, Expert
from tests.e2e.test_pages import check_page, log_in
from tests.factories import UserFactory

pytestmark = pytest.mark.browser

Status = ConsultationRequest.Status
NAME, PHONE = "홍길동", "010-1234-5678"


def shown(text) -> str:
    with translation.override("ko"):
        return gettext(str(text))


@pytest.fixture
def room(site):
    """An expert with two free slots next week, and a report officer."""
    expert = Expert.objects.create(name="김세무", field="세무·지방세")
    day = timezone.localdate() + dt.timedelta(days=7)
    slots = [
        services.slot_create(
            expert=expert,
            starts_at=timezone.make_aware(dt.datetime.combine(day, dt.time(hour))),
            ends_at=timezone.make_aware(dt.datetime.combine(day, dt.time(hour, 50))),
            place="시청 본관 1층 상담실",
        )
        for hour in (14, 15)
    ]
    # Another field's expert: reachable from the picker, but not offered first.
    other = Expert.objects.create(name="이노무", field="노무·임금체불")
    services.slot_create(
        expert=other,
        starts_at=timezone.make_aware(dt.datetime.combine(day, dt.time(10))),
        ends_at=timezone.make_aware(dt.datetime.combine(day, dt.time(10, 50))),
    )
    officer = UserFactory(username="officer1")
    officer.groups.add(Group.objects.get(name=Role.REPORT_OFFICER))
    return {"expert": expert, "slots": slots, "officer": officer}


def test_a_resident_asks_for_a_consultation_and_staff_confirm_a_slot(page: Page, site, room):
    assert page.viewport_size == {"width": 360, "height": 740}

    # 1. A resident files a request, first with a date in the past.
    page.goto(f"{site}/consultations/new/")
    expect(page.locator("html")).to_have_attribute("lang", "ko")
    check_page(page)
    page.locator("#id_topic").fill("전세 보증금 반환 문의")
    page.locator("#id_field").select_option("세무·지방세")
    page.locator("#id_details").fill("계약이 끝났는데 보증금을 돌려받지 못했습니다.")
    yesterday = timezone.localdate() - dt.timedelta(days=1)
    page.locator("#id_preferred_on").fill(yesterday.isoformat())
    page.locator('input[name="preferred_time"][value="afternoon"]').check()
    page.locator("#id_preferred_note").fill("평일 오후 3시 이후")
    page.locator("#id_priority_group").select_option("low_income")
    page.locator("#id_name").fill(NAME)
    page.locator("#id_phone").fill("010 1234 5678")
    page.locator("#id_consent").check()
    page.locator("form.consultation-form button[type=submit]").click()

    expect(page.locator(".error-summary")).to_contain_text(
        shown("The preferred date cannot be in the past.")
    )
    assert ConsultationRequest.objects.count() == 0
    check_page(page)

    preferred = timezone.localdate() + dt.timedelta(days=7)
    page.locator("#id_preferred_on").fill(preferred.isoformat())
    page.locator("#id_consent").check()
    page.locator("form.consultation-form button[type=submit]").click()

    page.wait_for_url(f"{site}/consultations/new/done/")
    receipt_no = page.locator("#request-no").inner_text().strip()
    assert re.fullmatch(rf"C-{timezone.localdate().year}-\d{{6}}", receipt_no), receipt_no
    check_page(page)
    secret = page.locator("#tracking-secret").inner_text().strip()
    assert re.fullmatch(r"[23456789ABCDEFGHJKLMNPQRSTUVWXYZ]{10}", secret), secret
    consultation = ConsultationRequest.objects.get(receipt_no=receipt_no)
    assert (consultation.phone, consultation.priority_group) == (PHONE, "low_income")
    assert secret not in consultation.secret_hash

    # On reload the number stays; the secret is gone for good.
    page.reload()
    expect(page.locator("#request-no")).to_have_text(receipt_no)
    expect(page.locator("#tracking-secret")).to_have_count(0)
    expect(page.locator("#secret-shown")).to_be_visible()
    check_page(page)

    # 1b. The resident follows the request: a wrong secret first, then the right one.
    page.locator(f'a[href="/consultations/track/?receipt_no={receipt_no}"]').click()
    page.wait_for_url(f"{site}/consultations/track/?receipt_no={receipt_no}")
    expect(page.locator("#id_receipt_no")).to_have_value(receipt_no)
    check_page(page)
    page.locator("#id_secret").fill("AAAAAAAAAA")
    page.locator("form.track-form button[type=submit]").click()
    expect(page.locator(".error-summary")).to_contain_text(
        shown("No request matches this number and secret. Check both and try again.")
    )
    check_page(page)
    page.locator("#id_secret").fill(secret.lower())
    page.locator("form.track-form button[type=submit]").click()
    expect(page.locator("#track-status")).to_have_text(shown(Status.REQUESTED.label))
    expect(page.locator("#track-slot")).to_have_count(0)
    check_page(page)

    # 2. A report officer finds it in the list, marked as a priority group, masked.
    log_in(page, site, "officer1")
    page.goto(f"{site}/staff/consultations/")
    check_page(page)
    row = page.locator("tbody tr", has=page.get_by_role("link", name=receipt_no))
    expect(row).to_contain_text("홍*동")
    expect(row.locator(".mark")).to_have_count(1)
    row.get_by_role("link", name=receipt_no).click()

    page.wait_for_url(f"{site}/staff/consultations/{receipt_no}/")
    expect(page.locator("#request-status")).to_have_text(shown(Status.REQUESTED.label))
    expect(page.locator("#resident-contact")).not_to_contain_text(PHONE)
    check_page(page)

    # 3. The picker offers the tax expert's afternoon slots; the other field's on asking.
    slot = room["slots"][0]
    offered = page.locator("#id_confirm_slot option:not([value=''])")
    expect(offered).to_have_count(2)
    expect(page.locator("#slot-picker-basis")).to_contain_text("세무·지방세")
    page.locator("#show-all-slots").click()
    page.wait_for_url(re.compile(r".*\?slots=all#action-confirm$"))
    expect(page.locator("#id_confirm_slot optgroup")).to_have_count(2)
    expect(offered).to_have_count(3)
    check_page(page)

    # They confirm the first slot: the request is confirmed and they now handle it.
    page.locator("#id_confirm_slot").select_option(str(slot.pk))
    with page.expect_navigation():
        page.locator("#action-confirm button[type=submit]").click()

    expect(page.locator(".messages")).to_contain_text(shown("The consultation is confirmed."))
    expect(page.locator("#request-status")).to_have_text(shown(Status.CONFIRMED.label))
    expect(page.locator("#request-slot")).to_contain_text(room["expert"].name)
    # No e-mail address was given: the handler is told to phone, and sees the number.
    expect(page.locator("#resident-notice")).to_contain_text(PHONE)
    expect(page.locator("#resident-contact")).to_contain_text(NAME)
    check_page(page)

    consultation.refresh_from_db()
    assert consultation.status == Status.CONFIRMED
    assert consultation.slot == slot
    assert consultation.handler == room["officer"]
    assert AccessLog.objects.filter(
        user=room["officer"], object_id=str(consultation.pk), action="view_resident"
    ).exists()

    # 4. The expert's page shows the slot booked by this request, the other one free.
    page.goto(f"{site}/staff/consultations/experts/")
    check_page(page)
    page.get_by_role("link", name=room["expert"].name).click()
    page.wait_for_url(f"{site}/staff/consultations/experts/{room['expert'].pk}/")
    expect(page.locator("#slots tbody tr").first).to_contain_text(receipt_no)
    check_page(page)

    # 5. Signed out again, the resident sees the confirmed time and the expert's field,
    # and neither the handler nor any staff note.
    page.context.clear_cookies()
    page.goto(f"{site}/consultations/track/")
    page.locator("#id_receipt_no").fill(receipt_no)
    page.locator("#id_secret").fill(secret)
    page.locator("form.track-form button[type=submit]").click()
    expect(page.locator("#track-status")).to_have_text(shown(Status.CONFIRMED.label))
    starts = timezone.localtime(slot.starts_at)
    expect(page.locator("#track-slot")).to_contain_text(f"{starts:%Y-%m-%d %H:%M}")
    expect(page.locator("#track-field")).to_have_text("세무·지방세")
    expect(page.locator("main")).not_to_contain_text("officer1")
    check_page(page)
