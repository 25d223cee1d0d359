"""Demo data of the report centre for `manage.py seed_demo`: a year of reports (planned in
demo/report_plans.py) filed and carried through the real services, in every state of the
workflow."""

from __future__ import annotations

import datetime
import random
from dataclasses import dataclass

from django.contrib.auth import get_user_model
from django.db import transaction
from django.utils import timezone

from demo.logins import DEMO_USERNAMES
from demo.organisation import DEMO_DEPARTMENT_CODE, DEPARTMENT_HEAD, Organisation
from demo.report_plans import (
    CHANNEL_NOUN,
    DEMO_REPORTER_PHONE,
    PRAISE_PUBLIC,
    ReportPlan,
    plan_reports,
)
from kindness.models import ProgrammeSettings
from kindness.roles import Role

User = get_user_model()


@dataclass(frozen=True)
class ReportSeed:
    created: int  # 0 when the demo's reports were already there
    existing: int
    tracking: tuple[str, str] | None  # a shared praise's receipt number and secret


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
    plans = plan_reports(rng, organisation, today=today, rules=rules)
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
