"""A small city: bureau B1 with departments OWN and SIBLING, bureau B2 with OTHER; surveys,
calls, happy-calls and reports stored as real rows; periods 2025-H1 and 2025-H2 computed
and published with the services."""

from __future__ import annotations

import datetime
from types import SimpleNamespace

import pytest

from scoring import services
from tests.factories import BureauFactory, DepartmentFactory, OfficialFactory
from tests.scoring.public_pages.helpers import call, compute, happy_call, publish, report, visit


@pytest.fixture
def city(db):
    b1, b2 = BureauFactory(name="시민국"), BureauFactory(name="안전국")
    own = DepartmentFactory(code="OWN", name="가정과", bureau=b1)
    sibling = DepartmentFactory(code="SIBLING", name="나눔과", bureau=b1)
    other = DepartmentFactory(code="OTHER", name="다솜과", bureau=b2)
    a1 = OfficialFactory(employee_no="A1", name="김하나", department=own)
    a2 = OfficialFactory(employee_no="A2", name="김두리", department=own)
    s1 = OfficialFactory(employee_no="S1", name="박세나", department=sibling)
    o1 = OfficialFactory(employee_no="O1", name="이오미", department=other)

    h1 = datetime.date(2025, 3, 10)
    for score in (100, 75):
        visit(own, h1, score)
    visit(sibling, h1, 50)
    visit(other, h1, 25)
    for score in (90, 80, 70):
        call(a1, h1, score)
    call(a2, h1, 60)
    for _i in range(3):
        call(s1, h1, 50)
        call(o1, h1, 40)
    call(o1, h1, 0, answered=False)
    happy_call(a1, h1, 100, 5)
    happy_call(a1, h1, 100, 5)
    happy_call(o1, h1, 50, 3)
    praise = report("praise", "verified", a1, h1, "김하나 주무관이 친절하게 안내해 주셨습니다.")
    unkind = report("unkind", "substantiated", o1, h1, "이오미 주무관이 전화를 끊었습니다.")

    h2 = datetime.date(2025, 9, 10)
    visit(own, h2, 50)
    visit(sibling, h2, 100)
    visit(other, h2, 75)
    for _i in range(3):
        call(s1, h2, 90)
        call(a1, h2, 60)
    happy_call(s1, h2, 75, 4)

    services.period_create(code="2025-H1")
    services.period_create(code="2025-H2")
    return SimpleNamespace(
        own=own,
        sibling=sibling,
        other=other,
        a1=a1,
        a2=a2,
        s1=s1,
        o1=o1,
        praise=praise,
        unkind=unkind,
    )


@pytest.fixture
def published(city):
    """Both periods computed and published (one run each)."""
    city.h1 = publish(compute("2025-H1"))
    city.h2 = publish(compute("2025-H2"))
    return city
