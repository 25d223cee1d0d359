"""The praise board kept rendered (complaints.views.public.praise_board): a page of the whole
board costs one query while nothing changes, and never shows an old page: sharing, editing
or withdrawing praise shows at once. The board's search uses a trigram index on PostgreSQL."""

from __future__ import annotations

import pytest
from django.db import connection

from complaints import selectors, services
from complaints.models import Report
from kindness.fragments import fragments_clear
from tests.complaints.public_pages.helpers import BOARD, shared_praise
from tests.conftest import using_postgresql
from tests.factories import UserFactory

pytestmark = pytest.mark.django_db


@pytest.fixture(autouse=True)
def _nothing_kept():
    fragments_clear()
    yield
    fragments_clear()


def test_a_kept_page_of_the_board_asks_the_database_once(client, django_assert_num_queries):
    for i in range(3):
        shared_praise(public_text=f"친절하게 안내해 주셔서 감사합니다 {i}")
    first = client.get(BOARD).content
    with django_assert_num_queries(1):  # the stamp
        again = client.get(BOARD).content
    assert _without_csrf(first) == _without_csrf(again)


def test_newly_shared_praise_shows_at_once_on_a_kept_board(client):
    shared_praise(public_text="처음 공유된 칭찬입니다. 고맙습니다.")
    client.get(BOARD)
    shared_praise(public_text="새로 공유된 칭찬입니다. 정말 고맙습니다.")
    page = client.get(BOARD).content.decode()
    assert "새로 공유된 칭찬입니다" in page and "처음 공유된 칭찬입니다" in page


def test_an_edited_shared_text_shows_at_once_on_a_kept_board(client):
    report = shared_praise(public_text="고치기 전의 칭찬 문구입니다.")
    client.get(BOARD)
    services.report_share(report=report, by=UserFactory(), public_text="고친 뒤의 칭찬 문구입니다.")
    page = client.get(BOARD).content.decode()
    assert "고친 뒤의 칭찬 문구입니다" in page and "고치기 전의" not in page


def test_a_kept_search_asks_the_database_once_and_shows_new_praise_at_once(
    client, django_assert_num_queries
):
    shared_praise(public_text="주차 안내를 친절하게 해 주셨습니다.")
    shared_praise(public_text="다른 칭찬입니다. 고맙습니다.")
    first = client.get(BOARD, {"q": "주차"}).content
    with django_assert_num_queries(1):  # the stamp
        again = client.get(BOARD, {"q": "주차"}).content
    assert _without_csrf(first) == _without_csrf(again)
    assert "주차 안내를".encode() in again and "다른 칭찬".encode() not in again
    shared_praise(public_text="주차장 위치도 알려 주셨습니다.")
    assert "주차장 위치도".encode() in client.get(BOARD, {"q": "주차"}).content


def test_a_signed_in_visitor_gets_the_board_with_their_own_header(client):
    shared_praise(public_text="칭찬 문구입니다. 감사합니다.")
    client.get(BOARD)  # kept whole for visitors
    client.force_login(UserFactory(username="officer-lee"))
    page = client.get(BOARD).content.decode()
    assert "officer-lee" in page and "칭찬 문구입니다" in page


def test_the_stamp_changes_when_praise_is_shared():
    before = selectors.praise_board_stamp()
    shared_praise(public_text="스탬프를 바꾸는 칭찬입니다.")
    after = selectors.praise_board_stamp()
    assert after != before and after[0] == before[0] + 1


def test_searching_the_board_uses_the_trigram_index_on_postgresql():
    if not using_postgresql():
        pytest.skip("the trigram index exists on PostgreSQL only")
    shared_praise(public_text="민원 처리 과정을 차근차근 설명해 주셨습니다.")
    with connection.cursor() as cursor:
        # A test-sized table is cheaper to scan whole: rule plain scans out to show that the
        # words can be found through the index (at city size the planner picks it on its
        # own: bench/README.md).
        cursor.execute("SET LOCAL enable_seqscan = off")
        cursor.execute("SET LOCAL enable_indexscan = off")
        cursor.execute("SET LOCAL enable_indexonlyscan = off")
    plan = Report.objects.filter(public_text__icontains="차근차근").explain()
    assert "report_praise_words_trgm" in plan, plan
    assert selectors.shared_praise("차근차근").count() == 1


def _without_csrf(html: bytes) -> bytes:
    import re

    return re.sub(rb'name="csrfmiddlewaretoken" value="[^"]+"', b"", html)
