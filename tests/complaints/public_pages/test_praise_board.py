"""The praise board (SPEC section 9)."""

from __future__ import annotations

import datetime as dt
import re

import pytest
from django.utils import timezone
from django.utils.translation import gettext

from complaints import services
from complaints.models import Report
from tests.complaints.public_pages.helpers import BOARD, shared_praise, submit
from tests.factories import DepartmentFactory, OfficialFactory, UserFactory


def test_praise_board_shows_only_shared_praise_in_its_approved_words(client, db):
    official = OfficialFactory(name="김친절", department=DepartmentFactory(name="세무과"))
    shared = shared_praise(
        official=official,
        public_text="세무 상담을 끝까지 친절하게 해 주셨습니다.",
        text="RESIDENT-OWN-WORDS 세무과에서 정말 고마웠어요",
        reporter_name="박제보",
        reporter_phone="010-9999-8888",
    )
    verified = submit(text="VERIFIED-NOT-SHARED 친절했습니다").report
    services.report_verify(report=verified, by=UserFactory())
    submit(
        kind=Report.Kind.UNKIND, text="UNKIND-REPORT-TEXT 불친절", reporter_phone="010-1111-1111"
    )

    response = client.get(BOARD)

    html = response.content.decode()
    assert response.status_code == 200
    assert list(response.context["page"].object_list) == [shared]
    assert "세무 상담을 끝까지 친절하게 해 주셨습니다." in html
    assert "김친절" in html and "세무과" in html
    for hidden in [
        "RESIDENT-OWN-WORDS",
        "박제보",
        "010-9999-8888",
        "VERIFIED-NOT-SHARED",
        "UNKIND-REPORT-TEXT",
    ]:
        assert hidden not in html


def card_heading(html: str) -> str:
    match = re.search(r'<h2 id="praise-\d+">(.*?)</h2>', html, re.S)
    return " ".join(re.sub(r"<[^>]+>", " ", match[1]).split())


def test_an_unmatched_praise_card_names_the_department_alone_never_the_residents_free_text(
    client, db
):
    shared_praise(
        official_name="이름만",
        department=DepartmentFactory(name="세무과"),
        public_text="민원 안내를 차근차근 해 주셨습니다.",
    )

    html = client.get(BOARD).content.decode()

    assert "이름만" not in html
    assert card_heading(html) == "세무과"
    assert client.get(BOARD, {"q": "이름만"}).context["page"].paginator.count == 0


def test_a_praise_card_names_a_name_staff_approved_with_the_department(client, db):
    report = shared_praise(
        official_name="김 주무관님",
        department=DepartmentFactory(name="세무과"),
        public_text="민원 안내를 차근차근 해 주셨습니다.",
    )
    services.report_share(
        report=report,
        by=UserFactory(),
        public_text="민원 안내를 차근차근 해 주셨습니다.",
        board_name="김민원",
    )

    html = client.get(BOARD).content.decode()

    assert card_heading(html) == "김민원 · 세무과"
    assert "김 주무관님" not in html
    assert client.get(BOARD, {"q": "김민원"}).context["page"].paginator.count == 1


def test_a_matched_praise_card_names_the_official_and_their_department_not_the_free_text(
    client, db
):
    official = OfficialFactory(name="정다정", department=DepartmentFactory(name="환경정책과"))
    shared_praise(
        official=official,
        official_name="다른사람",
        department=DepartmentFactory(name="세무과"),
        public_text="민원 안내를 차근차근 해 주셨습니다.",
    )

    html = client.get(BOARD).content.decode()

    assert card_heading(html) == "정다정 · 환경정책과"
    assert "다른사람" not in html and "세무과" not in html


def test_praise_board_lists_the_newest_shared_first(client, db):
    older = shared_praise(public_text="먼저 공유된 칭찬입니다.")
    newer = shared_praise(public_text="나중에 공유된 칭찬입니다.")
    Report.objects.filter(pk=older.pk).update(ended_at=timezone.now() - dt.timedelta(days=3))

    assert list(client.get(BOARD).context["page"].object_list) == [newer, older]


def test_praise_board_searches_text_official_and_department(client, db):
    by_text = shared_praise(public_text="주차 문제를 해결해 주셨습니다.")
    by_official = shared_praise(
        official=OfficialFactory(name="정다정"), public_text="감사했습니다. 고맙습니다."
    )
    by_department = shared_praise(
        department=DepartmentFactory(name="환경정책과"), public_text="감사했습니다. 정말로요."
    )

    def found(q):
        return list(client.get(BOARD, {"q": q}).context["page"].object_list)

    assert found("주차") == [by_text]
    assert found("정다정") == [by_official]
    assert found("환경정책") == [by_department]
    assert found("없는말") == []


@pytest.mark.parametrize("q", ["가" * 101, "a\x00b"])
def test_a_bad_search_gives_a_form_error_and_the_whole_board(client, db, q):
    shared_praise(public_text="공유된 칭찬이 하나 있습니다.")

    response = client.get(BOARD, {"q": q})

    assert response.status_code == 400
    assert "q" in response.context["form"].errors
    assert response.context["page"].paginator.count == 1


def test_praise_board_pages_by_20_and_bad_page_numbers_fall_back(client, db):
    for i in range(21):
        shared_praise(public_text=f"공유된 칭찬 번호 {i:02d} 입니다.")

    first = client.get(BOARD)
    second = client.get(BOARD, {"page": "2"})

    assert len(first.context["page"].object_list) == 20
    assert len(second.context["page"].object_list) == 1
    assert 'href="?page=2"' in first.content.decode()
    pages = {n: _without_token(client.get(BOARD, {"page": str(n)}).content) for n in (1, 2)}
    for bad, number in [("abc", 1), ("999", 2), ("-1", 2), ("1.5", 1), ("", 1)]:
        response = client.get(BOARD, {"page": bad})
        assert response.status_code == 200
        # Compared as shown (a page kept whole is not rendered again, so has no context).
        assert _without_token(response.content) == pages[number]


def test_paging_keeps_the_search(client, db):
    for i in range(21):
        shared_praise(public_text=f"주차 안내 칭찬 {i:02d} 입니다.")

    html = client.get(BOARD, {"q": "주차"}).content.decode()

    assert 'href="?q=%EC%A3%BC%EC%B0%A8&amp;page=2"' in html


def test_an_empty_praise_board_says_so(client, db):
    response = client.get(BOARD)

    assert response.status_code == 200
    assert gettext("No praise has been shared yet.") in response.content.decode()


def _without_token(html: bytes) -> bytes:
    """The page without its CSRF token, which every response has anew, and the address the
    language form returns to, which is the request's own."""
    html = re.sub(rb'name="csrfmiddlewaretoken" value="[^"]+"', b"", html)
    return re.sub(rb'name="next" type="hidden" value="[^"]*"', b"", html)
