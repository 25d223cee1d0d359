"""Answering by link, and the page /s/<token>/."""

from __future__ import annotations

import datetime as dt
import re
import threading

import pytest
from django.db import connection

from complaints.models import Report
from surveys.links import records
from surveys.links.services import LinkNotLive, survey_link_answer
from surveys.models import HappyCall, HappyCallAnswer, SurveyLink
from surveys.services import CallClosed, happy_call_complete
from tests.conftest import REQUIRE_SERVICES, require_service, using_postgresql
from tests.surveys.links.helpers import ANSWERS, TODAY, LinkStatus, Status, linked_call, url
from tests.surveys.test_queue import make_agent, survey_defaults_ensure

# ---------------------------------------------------------------------------- answering


@pytest.mark.django_db
def test_an_answer_by_link_completes_the_call_as_web_and_uses_the_link(questionnaire, sms_dir):
    call, link = linked_call()
    survey_link_answer(
        link=link, answers=ANSWERS, voc="빨리 처리해 주셔서 감사합니다", unkind_case=True
    )
    call.refresh_from_db()
    assert (call.status, call.mode, call.answered_on) == (Status.COMPLETED, "web", TODAY)
    assert call.response_score == pytest.approx((100 + 75 + 100 + 50) / 4)
    assert call.unkind_report.source == Report.Source.HAPPY_CALL
    with pytest.raises(LinkNotLive):
        survey_link_answer(link=link, answers=ANSWERS)


@pytest.mark.django_db
def test_an_answer_at_the_desk_closes_the_open_link(make_user, questionnaire, sms_dir):
    caller = make_agent(make_user)
    call, link = linked_call()
    happy_call_complete(call=call, by=caller, answers=ANSWERS)
    link.refresh_from_db()
    call.refresh_from_db()
    assert link.status == LinkStatus.CLOSED
    assert call.mode == "phone"


# ---------------------------------------------------------------------------- the page


@pytest.mark.django_db
def test_the_page_shows_department_and_month_only_and_sends_no_referrer(
    client, questionnaire, sms_dir
):
    call, link = linked_call()
    response = client.get(url(records.token(link)))
    assert response.status_code == 200
    page = response.content.decode()
    assert call.department.name in page
    assert call.petition.petitioner_name not in page
    assert call.petition.title not in page
    assert f"{call.petition.completed_on.year}년 {call.petition.completed_on.month}월" in page
    assert response["Referrer-Policy"] == "no-referrer"
    assert "no-store" in response["Cache-Control"]


@pytest.mark.django_db
def test_answering_on_the_page_then_a_second_visit_is_refused(client, questionnaire, sms_dir):
    call, link = linked_call()
    token = records.token(link)
    data = {f"item_{k}": str(v or 0) for k, v in ANSWERS.items()} | {"voc": "", "kind_case": "on"}
    response = client.post(url(token), data)
    assert response.status_code == 200
    call.refresh_from_db()
    assert call.mode == "web" and call.kind_report is not None
    second = client.get(url(token))
    assert second.status_code == 404
    unknown = client.get(url("A" * 22))

    # The same page, but for the address itself (the language form returns to it) and
    # the CSRF token, masked afresh on every page.
    def plain(response, token=token):
        text = response.content.decode().replace(token, "A" * 22)
        return re.sub(r'name="csrfmiddlewaretoken" value="[^"]*"', "", text)

    assert plain(second) == plain(unknown)


@pytest.mark.django_db
def test_a_missing_answer_keeps_the_form_with_a_message(client, questionnaire, sms_dir):
    call, link = linked_call()
    response = client.post(url(records.token(link)), {"item_speed": "5"})
    assert response.status_code == 400
    assert "survey-errors" in response.content.decode()
    call.refresh_from_db()
    assert call.status == Status.LINK


@pytest.mark.django_db
@pytest.mark.parametrize("path", ["/s/short/", "/s/" + "A" * 22 + "/", "/s/a/b/", "/s/", "/s/%00/"])
def test_unknown_and_malformed_links_get_the_same_404_page(client, path):
    response = client.get(path)
    assert response.status_code == 404
    assert "120" in response.content.decode()  # the centre's number
    assert response["Referrer-Policy"] == "no-referrer"


@pytest.mark.django_db
def test_expired_and_unsent_links_are_not_live(client, questionnaire, sms_dir):
    call, unsent = linked_call(phone="02-123-4567")  # a letter not yet printed
    assert client.get(url(records.token(unsent))).status_code == 404
    call, link = linked_call()
    SurveyLink.objects.filter(pk=link.pk).update(sent_on=TODAY - dt.timedelta(days=8))
    assert client.get(url(records.token(link))).status_code == 404


@pytest.mark.django_db
def test_only_failed_lookups_count_toward_the_limit(client, settings, questionnaire, sms_dir):
    settings.RATELIMIT_ENABLE = True
    settings.SURVEY_LINK_RATE = "3/h"
    from django.core.cache import cache

    cache.clear()
    call, link = linked_call()
    for _ in range(5):
        assert client.get(url(records.token(link))).status_code == 200
    for _ in range(3):
        assert client.get(url("B" * 22)).status_code == 404
    throttled = client.get(url(records.token(link)))
    assert throttled.status_code == 404
    cache.clear()


@pytest.mark.django_db
def test_rotating_the_token_key_voids_outstanding_links(client, settings, questionnaire, sms_dir):
    call, link = linked_call()
    token = records.token(link)
    settings.TOKEN_KEY = "rotated"
    assert client.get(url(token)).status_code == 404


@pytest.mark.django_db
def test_the_form_posts_with_a_null_origin_and_the_page_switches_to_english(questionnaire, sms_dir):
    from django.test import Client

    call, link = linked_call()
    browser = Client(enforce_csrf_checks=True)
    english = browser.get(url(records.token(link)) + "?lang=en")
    assert "How was your petition handled?" in english.content.decode()
    assert browser.cookies["django_language"].value == "en"
    data = {f"item_{k}": str(v or 0) for k, v in ANSWERS.items()}
    response = browser.post(url(records.token(link)), data, headers={"Origin": "null"})
    assert response.status_code == 200
    call.refresh_from_db()
    assert call.mode == "web"


@pytest.mark.services
@pytest.mark.django_db(transaction=True)
# Skipped before the database is set up: a transactional test ends with a flush.
@pytest.mark.skipif(
    not (using_postgresql() or REQUIRE_SERVICES), reason="row locks need PostgreSQL (DATABASE_URL)"
)
def test_a_link_answered_in_two_tabs_and_at_the_desk_at_once_is_answered_once(
    make_user, settings, tmp_path
):
    require_service(using_postgresql(), "row locks need PostgreSQL (DATABASE_URL)")
    survey_defaults_ensure()
    settings.SMS_URL = f"file://{tmp_path}"
    caller = make_agent(make_user)
    call, link = linked_call()
    barrier = threading.Barrier(3)
    outcomes: list[str] = []

    def by_link():
        barrier.wait()
        try:
            survey_link_answer(link=SurveyLink.objects.get(pk=link.pk), answers=ANSWERS)
            outcomes.append("web")
        except LinkNotLive:
            outcomes.append("refused")
        finally:
            connection.close()

    def at_desk():
        barrier.wait()
        try:
            happy_call_complete(call=HappyCall.objects.get(pk=call.pk), by=caller, answers=ANSWERS)
            outcomes.append("phone")
        except CallClosed:
            outcomes.append("refused")
        finally:
            connection.close()

    threads = [threading.Thread(target=f) for f in (by_link, by_link, at_desk)]
    for t in threads:
        t.start()
    for t in threads:
        t.join()

    assert outcomes.count("refused") == 2
    assert HappyCallAnswer.objects.filter(call=call).count() == 5
