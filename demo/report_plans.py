"""The demo reports planned as plain data (no database): who is reported, for what, and how
many days ago each step of the workflow happened. demo/reports.py files them."""

from __future__ import annotations

import datetime
import random
from dataclasses import dataclass

from demo.names import name_maker
from demo.organisation import BUREAU_CHIEF, DEMO_DEPARTMENT_CODE, DEPARTMENT_HEAD, Organisation
from kindness.models import Official, ProgrammeSettings

# Demo reporters' phones are in the block 010-0000-xxxx, which no carrier gives out: it
# marks the demo's reports, so a second seed finds them and adds none.
DEMO_REPORTER_PHONE = "010-0000-"

# How many reports end in each state. Praise and unkindness in about the proportions a city
# sees; every state of the workflow present, including the department head's follow-up
# (measure due, overdue, apology due, apology overdue).
REPORT_OUTCOMES: dict[tuple[str, str], int] = {
    ("praise", "received"): 8,
    ("praise", "under_review"): 4,
    ("praise", "verified"): 30,
    ("praise", "shared"): 40,
    ("praise", "rejected"): 8,
    ("unkind", "received"): 5,
    ("unkind", "under_review"): 7,
    ("unkind", "measure_due"): 3,
    ("unkind", "measure_overdue"): 4,
    ("unkind", "apology_due"): 3,
    ("unkind", "apology_overdue"): 2,
    ("unkind", "closed"): 16,
    ("unkind", "not_substantiated"): 12,
    ("unkind", "withdrawn"): 8,
}
# The demo department head's own department gets these, so their follow-up page has work.
DEMO_DEPARTMENT_OUTCOMES = (
    "measure_due",
    "measure_overdue",
    "measure_overdue",
    "apology_due",
    "apology_overdue",
    "closed",
    "closed",
)
# Officials of the demo bureau praised two or three times this year: the bureau head's
# encouragement list (SPEC section 3, threshold 2).
ENCOURAGED_OFFICIALS = 3

PURPOSES = (
    "전입신고", "여권 발급", "건축 인허가 문의", "기초연금 신청", "주차 과태료 이의신청",
    "가족관계증명서 발급", "소상공인 지원금 신청", "도로 파손 신고", "불법 투기 신고",
    "장애인 활동지원 신청", "보육료 지원 문의", "체육시설 대관", "상수도 요금 문의",
)  # fmt: skip
PRAISE_TEXTS = (
    "{purpose} 때문에 {department}에 {how} 문의했는데 {who} 처음부터 끝까지 차근차근 "
    "설명해 주셔서 한 번에 해결했습니다. 정말 감사합니다.",
    "{purpose} 서류를 잘 몰라 헤맸는데 {who} 필요한 서류를 하나하나 짚어 주시고 끝까지 "
    "웃으며 도와주셨습니다. 칭찬해 주세요.",
    "연세 많으신 어머니의 {purpose}을 {who} 직접 자리까지 안내하며 도와주셨습니다. "
    "바쁘신 중에도 친절하셔서 감동했습니다.",
)
PRAISE_PUBLIC = (
    "{department} {name} 님이 {purpose} 민원을 친절하고 꼼꼼하게 안내해 주셨다는 칭찬이 "
    "접수되었습니다."
)
UNKIND_TEXTS = (
    "{purpose} 관련해 {department}에 {how} 문의했는데 {who} 퉁명스럽게 답하고 설명도 없이 "
    "다른 부서로 가라고만 했습니다.",
    "{purpose} 때문에 세 번이나 전화했는데 {who} 제 말을 끝까지 듣지 않고 먼저 전화를 "
    "끊었습니다. 너무 불쾌했습니다.",
    "{purpose} 서류를 제출하러 갔는데 {who} 한숨을 쉬며 짜증 섞인 말투로 응대했습니다. "
    "시민을 대하는 태도가 아닙니다.",
)
HOW = {"visit": "방문해서", "phone": "전화로", "field": "현장에서", "online": "온라인으로"}
CHANNEL_NOUN = {"visit": "방문 민원", "phone": "전화", "field": "현장", "online": "온라인 상담"}


@dataclass(frozen=True)
class ReportPlan:
    """One demo report: who, what, and how many days ago each step happened."""

    kind: str
    outcome: str
    official: Official
    named: bool  # the resident gave the official's name
    matched: bool  # staff matched the report to the official's record
    channel: str
    purpose: str
    text: str
    reporter_name: str
    reporter_phone: str
    days: dict[str, int]  # step -> days ago: received, decided, shared, measured, closed


def plan_reports(
    rng: random.Random,
    organisation: Organisation,
    *,
    today: datetime.date,
    rules: ProgrammeSettings,
) -> list[ReportPlan]:
    """The demo reports of the last twelve months, followed up within the deadlines of
    `rules` (pure: no database)."""
    heads = (BUREAU_CHIEF, DEPARTMENT_HEAD)
    staff = [o for o in organisation.officials if o.active and o.position not in heads]
    demo_department = organisation.departments[DEMO_DEPARTMENT_CODE]
    in_demo_department = [o for o in staff if o.department_id == demo_department.pk]
    in_demo_bureau = [o for o in staff if o.department.bureau_id == demo_department.bureau_id]
    encouraged = rng.sample(in_demo_bureau, ENCOURAGED_OFFICIALS)
    this_year = (today - datetime.date(today.year, 1, 1)).days  # days since 1 January

    outcomes = [key for key, n in REPORT_OUTCOMES.items() for _ in range(n)]
    # Who each report is about: the demo department's cases and the encouraged officials'
    # praise first, the rest anywhere in the city.
    subjects: list[Official | None] = [None] * len(outcomes)
    reserved: set[int] = set()
    for outcome in DEMO_DEPARTMENT_OUTCOMES:
        i = next(
            i for i, key in enumerate(outcomes) if key == ("unkind", outcome) and i not in reserved
        )
        subjects[i] = rng.choice(in_demo_department)
        reserved.add(i)
    praised = [
        i for i, key in enumerate(outcomes) if key in (("praise", "verified"), ("praise", "shared"))
    ]
    this_year_praise: set[int] = set()
    for official in encouraged:
        for i in rng.sample([i for i in praised if i not in reserved], rng.randint(2, 3)):
            subjects[i] = official
            reserved.add(i)
            this_year_praise.add(i)

    new_name = name_maker(rng, taken=(o.name for o in organisation.officials))
    plans = []
    for i, (kind, outcome) in enumerate(outcomes):
        official = subjects[i] or rng.choice(staff)
        days = _plan_days(
            rng,
            outcome,
            measure_days=rules.measure_deadline_days,
            apology_days=rules.apology_deadline_days,
            latest=this_year if i in this_year_praise else 364,
        )
        channel = rng.choice(list(HOW))
        purpose = rng.choice(PURPOSES)
        named = i in reserved or rng.random() < 0.75
        who = f"{official.name} {official.position}님이" if named else "담당 직원이"
        template = rng.choice(PRAISE_TEXTS if kind == "praise" else UNKIND_TEXTS)
        plans.append(
            ReportPlan(
                kind=kind,
                outcome=outcome,
                official=official,
                named=named,
                # Staff match nearly every case they decide, and some still open.
                matched=i in reserved or rng.random() < (0.3 if outcome == "received" else 0.9),
                channel=channel,
                purpose=purpose,
                text=template.format(
                    purpose=purpose,
                    department=official.department.name,
                    how=HOW[channel],
                    who=who,
                ),
                reporter_name=new_name(),
                reporter_phone=f"{DEMO_REPORTER_PHONE}{i + 1:04d}",
                days=days,
            )
        )
    return plans


def _plan_days(
    rng: random.Random, outcome: str, *, measure_days: int, apology_days: int, latest: int
) -> dict[str, int]:
    """Days ago of each step, each no later than the one before it."""
    # Days between the decision and the measure, the measure being on time.
    before_measure = max(measure_days - 1, 1)
    if outcome == "received":
        return {"received": rng.randint(0, 4)}
    if outcome == "under_review":
        return {"received": rng.randint(2, 20)}
    if outcome == "measure_due":
        # Decided recently; one in three is due tomorrow, so the reminder has work.
        decided = rng.choice([1, 3, before_measure])
        return {"received": decided + rng.randint(1, 5), "decided": decided}
    if outcome == "measure_overdue":
        decided = measure_days + rng.randint(2, 30)
        return {"received": decided + rng.randint(1, 5), "decided": decided}
    if outcome == "apology_due":
        measured = rng.randint(0, max(apology_days - 2, 0))
        decided = measured + rng.randint(1, before_measure)
        return {"received": decided + rng.randint(1, 5), "decided": decided, "measured": measured}
    if outcome == "apology_overdue":
        measured = apology_days + rng.randint(1, 7)
        decided = measured + rng.randint(1, before_measure)
        return {"received": decided + rng.randint(1, 5), "decided": decided, "measured": measured}
    # Ended cases, spread over the year.
    received = rng.randint(min(10, latest), latest)
    decided = max(received - rng.randint(1, 7), 0)
    days = {"received": received, "decided": decided}
    if outcome == "shared":
        days["shared"] = max(decided - rng.randint(0, 3), 0)
    if outcome == "closed":
        days["measured"] = max(decided - rng.randint(1, before_measure), 0)
        days["closed"] = max(days["measured"] - rng.randint(0, apology_days), 0)
    return days
