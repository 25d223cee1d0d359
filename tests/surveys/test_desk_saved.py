"""Issue 15 item 2: after a save the next call's card says what was saved (answers, score,
the receipt number of each report a flag opened), once; the card holds the petitioner and
the attempts, beside the questionnaire."""

from __future__ import annotations

import pytest
from django.utils import translation

from complaints.models import Report
from tests.surveys.desk.conftest import caller  # noqa: F401 (a fixture)
from tests.surveys.desk.helpers import FORM, queued_call
from tests.surveys.test_queue import survey_defaults  # noqa: F401 (a fixture)

pytestmark = [pytest.mark.django_db, pytest.mark.usefixtures("survey_defaults")]
EN = {"HTTP_ACCEPT_LANGUAGE": "en"}


def save(client, call, **extra):
    return client.post(f"/staff/calls/{call.pk}/", FORM | extra, follow=True, **EN)


def test_the_next_calls_card_says_what_was_saved_with_the_receipt_of_the_report(client, caller):  # noqa: F811
    first, following = queued_call(caller), queued_call(caller)
    client.force_login(caller)

    page = save(client, first, voc="설명 없이 끊었습니다.", unkind_case="on").content.decode()

    report = Report.objects.get(source=Report.Source.HAPPY_CALL)
    card = page.split('id="call-card"')[1].split('id="survey"')[0]
    assert 'aria-describedby="desk-saved"' in page.split('id="call-card"')[1].split(">")[0]
    assert f"Saved petition {first.petition.petition_no}: 4 of 5 questions answered" in card
    assert "response score 62.5." in card
    assert f"Unkindness report {report.receipt_no} opened." in card
    assert f"Petition {following.petition.petition_no}" in card
    assert 'id="petitioner-phone"' in card and 'id="attempts"' in card


def test_a_praise_flag_names_the_praise_report(client, caller):  # noqa: F811
    first = queued_call(caller)
    queued_call(caller)
    client.force_login(caller)

    page = save(client, first, kind_case="on").content.decode()

    report = Report.objects.get(source=Report.Source.HAPPY_CALL)
    assert f"Praise report {report.receipt_no} opened." in page
    assert "Unkindness report" not in page


def test_the_confirmation_is_said_once_and_without_a_next_call_too(client, caller):  # noqa: F811
    only = queued_call(caller)
    client.force_login(caller)

    page = save(client, only).content.decode()
    again = client.get("/staff/calls/", **EN).content.decode()

    assert 'id="desk-empty"' in page
    assert f"Saved petition {only.petition.petition_no}" in page
    assert 'id="desk-saved"' not in again


def test_the_confirmation_is_in_korean_by_default(client, caller):  # noqa: F811
    first = queued_call(caller)
    client.force_login(caller)

    page = client.post(f"/staff/calls/{first.pk}/", FORM, follow=True).content.decode()

    saved = page.split('id="desk-saved"')[1].split("</div>")[0]
    with translation.override("ko"):
        korean = translation.gettext(
            "Saved petition %(number)s: %(given)s of %(items)s questions answered, "
            "response score %(score)s."
        )
    assert korean.startswith("민원 ")
    expected = korean % {
        "number": first.petition.petition_no,
        "given": 4,
        "items": 5,
        "score": "62.5",
    }
    assert expected in saved


def test_a_failed_save_shows_no_confirmation(client, caller):  # noqa: F811
    first = queued_call(caller)
    client.force_login(caller)

    response = client.post(f"/staff/calls/{first.pk}/", {"item_speed": "5"}, **EN)

    assert response.status_code == 400
    assert 'id="desk-saved"' not in response.content.decode()
