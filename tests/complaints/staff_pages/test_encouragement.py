"""The encouragement page and its candidates."""

from __future__ import annotations

import datetime as dt

import pytest
from django.utils import timezone

from complaints import selectors
from complaints.models import Encouragement
from kindness.models import ProgrammeSettings
from kindness.roles import Role
from tests.complaints.staff_pages.helpers import Status, praise_for
from tests.factories import OfficialFactory

pytestmark = pytest.mark.django_db


def test_encouragement_needs_the_threshold_of_counted_praise_in_that_year(own):
    year = timezone.localdate().year
    once = OfficialFactory(department=own, name="한번")
    twice = OfficialFactory(department=own, name="두번")
    old = OfficialFactory(department=own, name="작년")
    praise_for(once)
    praise_for(twice)
    praise_for(twice, status=Status.SHARED)
    praise_for(old)
    praise_for(old, on=dt.date(year - 1, 12, 31))
    praise_for(once, status=Status.RECEIVED)
    listed = {o.name: o.praise_count for o in selectors.encouragement_candidates(year=year)}
    assert listed == {"두번": 2}
    assert {o.name for o in selectors.encouragement_candidates(year=year - 1)} == set()


def test_encouragement_candidates_are_one_grouped_query_filtered_by_bureau(
    own, other, django_assert_num_queries
):
    a = OfficialFactory(department=own)
    b = OfficialFactory(department=other)
    for official in (a, a, b, b):
        praise_for(official)
    ProgrammeSettings.load()
    year = timezone.localdate().year
    with django_assert_num_queries(2):  # the settings row, then the candidates
        assert [
            o.pk for o in selectors.encouragement_candidates(year=year, bureau_id=own.bureau_id)
        ] == [a.pk]


def test_the_threshold_is_a_setting(own):
    official = OfficialFactory(department=own)
    praise_for(official)
    ProgrammeSettings.objects.update_or_create(pk=1, defaults={"encouragement_threshold": 1})
    assert [o.pk for o in selectors.encouragement_candidates(year=timezone.localdate().year)] == [
        official.pk
    ]


def test_bureau_head_records_an_encouragement_once(role_client, own, other):
    official = OfficialFactory(department=own, name="칭찬왕")
    elsewhere = OfficialFactory(department=other, name="타국직원")
    for o in (official, official, elsewhere, elsewhere):
        praise_for(o)
    year = timezone.localdate().year
    client = role_client(Role.BUREAU_HEAD, official=OfficialFactory(department=own))
    html = client.get("/staff/encouragement/").content.decode()
    assert "칭찬왕" in html and "타국직원" not in html
    data = {"official": official.pk, "on": timezone.localdate().isoformat(), "note": "격려 면담"}
    for _ in range(2):
        response = client.post(f"/staff/encouragement/?year={year}", data)
        assert response.status_code == 302 and response["Location"].endswith(f"?year={year}")
    assert Encouragement.objects.filter(official=official, year=year).count() == 1
    html = client.get("/staff/encouragement/").content.decode()
    assert f'name="official" value="{official.pk}"' not in html  # recorded: no form any more


def test_encouragement_of_an_official_not_on_the_list_or_in_the_future_is_refused(
    role_client, own, other
):
    listed = OfficialFactory(department=own)
    elsewhere = OfficialFactory(department=other)
    for o in (listed, listed, elsewhere, elsewhere):
        praise_for(o)
    client = role_client(Role.BUREAU_HEAD, official=OfficialFactory(department=own))
    today = timezone.localdate()
    assert (
        client.post(
            "/staff/encouragement/", {"official": elsewhere.pk, "on": today.isoformat()}
        ).status_code
        == 404
    )
    tomorrow = (today + dt.timedelta(days=1)).isoformat()
    response = client.post(
        "/staff/encouragement/", {"official": listed.pk, "on": tomorrow, "note": "내일 격려"}
    )
    assert response.status_code == 400
    assert f'id="id_enc{listed.pk}_on_error" role="alert"' in response.content.decode()
    assert "내일 격려" in response.content.decode()
    assert not Encouragement.objects.exists()


def test_managers_see_the_whole_citys_encouragement_list_read_only(role_client, own, other):
    a, b = (
        OfficialFactory(department=own, name="가공무원"),
        OfficialFactory(department=other, name="나공무원"),
    )
    for o in (a, a, b, b):
        praise_for(o)
    client = role_client(Role.MANAGER)
    html = client.get("/staff/encouragement/").content.decode()
    assert "가공무원" in html and "나공무원" in html and 'name="official"' not in html
    assert (
        client.post(
            "/staff/encouragement/", {"official": a.pk, "on": timezone.localdate().isoformat()}
        ).status_code
        == 403
    )


def test_a_past_year_can_be_chosen(role_client, own):
    official = OfficialFactory(department=own, name="지난해칭찬")
    last_year = timezone.localdate().year - 1
    praise_for(official, on=dt.date(last_year, 5, 1))
    praise_for(official, on=dt.date(last_year, 6, 1))
    client = role_client(Role.AUDITOR)
    assert "지난해칭찬" not in client.get("/staff/encouragement/").content.decode()
    assert "지난해칭찬" in client.get("/staff/encouragement/", {"year": last_year}).content.decode()
    bad = client.get("/staff/encouragement/", {"year": "abc"})
    assert bad.status_code == 400
    assert "1900" in bad.content.decode()  # says which years are possible
