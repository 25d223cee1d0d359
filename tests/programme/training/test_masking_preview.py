"""Before a handout is shown, the manager previews it with every span the masker changed
highlighted (issue 14, item 11); the printed handout shows the masked words plainly."""

from __future__ import annotations

import re

import pytest
from django.urls import reverse

from kindness.roles import Role
from programme.training import selectors, services
from tests.factories import OfficialFactory
from tests.programme.training.helpers import Kind, flagged_call, make_session

pytestmark = pytest.mark.django_db

VOC = "최 민호 주무관님 고마워요. 박민원 드림, +82-10-9876-5432로 연락 주세요."


def marked(html: str) -> list[str]:
    return re.findall(r'<mark class="masked">(.*?)</mark>', html)


def test_the_manager_sees_every_masked_span_highlighted_and_the_print_shows_none(role_client):
    session = make_session(Kind.CASE_BASED)
    call = flagged_call(voc=VOC, official=OfficialFactory(name="최민호"))
    services.handout_case_add(session=session, happy_call=call)
    client = role_client(Role.MANAGER)

    preview = client.get(reverse("training:handout", args=[session.pk])).content.decode()
    printed = client.get(reverse("training:handout-print", args=[session.pk])).content.decode()

    assert marked(preview) == ["최*호", "박*원", "010-****-5432"]
    assert 'id="masking-preview"' in preview
    assert "<mark" not in printed
    assert "최*호 주무관님 고마워요. 박*원 드림, 010-****-5432로 연락 주세요." in printed
    for personal in ("민호", "박민원", "9876"):
        assert personal not in preview and personal not in printed


def test_a_candidate_voice_is_previewed_highlighted_before_it_is_added(role_client):
    session = make_session(Kind.CASE_BASED)
    flagged_call(voc=VOC, official=OfficialFactory(name="최민호"))

    page = role_client(Role.MANAGER).get(reverse("training:handout", args=[session.pk]))

    assert marked(page.content.decode()) == ["최*호", "박*원", "010-****-5432"]


def test_the_segments_join_to_the_masked_text():
    call = flagged_call(voc=VOC, official=OfficialFactory(name="최민호"))
    segments = selectors.voice_segments_of(call)
    assert "".join(text for text, _masked in segments) == selectors.voice_of(call)
    assert [text for text, masked in segments if masked] == ["최*호", "박*원", "010-****-5432"]
