"""Demo data of the report centre for `manage.py seed_demo`: a year of reports filed and
carried through the real services, in every state of the workflow."""

from __future__ import annotations

import datetime
import random
from contextlib import contextmanager
from dataclasses import dataclass

from django.conf import settings
from django.contrib.auth import get_user_model
from django.contrib.auth.hashers import PBKDF2PasswordHasher
from django.db import transaction
from django.test.utils import override_settings
from django.utils import timezone
from django.utils.module_loading import import_string

from kindness.demo import (
    BUREAU_CHIEF,
    DEMO_DEPARTMENT_CODE,
    DEMO_USERNAMES,
    DEPARTMENT_HEAD,
    Organisation,
    name_maker,
)
from kindness.models import (
    Official,
    ProgrammeSettings,
)
from kindness.roles import Role

User = get_user_model()


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


@dataclass(frozen=True)
class ReportSeed:
    created: int  # 0 when the demo's reports were already there
    existing: int
    tracking: tuple[str, str] | None  # a shared praise's receipt number and secret


def plan_reports(
    rng: random.Random,
    organisation: Organisation,
    *,
    today: datetime.date,
    measure_days: int,
    apology_days: int,
) -> list[ReportPlan]:
    """The demo reports of the last twelve months (pure: no database)."""
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
            measure_days=measure_days,
            apology_days=apology_days,
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


class _DemoSecretHasher(PBKDF2PasswordHasher):
    """PBKDF2 with few iterations, for the demo reports' tracking secrets only. The hashes
    say their iteration count, so the configured PBKDF2 hasher checks them as usual; made
    with the production cost, 150 of them would take over a minute."""

    iterations = 1_000


@contextmanager
def _cheap_tracking_secrets():
    hashers = settings.PASSWORD_HASHERS
    if not hashers or import_string(hashers[0]).algorithm != _DemoSecretHasher.algorithm:
        yield  # another hasher first (tests use a fast one): leave it
        return
    with override_settings(PASSWORD_HASHERS=[f"{__name__}._DemoSecretHasher", *hashers]):
        yield


@transaction.atomic
def seed_reports(rng: random.Random, *, organisation: Organisation) -> ReportSeed:
    """About 150 reports of the last twelve months, filed and carried through the real
    services (complaints.services) by the demo report officer and department head, then
    dated back to when each step happened. Seeded once: a second run finds the demo's
    reports (by their reporters' phones) and adds none."""
    from complaints.models import Report

    existing = Report.objects.filter(reporter_phone__startswith=DEMO_REPORTER_PHONE).count()
    if existing:
        return ReportSeed(created=0, existing=existing, tracking=None)
    today = timezone.localdate()
    rules = ProgrammeSettings.load()
    plans = plan_reports(
        rng,
        organisation,
        today=today,
        measure_days=rules.measure_deadline_days,
        apology_days=rules.apology_deadline_days,
    )
    officer = User.objects.get(username=DEMO_USERNAMES[Role.REPORT_OFFICER])
    demo_head = User.objects.get(username=DEMO_USERNAMES[Role.DEPARTMENT_HEAD])
    codes = {d.pk: code for code, d in organisation.departments.items()}
    now = timezone.now()
    # Filed in the order of their times, so receipt numbers rise with the dates.
    timed = sorted(
        ((plan, _timeline(rng, plan.days, now=now)) for plan in plans),
        key=lambda item: item[1]["received"],
    )
    filed, shown = [], None
    with _cheap_tracking_secrets():
        for plan, at in timed:
            code = codes[plan.official.department_id]
            report, secret = _file_and_carry(
                rng,
                plan,
                at,
                officer=officer,
                # Only the demo department's head has a login; elsewhere the officer
                # records the head's follow-up for them.
                head=demo_head if code == DEMO_DEPARTMENT_CODE else officer,
                caller=f"{organisation.department_heads[code].name} {DEPARTMENT_HEAD}",
            )
            filed.append((report, at))
            if plan.outcome == "shared":
                shown = (report, secret)  # the latest, to try the tracking page with
    _date_back(filed, rules=rules)
    reports = [report for report, _at in filed]
    _number_by_year(reports, today=today)
    tracking = None
    if shown is not None:
        shown[0].refresh_from_db(fields=["receipt_no"])
        tracking = (shown[0].receipt_no, shown[1])
    return ReportSeed(created=len(reports), existing=0, tracking=tracking)


# The order of a case's steps, and the history entries written at each.
STEPS = ("received", "reviewed", "replied", "decided", "shared", "measured", "closed")
STEP_OF_ACTION = {
    "received": "received",
    "matched": "reviewed",
    "review_started": "reviewed",
    "official_told": "reviewed",
    "reply": "replied",
    "verified": "decided",
    "rejected": "decided",
    "substantiated": "decided",
    "not_substantiated": "decided",
    "withdrawn": "decided",
    "shared": "shared",
    "measure": "measured",
    "apology": "closed",
    "closed": "closed",
}


def _timeline(rng: random.Random, days: dict[str, int], *, now: datetime.datetime) -> dict:
    """A time for each planned step: the planned day during office hours, never before the
    step before it, never after now. Review and reply come within hours of the step before."""
    today = timezone.localdate(now)
    zone = timezone.get_current_timezone()
    times: dict[str, datetime.datetime] = {}
    previous = None
    for step in STEPS:
        if step in days:
            day = today - datetime.timedelta(days=days[step])
            moment = datetime.datetime.combine(
                day, datetime.time(rng.randint(9, 17), rng.randint(0, 59)), tzinfo=zone
            )
        elif step in ("reviewed", "replied"):
            moment = previous + datetime.timedelta(minutes=rng.randint(30, 180))
        else:
            continue
        if previous is not None:
            moment = max(moment, previous + datetime.timedelta(minutes=5))
        times[step] = previous = min(moment, now)
    return times


def _file_and_carry(
    rng: random.Random, plan: ReportPlan, at: dict, *, officer, head, caller: str
) -> tuple:
    """File one report as a resident would and take it to its planned state (dated back
    afterwards). Returns the report and its tracking secret."""
    from complaints import services

    official = plan.official
    submission = services.report_submit(
        kind=plan.kind,
        department=official.department,
        official_name=official.name if plan.named else "",
        incident_on=timezone.localdate(at["received"]) - datetime.timedelta(days=rng.randint(0, 3)),
        channel=plan.channel,
        text=plan.text,
        reporter_name=plan.reporter_name,
        reporter_phone=plan.reporter_phone,
    )
    report = submission.report
    if plan.matched:
        report = services.report_match_official(report=report, official=official, by=officer)
    outcome = plan.outcome
    if outcome == "received":
        pass
    elif plan.kind == "praise":
        if outcome == "under_review":
            services.report_start_review(report=report, by=officer)
        elif outcome == "rejected":
            services.report_reject(
                report=report, by=officer, reason="해당 일자에 민원 처리 기록이 없어 확인되지 않음."
            )
        else:
            services.report_verify(report=report, by=officer, note="민원 처리 기록으로 확인함.")
            if outcome == "shared":
                services.report_share(
                    report=report,
                    by=officer,
                    public_text=PRAISE_PUBLIC.format(
                        department=official.department.name,
                        name=official.name,
                        purpose=plan.purpose,
                    ),
                )
    elif outcome == "withdrawn" and rng.random() < 0.5:
        services.report_withdraw(
            report=report, by=officer, reason="민원인이 전화로 취하 의사를 밝힘."
        )
    else:
        services.report_start_review(report=report, by=officer)
        if plan.matched and outcome != "withdrawn" and rng.random() < 0.6:
            services.report_record_reply(
                report=report,
                by=officer,
                text="당시 민원이 몰려 충분히 설명하지 못했습니다. 앞으로 더 주의하겠습니다.",
            )
        if outcome == "withdrawn":
            services.report_withdraw(report=report, by=officer, reason="민원인이 취하서를 제출함.")
        elif outcome == "not_substantiated":
            services.report_not_substantiate(
                report=report,
                by=officer,
                reason="통화 기록과 동석자 진술로 보아 불친절로 보기 어려움.",
            )
        elif outcome != "under_review":
            services.report_substantiate(
                report=report,
                by=officer,
                reason="통화 기록과 당사자 진술로 불친절한 응대가 확인됨.",
                summary=f"{plan.purpose} 관련 {CHANNEL_NOUN[plan.channel]} 응대 중 "
                "설명 없이 응대를 끝내는 등 불친절한 태도가 확인된 사례.",
            )
            if outcome in ("apology_due", "apology_overdue", "closed"):
                services.report_record_measure(
                    report=report,
                    by=head,
                    text="부서 전 직원 친절 교육을 하고 전화 응대 요령을 다시 정리해 공유함.",
                )
            if outcome == "closed":
                services.report_record_apology(
                    report=report,
                    by=head,
                    called_on=timezone.localdate(at["closed"]),
                    caller=caller,
                    outcome="민원인께 사과드리고 재발 방지 조치를 설명함. 민원인이 사과를 받아들임.",
                )
    return report, submission.secret


def _date_back(filed: list[tuple], *, rules) -> None:
    """The services stamp every step with the time they ran; give each its planned time.
    `filed` holds (report, step times) pairs. A few bulk updates for all reports."""
    from complaints.models import MeritRecord, Report, ReportEvent

    times = {report.pk: at for report, at in filed}
    reports = Report.objects.in_bulk(list(times))
    measure_days = datetime.timedelta(days=rules.measure_deadline_days)
    apology_days = datetime.timedelta(days=rules.apology_deadline_days)
    for pk, report in reports.items():
        at = times[pk]
        report.created_at = report.consent_at = at["received"]
        if report.decided_at:
            report.decided_at = at["decided"]
            report.decided_on = timezone.localdate(at["decided"])
        if report.ended_at:
            report.ended_at = at[
                "closed" if "closed" in at else "shared" if "shared" in at else "decided"
            ]
        if report.measure_due_on:
            report.measure_due_on = report.decided_on + measure_days
        if report.measure_recorded_at:
            report.measure_recorded_at = at["measured"]
            report.apology_due_on = timezone.localdate(at["measured"]) + apology_days
    Report.objects.bulk_update(
        reports.values(),
        [
            "created_at",
            "consent_at",
            "decided_at",
            "decided_on",
            "ended_at",
            "measure_due_on",
            "measure_recorded_at",
            "apology_due_on",
        ],
        batch_size=100,
    )
    merits = list(MeritRecord.objects.filter(report__in=list(times)))
    for merit in merits:
        merit.on = reports[merit.report_id].decided_on
    MeritRecord.objects.bulk_update(merits, ["on"], batch_size=200)
    events = list(ReportEvent.objects.filter(report__in=list(times)))
    for event in events:
        event.at = times[event.report_id][STEP_OF_ACTION[event.action]]
    ReportEvent.objects.bulk_update(events, ["at"], batch_size=200)


def _number_by_year(reports: list, *, today: datetime.date) -> None:
    """report_submit numbers each report in the sequence of the year it runs in. Give the
    reports dated in an earlier year that year's numbers, as they would have had, and close
    the gap they leave in this year's sequence. `reports` are in the order they were filed,
    which is date order, within the seed's transaction: this year's counter has been
    locked since the first of them, so they hold its last len(reports) numbers."""
    from complaints.models import Report
    from complaints.services import receipt_no_next
    from kindness.models import NumberSequence
    from kindness.numbering import RECEIPT, number_format

    years = dict(
        Report.objects.filter(pk__in=[r.pk for r in reports]).values_list("pk", "created_at")
    )
    years = {pk: timezone.localtime(at).year for pk, at in years.items()}
    earlier = [r for r in reports if years[r.pk] < today.year]
    if not earlier:
        return
    later = [r for r in reports if years[r.pk] == today.year]
    counter = NumberSequence.objects.select_for_update().get(prefix=RECEIPT, year=today.year)
    first = counter.last - len(reports) + 1
    for report in earlier:
        Report.objects.filter(pk=report.pk).update(
            receipt_no=receipt_no_next(year=years[report.pk])
        )
    # In ascending order, each number taken is one already given up by an earlier report.
    for i, report in enumerate(later):
        Report.objects.filter(pk=report.pk).update(
            receipt_no=number_format(RECEIPT, today.year, first + i)
        )
    counter.last = first + len(later) - 1
    counter.save(update_fields=["last"])


def seed_api_key() -> str | None:
    """An Open311 API key for the demo city's "civic app", so the API can be tried at once.

    Returns the key the first time; None when the demo key exists already (a key is stored
    hashed and cannot be shown again: IT issues a new one in admin)."""
    from complaints.models import ApiKey
    from complaints.open311.keys import api_key_issue

    if ApiKey.objects.filter(name=DEMO_API_KEY_NAME).exists():
        return None
    return api_key_issue(api_key=ApiKey(name=DEMO_API_KEY_NAME, owner="demo"), by=None)


DEMO_API_KEY_NAME = "demo civic app"
