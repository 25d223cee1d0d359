"""A small city imported through the commands of SPEC section 7, and helpers shared by
the tests of the rankings' staff pages."""

from __future__ import annotations

from io import StringIO
from pathlib import Path

from django.core.management import call_command

from kindness.roles import Role
from scoring import services
from scoring.models import Period, RankingRun

ANON = None
MANAGER, AUDITOR = Role.MANAGER, Role.AUDITOR
HEAD, OFFICER = Role.DEPARTMENT_HEAD, Role.REPORT_OFFICER
ROLES = [MANAGER, AUDITOR, HEAD, OFFICER, ANON]
EN = {"HTTP_ACCEPT_LANGUAGE": "en"}

ROSTER = """employee_no,name,bureau,department_code,department,team,position,employment_type,phone,active
S00001,김가람,시민국,S01,민원과,민원1팀,주무관,regular,052-000-0001,Y
S00002,이나래,시민국,S01,민원과,민원1팀,주무관,regular,052-000-0002,Y
S00003,박다온,시민국,S02,소통과,소통1팀,주무관,regular,052-000-0003,Y
S00004,최라온,시민국,S02,소통과,소통1팀,팀장,fixed-term,052-000-0004,Y
S00005,정마루,경제국,S03,경제과,경제1팀,주무관,regular,052-000-0005,Y
S00006,한바다,경제국,S03,경제과,경제1팀,주무관,support,052-000-0006,Y
"""
VISITS = """survey_id,department,surveyed_on,greeting,attitude,explanation,waiting,overall
SV001,S01,2025-02-03,5,5,5,5,5
SV002,S01,2025-03-04,5,4,5,4,5
SV003,S02,2025-02-05,3,3,3,3,3
SV004,S02,2025-03-06,4,3,3,3,4
SV005,S03,2025-04-07,2,2,3,2,2
SV006,S03,2025-05-08,3,2,2,2,3
"""
# Later data: the economy department's visitors are delighted, so S03 moves up.
MORE_VISITS = """survey_id,department,surveyed_on,greeting,attitude,explanation,waiting,overall
SV101,S03,2025-06-02,5,5,5,5,5
SV102,S03,2025-06-03,5,5,5,5,5
SV103,S03,2025-06-04,5,5,5,5,5
SV104,S03,2025-06-05,5,5,5,5,5
SV105,S03,2025-06-09,5,5,5,5,5
SV106,S03,2025-06-10,5,5,5,5,5
SV107,S03,2025-06-11,5,5,5,5,5
SV108,S03,2025-06-12,5,5,5,5,5
"""
PETITIONS = """petition_no,title,department,official_employee_no,petitioner_name,petitioner_phone,received_on,completed_on,channel
SP-0001,민원 1,S01,S00002,홍길동,010-1111-2222,2025-02-01,2025-02-10,online
SP-0002,민원 2,S02,S00003,김철수,010-3333-4444,2025-03-01,2025-03-10,phone
SP-0003,민원 3,S03,S00006,이영희,010-5555-6666,2025-04-01,2025-04-10,visit
"""
HAPPYCALLS = """call_id,petition_no,answered_on,speed,clarity,kindness,result,overall,voc,kind_case,unkind_case
SH001,SP-0001,2025-02-15,5,5,5,5,5,,N,N
SH002,SP-0002,2025-03-15,3,3,2,3,3,,N,N
SH003,SP-0003,2025-04-15,4,4,4,3,4,,N,N
"""
REPORTS = """receipt_no,kind,employee_no,department,incident_on,status,decided_on,text
R-2025-900001,praise,S00001,S01,2025-03-01,verified,2025-03-10,친절한 안내에 감사드립니다
R-2025-900002,unkind,S00005,S03,2025-04-01,substantiated,2025-04-10,설명 없이 전화를 끊었습니다
"""


def phone_surveys() -> str:
    """Three answered calls per official, so that every official is ranked."""
    lines = [
        "call_id,target_employee_no,answered_by_employee_no,called_at,rings,duration_s,"
        "hangup_wait_s,greeting_with_name,tone,accuracy,closing_greeting"
    ]
    for i in range(1, 7):
        for j in range(3):
            tone = 1 + (i + j) % 5
            lines.append(
                f"SC{i}{j},S0000{i},S0000{i},2025-03-{10 + j}T10:00:00+09:00,1,120,3,Y,"
                f"{tone},{6 - tone if j else tone},{'Y' if i % 2 else 'N'}"
            )
    return "\n".join(lines) + "\n"


def import_file(directory: Path, command: str, text: str) -> None:
    path = directory / f"{command}.csv"
    path.write_text(text, encoding="utf-8")
    call_command(command, str(path), stdout=StringIO(), stderr=StringIO())


def import_city(directory: Path) -> None:
    """Three departments in two bureaus, six officials, surveys of every kind, a verified
    praise and a substantiated unkindness report, all in the first half of 2025."""
    for command, text in [
        ("import_roster", ROSTER),
        ("import_petitions", PETITIONS),
        ("import_visit_surveys", VISITS),
        ("import_phone_surveys", phone_surveys()),
        ("import_happycalls", HAPPYCALLS),
        ("import_reports", REPORTS),
    ]:
        import_file(directory, command, text)


def computed(period: Period) -> RankingRun:
    run = services.run_request(period=period, trigger=RankingRun.Trigger.COMMAND, send=False)
    return services.run_execute(run.pk)


def url(path: str = "") -> str:
    return f"/staff/rankings/{path}"


def computing_run(period: Period, *, trigger=RankingRun.Trigger.MANAGER, **extra) -> RankingRun:
    """Run #1 of `period`, still computing, with the period's rule set."""
    return RankingRun.objects.create(
        period=period,
        number=1,
        trigger=trigger,
        status=RankingRun.Status.RUNNING,
        rule_set=period.rule_set,
        rules=period.rule_set.as_dict(),
        **extra,
    )
