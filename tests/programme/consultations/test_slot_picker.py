"""The slot picker when staff confirm a request (SPEC section 6, issue 15 item 7): the slots
of experts in the requested field, on or after the preferred date at the preferred time of
day, nearest first; the others only on asking ("show all open slots"), or when none matches;
the server still accepts any open slot and refuses a booked one."""

from __future__ import annotations

import re

import pytest

from kindness.roles import Role
from programme.consultations import selectors, services
from programme.models import ConsultationRequest, Expert
from tests.programme.consultations.helpers import (
    NEW,
    Status,
    at,
    detail,
    form_data,
    refreshed,
    sign_in,
    submit,
)

pytestmark = pytest.mark.django_db

TAX, LABOUR = "세무·지방세", "노무·임금체불"
PREFERRED_IN = 3  # days from today


@pytest.fixture
def room(db):
    """Two experts; the tax expert's slots around the preferred day, one booked."""
    tax = Expert.objects.create(name="김세무", field=TAX)
    labour = Expert.objects.create(name="이노무", field=LABOUR)
    gone = Expert.objects.create(name="박퇴직", field="퇴직연금", active=False)

    def offer(expert, days, hour):
        return services.slot_create(
            expert=expert, starts_at=at(days, hour), ends_at=at(days, hour, 50)
        )

    slots = {
        "tax_d5_pm": offer(tax, 5, 15),
        "tax_d3_pm": offer(tax, 3, 14),
        "tax_d3_am": offer(tax, 3, 10),
        "tax_d1_pm": offer(tax, 1, 14),
        "tax_d4_booked": offer(tax, 4, 14),
        "labour_d3_pm": offer(labour, 3, 14),
        "labour_d9_am": offer(labour, 9, 9),
    }
    services.consultation_confirm(consultation=submit(), slot=slots["tax_d4_booked"], by=None)
    return {"tax": tax, "labour": labour, "gone": gone, **slots}


def request_for(**changes) -> ConsultationRequest:
    fields = {
        "topic": "재산세 감면 대상 여부",
        "field": TAX,
        "preferred_on": at(PREFERRED_IN).date(),
        "preferred_time": "afternoon",
    }
    fields.update(changes)
    return submit(**fields)


def offered(page: str) -> list[int]:
    select = re.search(r'<select name="slot".*?</select>', page, re.S)[0]
    return [int(v) for v in re.findall(r'<option value="(\d+)"', select)]


def groups(page: str) -> list[str]:
    select = re.search(r'<select name="slot".*?</select>', page, re.S)[0]
    return re.findall(r'<optgroup label="([^"]+)"', select)


def test_matching_slots_are_the_fields_on_or_after_the_day_at_the_time_nearest_first(room):
    picker = selectors.slot_choices(consultation=request_for())

    assert picker.field_by == selectors.BY_CHOICE
    assert picker.matching == [room["tax_d3_pm"], room["tax_d5_pm"]]
    # The same field's other times: nearest to the preferred afternoon first.
    assert picker.same_field == [room["tax_d3_am"], room["tax_d1_pm"]]
    assert picker.others == [room["labour_d3_pm"], room["labour_d9_am"]]
    every = picker.matching + picker.same_field + picker.others
    assert room["tax_d4_booked"] not in every


def test_a_morning_request_is_offered_morning_slots(room):
    picker = selectors.slot_choices(consultation=request_for(preferred_time="morning"))

    assert picker.matching == [room["tax_d3_am"]]


def test_any_time_of_day_takes_every_slot_from_the_preferred_day(room):
    picker = selectors.slot_choices(consultation=request_for(preferred_time="any"))

    assert picker.matching == [room["tax_d3_am"], room["tax_d3_pm"], room["tax_d5_pm"]]


def test_without_a_chosen_field_the_experts_field_named_in_the_topic_is_used(room):
    consultation = request_for(field="", topic="아르바이트 임금 체불 상담")

    picker = selectors.slot_choices(consultation=consultation)

    assert picker.field_by == selectors.BY_TOPIC
    assert picker.fields == [LABOUR]
    assert picker.matching == [room["labour_d3_pm"]]


def test_a_request_naming_no_field_is_offered_every_experts_slots_in_its_dates(room):
    consultation = request_for(field="", topic="부모님 상속 절차")

    picker = selectors.slot_choices(consultation=consultation)

    assert picker.field_by == selectors.BY_NONE
    # At the same hour, by the expert's name.
    assert picker.matching == [room["tax_d3_pm"], room["labour_d3_pm"], room["tax_d5_pm"]]


def test_the_confirm_form_offers_only_the_matching_slots_and_a_link_to_the_others(
    client, make_user, room
):
    consultation = request_for()
    sign_in(client, make_user, Role.REPORT_OFFICER)

    response = client.get(detail(consultation), HTTP_ACCEPT_LANGUAGE="en")

    page = response.content.decode()
    assert response.status_code == 200
    assert offered(page) == [room["tax_d3_pm"].pk, room["tax_d5_pm"].pk]
    assert groups(page) == []
    assert f"experts in {TAX}" in page
    link = re.search(r'<a id="show-all-slots" href="([^"]+)">([^<]+)</a>', page)
    assert link[1] == f"{detail(consultation)}?slots=all#action-confirm"
    assert "(4 more)" in link[2]


def test_show_all_lists_every_open_slot_grouped_with_the_matching_ones_first(
    client, make_user, room
):
    consultation = request_for()
    sign_in(client, make_user, Role.REPORT_OFFICER)

    page = client.get(detail(consultation) + "?slots=all", HTTP_ACCEPT_LANGUAGE="en")
    page = page.content.decode()

    assert groups(page) == [
        "Matching the request",
        "Same field, other dates or times",
        "Other experts",
    ]
    assert offered(page) == [
        room[key].pk
        for key in (
            "tax_d3_pm",
            "tax_d5_pm",
            "tax_d3_am",
            "tax_d1_pm",
            "labour_d3_pm",
            "labour_d9_am",
        )
    ]
    assert 'name="show_all" value="1"' in page
    assert 'id="show-matching-slots"' in page


def test_when_nothing_matches_every_open_slot_is_listed_with_a_notice(client, make_user, room):
    consultation = request_for(preferred_on=at(20).date())
    sign_in(client, make_user, Role.REPORT_OFFICER)

    page = client.get(detail(consultation), HTTP_ACCEPT_LANGUAGE="en").content.decode()

    assert 'id="slot-picker-none"' in page
    assert groups(page) == ["Same field, other dates or times", "Other experts"]
    assert len(offered(page)) == 6


def test_a_slot_of_another_expert_can_still_be_confirmed(client, make_user, room):
    consultation = request_for()
    sign_in(client, make_user, Role.REPORT_OFFICER)

    response = client.post(
        detail(consultation, "confirm"), {"slot": room["labour_d9_am"].pk, "show_all": "1"}
    )

    assert response.status_code == 302
    assert refreshed(consultation).slot == room["labour_d9_am"]
    assert refreshed(consultation).status == Status.CONFIRMED


def test_a_booked_slot_is_refused_and_the_full_list_stays_open(client, make_user, room):
    consultation = request_for()
    sign_in(client, make_user, Role.REPORT_OFFICER)

    response = client.post(
        detail(consultation, "confirm"),
        {"slot": room["tax_d4_booked"].pk, "show_all": "1"},
        HTTP_ACCEPT_LANGUAGE="en",
    )

    page = response.content.decode()
    assert response.status_code == 409
    assert "This slot is already booked by request" in page
    assert room["tax_d4_booked"].pk not in offered(page)
    assert "Other experts" in groups(page)
    assert refreshed(consultation).status == Status.REQUESTED


@pytest.mark.parametrize("value", ["abc", "999999", ""])
def test_a_bad_slot_is_a_400_with_a_message(client, make_user, room, value):
    consultation = request_for()
    sign_in(client, make_user, Role.REPORT_OFFICER)

    response = client.post(detail(consultation, "confirm"), {"slot": value})

    assert response.status_code == 400
    assert refreshed(consultation).status == Status.REQUESTED


def test_the_request_form_offers_the_active_experts_fields(client, room):
    page = client.get(NEW, HTTP_ACCEPT_LANGUAGE="en").content.decode()

    select = re.search(r'<select name="field".*?</select>', page, re.S)[0]
    assert re.findall(r'<option value="([^"]*)"', select) == ["", *sorted([TAX, LABOUR])]
    assert "퇴직연금" not in select


def test_the_chosen_field_is_stored_and_a_field_not_offered_is_refused(client, room):
    before = ConsultationRequest.objects.count()  # the room's booked slot has a request
    assert client.post(NEW, form_data(field=LABOUR)).status_code == 302
    assert ConsultationRequest.objects.latest("pk").field == LABOUR

    response = client.post(NEW, form_data(field="퇴직연금"), HTTP_ACCEPT_LANGUAGE="en")

    assert response.status_code == 400
    assert "Select a valid choice" in response.content.decode()
    assert ConsultationRequest.objects.count() == before + 1
