"""Korean names for the demo city's people: officials, logins, petitioners, reporters."""

from __future__ import annotations

import random
from collections.abc import Callable, Iterable

# The most common surnames with their approximate share of the population (2015 census, %).
SURNAMES: dict[str, float] = {
    "김": 21.5, "이": 14.7, "박": 8.4, "최": 4.7, "정": 4.3, "강": 2.4, "조": 2.1, "윤": 2.1,
    "장": 2.0, "임": 1.7, "한": 1.5, "오": 1.5, "서": 1.5, "신": 1.5, "권": 1.4, "황": 1.4,
    "안": 1.3, "송": 1.3, "전": 1.1, "홍": 1.1, "유": 1.1, "고": 0.9, "문": 0.9, "양": 0.9,
    "손": 0.9, "배": 0.8, "백": 0.8, "허": 0.7, "노": 0.6, "남": 0.6, "심": 0.6,
}  # fmt: skip

# Given names common among people of working age (born 1965-2000).
GIVEN_NAMES: tuple[str, ...] = (
    "영수", "영호", "영철", "성호", "성민", "성진", "정호", "정훈", "상훈", "상현", "동현",
    "동욱", "지훈", "민수", "민호", "준호", "재현", "재훈", "현준", "현우", "승현", "경수",
    "광수", "진우", "태훈", "태현", "우진", "도현", "준영", "건우", "민재", "유준", "시우",
    "주원", "지호", "민석", "형준", "종민", "병철", "기현", "재민", "대호", "석진", "용준",
    "미경", "미영", "은정", "은영", "지영", "수진", "현정", "혜진", "지현", "은주", "미숙",
    "정희", "영희", "경희", "선영", "혜원", "유진", "민정", "소영", "지은", "보람", "하나",
    "수연", "예진", "은지", "서연", "서윤", "지민", "수빈", "다은", "예은", "윤서", "채원",
    "지원", "나연", "가영", "희정", "정은", "미정", "현주", "선희", "보영", "세영", "아름",
)  # fmt: skip


def name_maker(rng: random.Random, taken: Iterable[str] = ()) -> Callable[[], str]:
    """A function giving a new Korean name on each call, never one already given or taken:
    duplicate names are real, but they make a demo confusing to click through."""
    used = set(taken)
    surnames, weights = list(SURNAMES), list(SURNAMES.values())

    def make() -> str:
        while True:
            name = rng.choices(surnames, weights)[0] + rng.choice(GIVEN_NAMES)
            if name not in used:
                used.add(name)
                return name

    return make
