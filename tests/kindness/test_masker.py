"""The shared masker of free text (SPEC section 8): names however spaced, phone numbers
however written."""

import pytest

from kindness.masker import mask_text, masked_segments


@pytest.mark.parametrize(
    "written",
    [
        "010-1234-5678",
        "010 1234 5678",
        "010.1234.5678",
        "01012345678",
        "(010)1234-5678",
        "(010) 1234-5678",
        "+82-10-1234-5678",
        "+82 10 1234 5678",
        "+82 (0)10 1234 5678",
        "+821012345678",
    ],
)
def test_every_way_of_writing_a_mobile_number_is_masked_alike(written):
    assert mask_text(f"연락처는 {written}입니다.") == "연락처는 010-****-5678입니다."


@pytest.mark.parametrize("written", ["홍길동", "홍 길동", "홍 길 동", "홍길 동"])
def test_a_name_is_masked_however_it_is_spaced(written):
    assert mask_text(f"저는 {written}입니다.", names=["홍길동"]) == "저는 홍*동입니다."


def test_numbers_that_are_not_phones_and_one_letter_names_are_left_alone():
    text = "접수 R-2026-000123, 2026-01-05에 1234-5678번 창구, 김 주무관"
    assert mask_text(text, names=["김"]) == text


def test_segments_mark_each_masked_span_for_a_preview():
    assert masked_segments("홍 길동 +82 10 1234 5678 감사", names=["홍길동"]) == [
        ("홍*동", True),
        (" ", False),
        ("010-****-5678", True),
        (" 감사", False),
    ]


def test_keyed_digests_depend_on_the_purpose_and_the_token_key(settings):
    from kindness.tokens import keyed_digest

    settings.TOKEN_KEY = "one"
    first = keyed_digest("surveys.refused-phone", "01012345678")
    assert len(first) == 64 and "01012345678" not in first
    assert keyed_digest("other", "01012345678") != first
    settings.TOKEN_KEY = "two"
    assert keyed_digest("surveys.refused-phone", "01012345678") != first
