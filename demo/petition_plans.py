"""The demo's year of petitions and their happy-calls, planned as plain data from a
`random.Random(seed)` (no database); demo/petitions.py writes them."""

from __future__ import annotations

import datetime
import random
from dataclasses import dataclass, replace

from demo.names import GIVEN_NAMES, SURNAMES
from demo.organisation import BUREAU_CHIEF, DEPARTMENT_HEAD, Organisation
from demo.report_plans import DEMO_REPORTER_PHONE
from demo.sampling import (
    MOODS,
    NO_ANSWER_SHARE,
    SILENT_SHARE,
    clamp,
    next_weekday,
    office_time,
    past_day,
    pick,
)
from kindness.models import EmploymentType, Official, ProgrammeSettings

# Demo petitioners share the reserved block of the demo reporters (see demo.report_plans).
DEMO_PETITIONER_PHONE = DEMO_REPORTER_PHONE

PETITIONS = 1500

# Per department (by name): its share of the city's petitions and what they are about.
# Front-line departments (civil affairs, parking, waste, roads, welfare) carry most of them.
DEPARTMENT_PETITIONS: dict[str, tuple[int, tuple[str, ...]]] = {
    "자치행정과": (4, ("통장 위촉 절차 문의", "주민자치회 위원 신청", "마을공동체 지원사업 문의", "주민센터 프로그램 수강 문의")),
    "총무과": (1, ("청사 주차장 이용 불편", "민원실 휴게 공간 개선 요청", "시청 분실물 문의")),
    "인사과": (1, ("공무원 채용시험 일정 문의", "자원봉사 인증 시간 확인 요청")),
    "회계과": (2, ("공유재산 대부 계약 문의", "시유지 사용료 납부 문의", "계약 대금 지급 일정 문의")),
    "정보통신과": (1, ("시 누리집 로그인 오류", "공공 와이파이 접속 불량 신고", "전자민원 첨부파일 오류")),
    "민원봉사과": (14, ("여권 재발급 문의", "여권 발급 소요 기간 문의", "가족관계증명서 발급 문의", "인감증명서 대리 발급 문의", "전입신고 처리 확인", "주민등록증 재발급 신청", "무인민원발급기 오류 신고")),
    "복지정책과": (8, ("기초생활수급 자격 문의", "긴급복지 생계비 지원 신청", "주거급여 신청 문의", "복지 바우처 사용처 문의")),
    "노인장애인복지과": (7, ("기초연금 신청 문의", "장애인 활동지원 신청", "노인 일자리 사업 참여 문의", "경로당 냉난방비 지원 문의", "장애인 주차표지 발급 문의")),
    "여성가족과": (6, ("보육료 지원 문의", "어린이집 입소 대기 문의", "아동수당 신청 확인", "한부모가족 지원 문의", "출산 지원금 신청 문의")),
    "보건정책과": (4, ("예방접종 일정 문의", "건강검진 기관 문의", "휴일 지킴이 약국 문의", "감염병 예방 수칙 문의")),
    "식품위생과": (4, ("음식점 위생 불량 신고", "식품 영업신고 절차 문의", "식품 이물질 발견 신고", "위생교육 일정 문의")),
    "환경정책과": (2, ("환경오염 행위 신고", "환경개선부담금 이의", "생활 소음 민원")),
    "기후대기과": (3, ("공사장 비산먼지 신고", "전기차 충전기 설치 보조금 문의", "노후 경유차 조기폐차 지원 문의", "악취 발생 신고")),
    "수질관리과": (2, ("하천 오수 유입 신고", "하천 산책로 정비 요청", "정화조 청소 문의")),
    "녹지정원과": (3, ("가로수 가지치기 요청", "공원 시설물 파손 신고", "위험 수목 제거 요청", "공원 벤치 설치 건의")),
    "자원순환과": (8, ("대형폐기물 수거 신청", "불법 쓰레기 투기 신고", "음식물 쓰레기 수거 누락", "재활용품 분리배출 문의", "쓰레기 수거 시간 변경 요청")),
    "교통정책과": (12, ("주차 위반 과태료 이의", "거주자 우선주차 신청", "불법 주정차 단속 요청", "견인 차량 보관료 문의", "어린이보호구역 과속 단속 요청")),
    "대중교통과": (6, ("시내버스 배차 간격 불편", "버스 무정차 통과 신고", "택시 부당요금 신고", "교통약자 콜택시 이용 문의", "버스 노선 신설 건의")),
    "도로과": (8, ("도로 파손 보수 요청", "보도블록 파손 신고", "가로등 고장 신고", "도로 점용 허가 문의", "포트홀 신고")),
    "건축정책과": (6, ("건축 허가 절차 문의", "불법 건축물 신고", "공동주택 관리 분쟁 상담", "건축물대장 정정 요청")),
    "도시계획과": (3, ("도시계획시설 결정 열람", "토지이용계획 확인 문의", "개발행위 허가 문의")),
    "경제정책과": (4, ("소상공인 지원금 신청 문의", "전통시장 주차장 이용 문의", "지역화폐 가맹점 문의", "물가 안정 관련 건의")),
    "일자리노동과": (3, ("청년 일자리 지원사업 문의", "임금 체불 상담", "일자리센터 구직 등록")),
    "산업입지과": (1, ("산업단지 입주 문의", "기업 투자 인센티브 문의")),
    "농업정책과": (2, ("농업 보조금 신청 문의", "농지취득자격증명 발급 문의", "로컬푸드 직매장 출하 문의")),
    "문화예술과": (2, ("문화누리카드 사용처 문의", "공연장 대관 신청", "문화재 주변 공사 허가 문의")),
    "관광과": (2, ("관광안내소 운영 시간 문의", "축제 기간 교통 통제 문의", "관광지 시설 불편 신고")),
    "체육지원과": (3, ("체육시설 대관 신청", "생활체육 강좌 신청 문의", "공공 체육관 이용 불편")),
    "안전정책과": (2, ("안전신문고 위험 요소 신고", "어린이 놀이시설 안전 점검 요청", "방범용 CCTV 설치 요청")),
    "재난관리과": (2, ("침수 피해 지원 문의", "민방위 교육 일정 문의", "재난지원금 신청 문의")),
    "사회재난과": (1, ("노후 시설물 안전 점검 요청", "화재 위험 시설 신고")),
}  # fmt: skip

CHANNELS = {"visit": 36, "online": 30, "phone": 22, "field": 8, "mail": 4}
WRITTEN_SURVEY_SHARE = 0.03  # petitioners who asked for a written survey instead of a call
REPEAT_PETITIONER_SHARE = 0.05  # petitions from someone who filed one before

# Final outcome of the happy-call of a petition completed before the call window.
CALL_OUTCOMES = {"completed": 72, "unreachable": 21, "refused": 7}
HAPPY_CALL_ITEMS = ("speed", "clarity", "kindness", "result", "overall")
CASES = 3  # kindness cases, and unkindness cases, raised from the demo's calls

VOC_PRAISE = (
    "담당자분이 친절하게 설명해 주셔서 감사했습니다.",
    "생각보다 빨리 처리되어 만족합니다.",
    "진행 상황을 미리 전화로 알려 주셔서 좋았습니다.",
    "필요한 서류를 꼼꼼히 안내해 주셔서 한 번에 끝났습니다.",
    "현장에 바로 나와 확인해 주셔서 고마웠습니다.",
)
VOC_NEUTRAL = (
    "처리는 되었지만 시간이 조금 오래 걸렸습니다.",
    "처리 결과를 문자로도 알려 주면 좋겠습니다.",
    "누리집 안내가 더 자세했으면 합니다.",
    "주차 공간이 부족해 방문이 불편했습니다.",
)
VOC_COMPLAINT = (
    "담당자가 여러 번 바뀌어 같은 설명을 반복해야 했습니다.",
    "처리 결과에 대한 설명이 충분하지 않았습니다.",
    "담당 부서와 전화 연결이 너무 어려웠습니다.",
    "처리 결과가 기대와 달라 아쉽습니다.",
)
VOC_KIND_CASE = "{name} {position}님이 끝까지 친절하게 도와주셔서 꼭 칭찬하고 싶습니다."
VOC_UNKIND_CASE = "담당 직원이 말을 끊고 퉁명스럽게 응대해 매우 불쾌했습니다. 개선이 필요합니다."


@dataclass(frozen=True)
class CallPlan:
    """The happy-call of one petition: its outcome, attempts and (when completed) answers."""

    status: str  # completed, unreachable, refused, written (HappyCall.Status)
    queued_on: datetime.date
    # (time, outcome), in order; none for a call the queue closed at once (written, refused)
    attempts: tuple[tuple[datetime.datetime, str], ...]
    answers: dict[str, int | None]  # item key -> 1..5 or None (no answer); empty unless completed
    voc: str
    case: str  # "", "kind" or "unkind": the call raises that report when flags are available


@dataclass(frozen=True)
class PetitionPlan:
    petition_no: str
    title: str
    department_code: str
    official: Official | None
    petitioner_name: str
    petitioner_phone: str
    received_on: datetime.date
    completed_on: datetime.date
    channel: str
    contact: str  # phone or written
    call: CallPlan | None


def handlers_by_department(organisation: Organisation) -> dict[int, list[Official]]:
    """Who handles a department's petitions: its active officials, heads and support staff
    aside (a department without any falls back on all its active officials)."""
    heads = (BUREAU_CHIEF, DEPARTMENT_HEAD)
    by_department: dict[int, list[Official]] = {}
    for official in organisation.officials:
        if official.active and official.position not in heads:
            if official.employment_type != EmploymentType.SUPPORT:
                by_department.setdefault(official.department_id, []).append(official)
    for department in organisation.departments.values():
        if department.pk not in by_department:
            by_department[department.pk] = [
                o for o in organisation.officials if o.active and o.department_id == department.pk
            ]
    return by_department


def plan_petitions(
    rng: random.Random,
    organisation: Organisation,
    *,
    today: datetime.date,
    rules: ProgrammeSettings,
) -> list[PetitionPlan]:
    """PETITIONS petitions received over the last twelve months, numbered P{year}-{n:06d}
    in the order they were received, each completed 1-20 days later. Those completed
    before the call window of `rules` have had their happy-call, with at most its number of
    attempts; the window's are left to the queue."""
    departments = list(organisation.departments.values())
    weights = [DEPARTMENT_PETITIONS.get(d.name, (1, ()))[0] for d in departments]
    handlers = handlers_by_department(organisation)
    surnames, surname_weights = list(SURNAMES), list(SURNAMES.values())
    phones = iter(rng.sample(range(10_000), PETITIONS))
    petitioners: list[tuple[str, str]] = []

    drafts = []
    for _ in range(PETITIONS):
        department = rng.choices(departments, weights)[0]
        titles = DEPARTMENT_PETITIONS.get(department.name, (1, ()))[1]
        titles = titles or (f"{department.name} 업무 문의",)
        channel = pick(rng, CHANNELS)
        received = past_day(rng, today, weekend=0.3 if channel == "online" else 0.0)
        # Most petitions are done within a week, a few take the full twenty days.
        span = min(20, (today - received).days)
        days = [k for k in range(1, span + 1) if (received + datetime.timedelta(k)).weekday() < 5]
        days = days or list(range(1, span + 1))
        completed = received + datetime.timedelta(rng.choices(days, [1 / k for k in days])[0])
        if petitioners and rng.random() < REPEAT_PETITIONER_SHARE:
            name, phone = rng.choice(petitioners)
        else:
            name = rng.choices(surnames, surname_weights)[0] + rng.choice(GIVEN_NAMES)
            phone = f"{DEMO_PETITIONER_PHONE}{next(phones):04d}"
            petitioners.append((name, phone))
        candidates = handlers[department.pk]
        drafts.append(
            {
                "title": rng.choice(titles),
                "department_code": department.code,
                "official": rng.choice(candidates) if candidates else None,
                "petitioner_name": name,
                "petitioner_phone": phone,
                "received_on": received,
                "completed_on": completed,
                "channel": channel,
                "contact": "written" if rng.random() < WRITTEN_SURVEY_SHARE else "phone",
            }
        )

    plans, numbers = [], {}
    for draft in sorted(drafts, key=lambda d: (d["received_on"], d["completed_on"])):
        year = draft["received_on"].year
        numbers[year] = numbers.get(year, 0) + 1
        plans.append(PetitionPlan(petition_no=f"P{year}-{numbers[year]:06d}", call=None, **draft))

    # The calls, in the order the daily queue took the petitions, so that a petitioner who
    # refused a call is not phoned again about a later petition.
    window_start = today - datetime.timedelta(days=rules.call_window_days - 1)
    refused_on: dict[str, datetime.date] = {}
    for i in sorted(range(len(plans)), key=lambda i: (plans[i].completed_on, plans[i].petition_no)):
        plan = plans[i]
        if plan.completed_on >= window_start:
            continue  # left for the queue builder
        call = _plan_call(
            rng,
            plan.completed_on,
            contact=plan.contact,
            refused_before=refused_on.get(plan.petitioner_phone),
            max_attempts=rules.call_max_attempts,
        )
        if call.status == "refused" and plan.petitioner_phone not in refused_on:
            refused_on[plan.petitioner_phone] = (
                call.attempts[-1][0].date() if call.attempts else call.queued_on
            )
        plans[i] = replace(plan, call=call)
    _plan_cases(rng, plans)
    return plans


def _plan_call(
    rng: random.Random,
    completed_on: datetime.date,
    *,
    contact: str,
    refused_before: datetime.date | None,
    max_attempts: int,
) -> CallPlan:
    """The daily queue takes the petition the day after it was completed; the call desk
    tries from the next working day until the petitioner answers, refuses, or
    `max_attempts` tries failed. As surveys.services.call_queue_build does, the queue closes
    at once the call of a petitioner who asked for a written survey or refused before."""
    queued_on = completed_on + datetime.timedelta(days=1)
    if contact == "written":
        return CallPlan("written", queued_on, (), {}, "", case="")
    if refused_before is not None and refused_before < queued_on:
        return CallPlan("refused", queued_on, (), {}, "", case="")
    status = pick(rng, CALL_OUTCOMES)
    if status == "completed":
        weights = (65, 25, 10)[: max(max_attempts, 1)]
        failures = rng.choices(range(len(weights)), weights)[0]
        outcomes = [_failure(rng) for _ in range(failures)] + ["answered"]
    elif status == "refused":
        outcomes = [_failure(rng) for _ in range(rng.choice((0, 0, 0, 1)))] + ["refused"]
    elif rng.random() < 0.1:
        outcomes = ["wrong_number"]  # not the petitioner's number: no point trying again
    else:
        outcomes = [_failure(rng) for _ in range(max_attempts)]
    attempts = []
    day = queued_on if queued_on.weekday() < 5 else next_weekday(queued_on)
    moment = office_time(rng, day)
    for i, outcome in enumerate(outcomes):
        if i:
            # Try again later the same day, else on the next working day.
            later = moment + datetime.timedelta(minutes=rng.randint(60, 180))
            if later.hour >= 18 or rng.random() < 0.5:
                day = next_weekday(day)
                later = office_time(rng, day)
            moment = later
        attempts.append((moment, outcome))

    answers: dict[str, int | None] = {}
    voc = ""
    if status == "completed":
        mood = pick(rng, MOODS)
        silent = rng.random() < SILENT_SHARE
        for key in HAPPY_CALL_ITEMS:
            value = clamp(mood + rng.choice((-1, 0, 0, 0, 0, 1)))
            answers[key] = None if silent or rng.random() < NO_ANSWER_SHARE else value
        if not silent and rng.random() < 0.35:
            voc = rng.choice(
                VOC_PRAISE if mood >= 4 else VOC_NEUTRAL if mood == 3 else VOC_COMPLAINT
            )
    return CallPlan(status, queued_on, tuple(attempts), answers, voc, case="")


def _failure(rng: random.Random) -> str:
    return "no_answer" if rng.random() < 0.7 else "busy"


def _plan_cases(rng: random.Random, plans: list[PetitionPlan]) -> None:
    """Among the latest completed calls with a handling official, CASES praise the official
    and CASES complain of unkindness; their answers and voice of the customer say so."""
    latest = [
        i
        for i, p in enumerate(plans)
        if p.call and p.call.status == "completed" and p.official is not None
    ][-8 * CASES :]
    chosen = rng.sample(latest, 2 * CASES)
    for n, i in enumerate(chosen):
        plan = plans[i]
        kind = n < CASES
        official = plan.official
        answers = (
            {key: 5 for key in HAPPY_CALL_ITEMS}
            if kind
            else {key: rng.choice((1, 2)) for key in HAPPY_CALL_ITEMS} | {"kindness": 1}
        )
        voc = (
            VOC_KIND_CASE.format(name=official.name, position=official.position)
            if kind
            else VOC_UNKIND_CASE
        )
        call = plan.call
        plans[i] = replace(
            plan,
            call=CallPlan(
                call.status,
                call.queued_on,
                call.attempts,
                answers,
                voc,
                "kind" if kind else "unkind",
            ),
        )
