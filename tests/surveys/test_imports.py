"""The survey imports of SPEC section 7: petitions, visitor-reception surveys, telephone
surveys and happy-calls. The sample city imports whole and again as a no-op; every bad row
is reported with its line and column and nothing is written."""

from __future__ import annotations

import csv
import datetime as dt
import io
from pathlib import Path

import pytest
from django.core.management import CommandError, call_command
from django.utils import timezone

from complaints.models import Report
from kindness.imports import run_import
from kindness.models import Department
from surveys.models import (
    HappyCall,
    HappyCallAnswer,
    Petition,
    PhoneScorecard,
    PhoneSurvey,
    Questionnaire,
    VisitSurvey,
)
from tests.factories import BureauFactory, DepartmentFactory, OfficialFactory

pytestmark = pytest.mark.django_db

DATA = Path(__file__).parents[1] / "data" / "city-2025"

PETITION_COLUMNS = (
    "petition_no",
    "title",
    "department",
    "official_employee_no",
    "petitioner_name",
    "petitioner_phone",
    "received_on",
    "completed_on",
    "channel",
)
VISIT_COLUMNS = (
    "survey_id",
    "department",
    "surveyed_on",
    "greeting",
    "attitude",
    "explanation",
    "waiting",
    "overall",
)
PHONE_COLUMNS = (
    "call_id",
    "target_employee_no",
    "answered_by_employee_no",
    "called_at",
    "rings",
    "duration_s",
    "hangup_wait_s",
    "greeting_with_name",
    "tone",
    "accuracy",
    "closing_greeting",
)
HAPPYCALL_COLUMNS = (
    "call_id",
    "petition_no",
    "answered_on",
    "speed",
    "clarity",
    "kindness",
    "result",
    "overall",
    "voc",
    "kind_case",
    "unkind_case",
)


def tomorrow() -> str:
    return (timezone.localdate() + dt.timedelta(days=1)).isoformat()


def csv_bytes(columns: tuple[str, ...], *rows: dict[str, str], encoding: str = "utf-8") -> bytes:
    out = io.StringIO()
    writer = csv.DictWriter(out, fieldnames=columns, lineterminator="\n")
    writer.writeheader()
    for row in rows:
        writer.writerow({c: row.get(c, "") for c in columns})
    return out.getvalue().encode(encoding)


def problems(kind: str, data: bytes) -> set[tuple[int, str]]:
    """(line, column) of each error of a failed import."""
    result = run_import(kind, data)
    assert not result.ok, "the import was expected to fail"
    return {(e.line, e.column) for e in result.errors}


def imported(kind: str, data: bytes) -> dict[str, int]:
    result = run_import(kind, data)
    assert result.ok, [str(e) for e in result.errors]
    return result.summary


def rows_of(name: str, encoding: str = "utf-8-sig") -> list[dict[str, str]]:
    with (DATA / name).open(encoding=encoding, newline="") as f:
        return list(csv.DictReader(f))


# ---------------------------------------------------------------------------- the sample city

SAMPLE_ORDER = [
    ("import_roster", "roster.csv"),
    ("import_petitions", "petitions.csv"),
    ("import_visit_surveys", "visit_surveys.csv"),
    ("import_phone_surveys", "phone_surveys.csv"),
    ("import_reports", "reports.csv"),
    ("import_happycalls", "happycalls.csv"),
]


def import_sample_city() -> None:
    for command, name in SAMPLE_ORDER:
        call_command(command, str(DATA / name), stdout=io.StringIO())


def test_the_sample_city_imports_in_order_and_a_second_import_changes_nothing():
    import_sample_city()

    assert Petition.objects.count() == len(rows_of("petitions.csv")) == 2400
    assert VisitSurvey.objects.count() == len(rows_of("visit_surveys.csv", "cp949")) == 452
    assert PhoneSurvey.objects.count() == len(rows_of("phone_surveys.csv")) == 1800
    assert HappyCall.objects.count() == len(rows_of("happycalls.csv")) == 1677
    assert HappyCallAnswer.objects.count() == 1677 * 5
    flagged = [r for r in rows_of("happycalls.csv") if "Y" in (r["kind_case"], r["unkind_case"])]
    happy_call_reports = Report.objects.filter(source=Report.Source.HAPPY_CALL).count()
    assert happy_call_reports == sum(
        (r["kind_case"] == "Y") + (r["unkind_case"] == "Y") for r in flagged
    )
    reports = Report.objects.count()

    for command, name in SAMPLE_ORDER[1:]:
        out = io.StringIO()
        call_command(command, str(DATA / name), stdout=out)
        assert "0" in out.getvalue()

    assert Petition.objects.count() == 2400
    assert VisitSurvey.objects.count() == 452
    assert PhoneSurvey.objects.count() == 1800
    assert HappyCall.objects.count() == 1677
    assert HappyCallAnswer.objects.count() == 1677 * 5
    assert Report.objects.count() == reports


def test_the_sample_files_land_as_they_say():
    for command, name in SAMPLE_ORDER:
        if command != "import_visit_surveys":
            call_command(command, str(DATA / name), stdout=io.StringIO())

    # A Z time late in the UTC evening is the next day in Seoul (SPEC section 5).
    late = PhoneSurvey.objects.get(call_id="C00079")  # 2025-05-31T15:32:46Z
    assert late.called_on == dt.date(2025, 6, 1)
    # No offset is Seoul time.
    seoul = PhoneSurvey.objects.get(call_id="C00005")  # 2025-12-13T15:36:09
    assert seoul.called_on == dt.date(2025, 12, 13)
    assert seoul.called_at == dt.datetime(2025, 12, 13, 6, 36, 9, tzinfo=dt.UTC)

    file = {r["call_id"]: r for r in rows_of("phone_surveys.csv")}
    unanswered = [c for c, r in file.items() if not r["answered_by_employee_no"]]
    covered = [
        c
        for c, r in file.items()
        if r["answered_by_employee_no"] not in ("", r["target_employee_no"])
    ]
    assert sorted(
        PhoneSurvey.objects.filter(answered=False).values_list("call_id", flat=True)
    ) == sorted(unanswered)
    assert sorted(
        PhoneSurvey.objects.filter(covered=True).values_list("call_id", flat=True)
    ) == sorted(covered)
    assert not PhoneSurvey.objects.filter(answered=False, score__gt=0).exists()
    assert not PhoneSurvey.objects.filter(answered=False, compliant_333__isnull=False).exists()

    for row in rows_of("happycalls.csv"):
        if row["unkind_case"] == "Y":
            call = HappyCall.objects.select_related("unkind_report", "petition").get(
                call_id=row["call_id"]
            )
            report = call.unkind_report
            assert report.kind == Report.Kind.UNKIND
            assert report.source == Report.Source.HAPPY_CALL
            assert report.status == Report.Status.RECEIVED
            assert report.department_id == call.petition.department_id
            assert report.official_id == call.petition.official_id
            assert report.incident_on == call.petition.completed_on
            assert report.reporter_phone == call.petition.petitioner_phone
            break
    else:
        pytest.fail("the sample has no unkindness case")


# ---------------------------------------------------------------------------- a small city


@pytest.fixture
def city():
    """Two departments, one name held by two departments, and three officials."""
    bureau = BureauFactory(name="행정국")
    civil = DepartmentFactory(code="D01", name="민원과", bureau=bureau)
    welfare = DepartmentFactory(code="D02", name="복지과", bureau=bureau)
    DepartmentFactory(code="D03", name="총무과", bureau=bureau)
    DepartmentFactory(code="D04", name="총무과", bureau=bureau)
    return {
        "civil": civil,
        "welfare": welfare,
        "kim": OfficialFactory(employee_no="E001", name="김친절", department=civil),
        "lee": OfficialFactory(employee_no="E002", name="이동료", department=civil),
        "park": OfficialFactory(employee_no="E003", name="박복지", department=welfare),
    }


def petition_row(**changes) -> dict[str, str]:
    return {
        "petition_no": "P-1",
        "title": "주차 민원",
        "department": "D01",
        "official_employee_no": "E001",
        "petitioner_name": "홍길동",
        "petitioner_phone": "010-1234-5678",
        "received_on": "2025-03-02",
        "completed_on": "2025-03-05",
        "channel": "visit",
        **changes,
    }


def visit_row(**changes) -> dict[str, str]:
    return {
        "survey_id": "V-1",
        "department": "D01",
        "surveyed_on": "2025-04-01",
        "greeting": "5",
        "attitude": "4",
        "explanation": "",
        "waiting": "3",
        "overall": "2",
        **changes,
    }


def phone_row(**changes) -> dict[str, str]:
    return {
        "call_id": "C-1",
        "target_employee_no": "E001",
        "answered_by_employee_no": "E001",
        "called_at": "2025-05-02T10:00:00+09:00",
        "rings": "1",
        "duration_s": "120",
        "hangup_wait_s": "4",
        "greeting_with_name": "Y",
        "tone": "5",
        "accuracy": "5",
        "closing_greeting": "Y",
        **changes,
    }


UNANSWERED = {
    "answered_by_employee_no": "",
    "rings": "",
    "duration_s": "",
    "hangup_wait_s": "",
    "greeting_with_name": "",
    "tone": "",
    "accuracy": "",
    "closing_greeting": "",
}


def happycall_row(**changes) -> dict[str, str]:
    return {
        "call_id": "H-1",
        "petition_no": "P-1",
        "answered_on": "2025-03-10",
        "speed": "5",
        "clarity": "4",
        "kindness": "3",
        "result": "",
        "overall": "2",
        "voc": "",
        "kind_case": "N",
        "unkind_case": "N",
        **changes,
    }


def petitions(*rows: dict[str, str]) -> bytes:
    return csv_bytes(PETITION_COLUMNS, *rows)


def visits(*rows: dict[str, str], encoding: str = "utf-8") -> bytes:
    return csv_bytes(VISIT_COLUMNS, *rows, encoding=encoding)


def phones(*rows: dict[str, str]) -> bytes:
    return csv_bytes(PHONE_COLUMNS, *rows)


def happycalls(*rows: dict[str, str]) -> bytes:
    return csv_bytes(HAPPYCALL_COLUMNS, *rows)


# ---------------------------------------------------------------------------- petitions


def test_a_petition_imports_with_its_department_and_official(city):
    assert imported("petitions", petitions(petition_row())) == {
        "created": 1,
        "updated": 0,
        "unchanged": 0,
    }
    petition = Petition.objects.get(petition_no="P-1")
    assert petition.department == city["civil"]
    assert petition.official == city["kim"]
    assert petition.completed_on == dt.date(2025, 3, 5)
    assert petition.channel == "visit"


def test_a_department_may_be_given_by_its_exact_name(city):
    imported("petitions", petitions(petition_row(department="복지과")))
    assert Petition.objects.get().department == city["welfare"]


def test_reimporting_the_same_petitions_changes_nothing(city):
    data = petitions(petition_row(), petition_row(petition_no="P-2", channel="mail"))
    imported("petitions", data)
    assert imported("petitions", data) == {"created": 0, "updated": 0, "unchanged": 2}
    assert Petition.objects.count() == 2


def test_a_known_petition_with_changed_values_is_updated_and_its_call_follows(city):
    imported("petitions", petitions(petition_row()))
    imported("happycalls", happycalls(happycall_row()))

    summary = imported(
        "petitions",
        petitions(petition_row(department="D02", official_employee_no="E003", title="고침")),
    )

    assert summary == {"created": 0, "updated": 1, "unchanged": 0}
    petition = Petition.objects.get()
    assert (petition.title, petition.department, petition.official) == (
        "고침",
        city["welfare"],
        city["park"],
    )
    # SPEC section 5: a happy-call counts for its petition's handling department.
    call = HappyCall.objects.get()
    assert (call.department, call.official) == (city["welfare"], city["park"])


@pytest.mark.parametrize(
    ("changes", "column"),
    [
        ({"department": "D99"}, "department"),
        ({"department": "없는과"}, "department"),
        ({"department": "총무과"}, "department"),  # held by D03 and D04
        ({"official_employee_no": "E999"}, "official_employee_no"),
        ({"channel": "fax"}, "channel"),
        ({"channel": ""}, "channel"),
        ({"completed_on": "2025-03-01"}, "completed_on"),  # before received_on
        ({"completed_on": "2025-02-30"}, "completed_on"),
        ({"received_on": ""}, "received_on"),
        ({"title": ""}, "title"),
        ({"petition_no": ""}, "petition_no"),
    ],
)
def test_a_bad_petition_row_names_its_line_and_column_and_nothing_is_imported(
    city, changes, column
):
    data = petitions(petition_row(petition_no="P-0"), petition_row(**changes))
    assert (3, column) in problems("petitions", data)
    assert not Petition.objects.exists()


def test_a_petition_completed_after_today_is_an_error(city):
    data = petitions(petition_row(received_on="2025-01-01", completed_on=tomorrow()))
    assert problems("petitions", data) == {(2, "completed_on")}


def test_a_petition_number_twice_in_a_file_is_an_error(city):
    data = petitions(petition_row(), petition_row(title="다른 제목"))
    assert problems("petitions", data) == {(3, "petition_no")}
    assert not Petition.objects.exists()


def test_an_ambiguous_department_name_says_which_codes_to_use(city):
    result = run_import("petitions", petitions(petition_row(department="총무과")))
    assert "D03" in str(result.errors[0]) and "D04" in str(result.errors[0])


def test_the_command_exits_non_zero_and_prints_line_and_column(city, tmp_path):
    path = tmp_path / "petitions.csv"
    path.write_bytes(petitions(petition_row(channel="fax")))
    err = io.StringIO()
    with pytest.raises(CommandError):
        call_command("import_petitions", str(path), stderr=err)
    assert "2" in err.getvalue() and "channel" in err.getvalue()
    assert not Petition.objects.exists()


# ---------------------------------------------------------------------------- visitor surveys


def test_a_visit_survey_stores_its_items_and_response_score(city):
    imported(
        "visit_surveys",
        visits(
            visit_row(),
            visit_row(
                survey_id="V-2",
                **dict.fromkeys(("greeting", "attitude", "explanation", "waiting", "overall"), ""),
            ),
        ),
    )
    survey = VisitSurvey.objects.get(survey_id="V-1")
    assert survey.department == city["civil"]
    assert (survey.greeting, survey.explanation, survey.overall) == (5, None, 2)
    assert survey.response_score == pytest.approx(62.5)
    # No item answered: no score, so it counts nowhere.
    assert VisitSurvey.objects.get(survey_id="V-2").response_score is None


def test_a_cp949_visit_file_imports_korean_department_names(city):
    data = visits(visit_row(department="민원과"), encoding="cp949")
    assert data.decode("cp949") and not _is_utf8(data)
    imported("visit_surveys", data)
    assert VisitSurvey.objects.get().department == city["civil"]


def _is_utf8(data: bytes) -> bool:
    try:
        data.decode("utf-8")
    except UnicodeDecodeError:
        return False
    return True


def test_reimporting_the_same_visit_surveys_changes_nothing(city):
    data = visits(visit_row(), visit_row(survey_id="V-2"))
    imported("visit_surveys", data)
    assert imported("visit_surveys", data) == {"created": 0, "unchanged": 2}


def test_a_known_visit_survey_with_other_values_is_an_error_naming_each_column(city):
    imported("visit_surveys", visits(visit_row()))
    data = visits(visit_row(survey_id="V-2"), visit_row(greeting="1", department="D02"))
    assert problems("visit_surveys", data) == {(3, "greeting"), (3, "department")}
    assert VisitSurvey.objects.count() == 1
    assert VisitSurvey.objects.get().greeting == 5


@pytest.mark.parametrize(
    ("changes", "column"),
    [
        ({"greeting": "6"}, "greeting"),
        ({"overall": "0"}, "overall"),
        ({"waiting": "x"}, "waiting"),
        ({"department": "D99"}, "department"),
        ({"department": "총무과"}, "department"),
        ({"surveyed_on": "2025/04/01"}, "surveyed_on"),
    ],
)
def test_a_bad_visit_row_names_its_line_and_column_and_nothing_is_imported(city, changes, column):
    data = visits(visit_row(survey_id="V-0"), visit_row(**changes))
    assert problems("visit_surveys", data) == {(3, column)}
    assert not VisitSurvey.objects.exists()


def test_a_visit_survey_dated_after_today_is_an_error(city):
    assert problems("visit_surveys", visits(visit_row(surveyed_on=tomorrow()))) == {
        (2, "surveyed_on")
    }


def test_a_survey_id_twice_in_a_visit_file_is_an_error(city):
    data = visits(visit_row(), visit_row(department="D02"))
    assert problems("visit_surveys", data) == {(3, "survey_id")}
    assert not VisitSurvey.objects.exists()


# ---------------------------------------------------------------------------- telephone surveys


def test_an_answered_call_is_scored_by_the_active_scorecard(city):
    imported("phone_surveys", phones(phone_row(rings="3", tone="3")))
    call = PhoneSurvey.objects.get()
    # Loses the 15 ring points and half of the 20 tone points.
    assert call.score == pytest.approx(75)
    assert call.answered and not call.covered
    assert call.compliant_333 is False
    assert call.scorecard.version == 1
    assert call.department == city["civil"]
    assert call.called_on == dt.date(2025, 5, 2)


def test_the_highest_active_scorecard_version_scores_new_calls(city):
    PhoneScorecard.objects.create(version=2, rings_points=35, greeting_points=0)
    PhoneScorecard.objects.create(version=3, active=False, rings_points=0)
    imported("phone_surveys", phones(phone_row(greeting_with_name="N")))
    call = PhoneSurvey.objects.get()
    assert call.scorecard.version == 2
    assert call.score == pytest.approx(35 + 20 + 20 + 10 + 10 + 10)


def test_a_call_answered_by_a_colleague_is_covered_and_counts_for_the_target_department(city):
    imported(
        "phone_surveys",
        phones(phone_row(target_employee_no="E003", answered_by_employee_no="E002")),
    )
    call = PhoneSurvey.objects.get()
    assert call.covered and call.answered
    assert call.answered_by == city["lee"]
    assert call.department == city["welfare"]
    assert call.score == 100


def test_an_unanswered_call_scores_0_and_is_not_in_the_333_share(city):
    imported("phone_surveys", phones(phone_row(**UNANSWERED)))
    call = PhoneSurvey.objects.get()
    assert (call.answered, call.covered, call.score, call.compliant_333) == (
        False,
        False,
        0,
        None,
    )
    assert call.answered_by is None and call.tone is None


@pytest.mark.parametrize(
    ("called_at", "day"),
    [
        ("2025-05-31T15:00:00Z", dt.date(2025, 6, 1)),  # 00:00 in Seoul
        ("2025-05-31T14:59:59Z", dt.date(2025, 5, 31)),
        ("2025-05-31T23:30:00", dt.date(2025, 5, 31)),  # no offset: Seoul
        ("2025-05-31T23:30:00+00:00", dt.date(2025, 6, 1)),
        ("2025-06-01T01:00:00+09:00", dt.date(2025, 6, 1)),
    ],
)
def test_the_call_date_is_the_seoul_date_of_called_at(city, called_at, day):
    imported("phone_surveys", phones(phone_row(called_at=called_at)))
    assert PhoneSurvey.objects.get().called_on == day


def test_a_call_counts_for_the_targets_department_when_imported_not_after_a_transfer(city):
    data = phones(phone_row())
    imported("phone_surveys", data)
    kim = city["kim"]
    kim.department = city["welfare"]
    kim.save()

    assert imported("phone_surveys", data) == {"created": 0, "unchanged": 1}
    assert PhoneSurvey.objects.get().department == city["civil"]


def test_reimporting_the_same_calls_changes_nothing(city):
    data = phones(phone_row(), phone_row(call_id="C-2", **UNANSWERED))
    imported("phone_surveys", data)
    # The same instant written in another zone is the same value.
    again = phones(
        phone_row(called_at="2025-05-02T01:00:00Z"), phone_row(call_id="C-2", **UNANSWERED)
    )
    assert imported("phone_surveys", again) == {"created": 0, "unchanged": 2}


def test_a_known_call_with_other_values_is_an_error_naming_each_column(city):
    imported("phone_surveys", phones(phone_row()))
    data = phones(phone_row(tone="4", answered_by_employee_no="E002"))
    assert problems("phone_surveys", data) == {(2, "tone"), (2, "answered_by_employee_no")}


@pytest.mark.parametrize(
    ("changes", "column"),
    [
        ({"rings": "-1"}, "rings"),
        ({"rings": ""}, "rings"),
        ({"duration_s": "1.5"}, "duration_s"),
        ({"hangup_wait_s": ""}, "hangup_wait_s"),
        ({"tone": ""}, "tone"),
        ({"accuracy": ""}, "accuracy"),
        ({"tone": "6"}, "tone"),
        ({"greeting_with_name": "예"}, "greeting_with_name"),
        ({"closing_greeting": ""}, "closing_greeting"),
        ({"target_employee_no": "E999"}, "target_employee_no"),
        ({"target_employee_no": ""}, "target_employee_no"),
        ({"answered_by_employee_no": "E999"}, "answered_by_employee_no"),
        ({"called_at": "02/05/2025 10:00"}, "called_at"),
        ({"called_at": ""}, "called_at"),
        ({**UNANSWERED, "rings": "2"}, "rings"),
        ({**UNANSWERED, "duration_s": "30"}, "duration_s"),
        ({**UNANSWERED, "hangup_wait_s": "3"}, "hangup_wait_s"),
        ({**UNANSWERED, "tone": "3"}, "tone"),
    ],
)
def test_a_bad_call_row_names_its_line_and_column_and_nothing_is_imported(city, changes, column):
    data = phones(phone_row(call_id="C-0"), phone_row(**changes))
    assert problems("phone_surveys", data) == {(3, column)}
    assert not PhoneSurvey.objects.exists()


def test_a_call_after_now_is_an_error(city):
    data = phones(phone_row(called_at=f"{tomorrow()}T09:00:00+09:00"))
    assert problems("phone_surveys", data) == {(2, "called_at")}


def test_a_call_id_twice_in_a_file_is_an_error(city):
    data = phones(phone_row(), phone_row(target_employee_no="E003"))
    assert problems("phone_surveys", data) == {(3, "call_id")}
    assert not PhoneSurvey.objects.exists()


def test_calls_cannot_be_imported_without_a_scorecard_in_use(city):
    PhoneScorecard.objects.update(active=False)
    assert problems("phone_surveys", phones(phone_row())) == {(0, "")}


# ---------------------------------------------------------------------------- happy-calls


@pytest.fixture
def petition(city):
    imported(
        "petitions",
        petitions(
            petition_row(), petition_row(petition_no="P-2", channel="mail", official_employee_no="")
        ),
    )
    return Petition.objects.get(petition_no="P-1")


def test_a_happy_call_stores_its_answers_under_the_active_questionnaire(city, petition):
    summary = imported("happycalls", happycalls(happycall_row(voc="설명이 친절했어요")))

    assert summary == {"created": 1, "completed": 0, "unchanged": 0, "reports_raised": 0}
    call = HappyCall.objects.get()
    questionnaire = Questionnaire.objects.get(code="happy-call", version=1)
    assert call.call_id == "H-1"
    assert call.petition == petition
    assert call.status == HappyCall.Status.COMPLETED
    assert call.questionnaire == questionnaire
    assert (call.department, call.official) == (city["civil"], city["kim"])
    assert call.answered_on == dt.date(2025, 3, 10)
    assert call.response_score == pytest.approx(62.5)
    assert call.kindness_answer == 3
    assert call.voc == "설명이 친절했어요"
    answers = {a.item.key: a.value for a in call.answers.select_related("item")}
    assert answers == {"speed": 5, "clarity": 4, "kindness": 3, "result": None, "overall": 2}
    assert all(a.item.questionnaire == questionnaire for a in call.answers.all())


def test_a_happy_call_with_no_answered_item_has_no_score(city, petition):
    blank = dict.fromkeys(("speed", "clarity", "kindness", "result", "overall"), "")
    imported("happycalls", happycalls(happycall_row(**blank)))
    call = HappyCall.objects.get()
    assert call.response_score is None and call.kindness_answer is None


def test_a_queued_call_for_the_petition_is_completed_by_the_import(city, petition):
    queued = HappyCall.objects.create(
        petition=petition, department=petition.department, official=petition.official
    )

    summary = imported("happycalls", happycalls(happycall_row()))

    assert summary["created"] == 0 and summary["completed"] == 1
    queued.refresh_from_db()
    assert queued.call_id == "H-1"
    assert queued.status == HappyCall.Status.COMPLETED
    assert queued.response_score == pytest.approx(62.5)
    assert HappyCall.objects.count() == 1
    assert queued.answers.count() == 5


def test_reimporting_the_same_happy_calls_changes_nothing(city, petition):
    data = happycalls(
        happycall_row(unkind_case="Y"), happycall_row(call_id="H-2", petition_no="P-2")
    )
    imported("happycalls", data)
    assert imported("happycalls", data) == {
        "created": 0,
        "completed": 0,
        "unchanged": 2,
        "reports_raised": 0,
    }
    assert HappyCallAnswer.objects.count() == 10
    assert Report.objects.count() == 1


def test_a_known_happy_call_with_other_values_is_an_error_naming_each_column(city, petition):
    imported("happycalls", happycalls(happycall_row()))
    data = happycalls(happycall_row(kindness="5", voc="다름", unkind_case="Y"))
    assert problems("happycalls", data) == {(2, "kindness"), (2, "voc"), (2, "unkind_case")}
    assert not Report.objects.exists()


def test_a_petition_that_already_has_another_call_id_is_an_error(city, petition):
    imported("happycalls", happycalls(happycall_row()))
    assert problems("happycalls", happycalls(happycall_row(call_id="H-9"))) == {(2, "petition_no")}
    assert HappyCall.objects.get().call_id == "H-1"


def test_a_petition_whose_call_was_entered_at_the_call_desk_is_an_error(city, petition):
    HappyCall.objects.create(
        petition=petition,
        department=petition.department,
        status=HappyCall.Status.COMPLETED,
        answered_on=dt.date(2025, 3, 9),
    )
    assert problems("happycalls", happycalls(happycall_row())) == {(2, "petition_no")}


@pytest.mark.parametrize(
    ("changes", "column"),
    [
        ({"petition_no": "P-404"}, "petition_no"),
        ({"petition_no": ""}, "petition_no"),
        ({"speed": "6"}, "speed"),
        ({"kindness": "0"}, "kindness"),
        ({"kind_case": ""}, "kind_case"),
        ({"unkind_case": "yes"}, "unkind_case"),
        ({"answered_on": ""}, "answered_on"),
        ({"answered_on": "2025-03-04"}, "answered_on"),  # before the petition was completed
        ({"call_id": ""}, "call_id"),
    ],
)
def test_a_bad_happy_call_row_names_its_line_and_column_and_nothing_is_imported(
    city, petition, changes, column
):
    data = happycalls(happycall_row(call_id="H-0", petition_no="P-2"), happycall_row(**changes))
    assert problems("happycalls", data) == {(3, column)}
    assert not HappyCall.objects.exists()


def test_a_happy_call_answered_after_today_is_an_error(city, petition):
    assert problems("happycalls", happycalls(happycall_row(answered_on=tomorrow()))) == {
        (2, "answered_on")
    }


def test_a_call_id_or_petition_twice_in_a_happy_call_file_is_an_error(city, petition):
    same_call = happycalls(happycall_row(), happycall_row(petition_no="P-2"))
    assert problems("happycalls", same_call) == {(3, "call_id")}
    same_petition = happycalls(happycall_row(), happycall_row(call_id="H-2"))
    assert problems("happycalls", same_petition) == {(3, "petition_no")}
    assert not HappyCall.objects.exists()


def test_flags_open_received_happy_call_reports_linked_to_the_call(city, petition):
    voc = "담당 주무관님이 끝까지 친절하게 설명해 주셨습니다"
    summary = imported(
        "happycalls",
        happycalls(
            happycall_row(voc=voc, kind_case="Y"),
            happycall_row(call_id="H-2", petition_no="P-2", voc="불친절", unkind_case="Y"),
        ),
    )

    assert summary["reports_raised"] == 2
    praise = HappyCall.objects.get(call_id="H-1").kind_report
    assert praise.kind == Report.Kind.PRAISE
    assert praise.source == Report.Source.HAPPY_CALL
    assert praise.status == Report.Status.RECEIVED
    assert praise.text == voc
    assert (praise.department, praise.official, praise.official_name) == (
        city["civil"],
        city["kim"],
        "김친절",
    )
    assert praise.incident_on == petition.completed_on
    assert praise.channel == Report.Channel.VISIT
    assert (praise.reporter_name, praise.reporter_phone) == ("홍길동", "010-1234-5678")
    assert praise.receipt_no.startswith(f"R-{timezone.localdate().year}-")

    unkind = HappyCall.objects.get(call_id="H-2").unkind_report
    assert unkind.kind == Report.Kind.UNKIND
    assert unkind.source == Report.Source.HAPPY_CALL
    # A mailed petition: the report centre has no mail channel.
    assert unkind.channel == Report.Channel.ONLINE
    assert unkind.official is None and unkind.official_name == ""
    # A voice of the customer under 10 characters gives way to a sentence naming the petition.
    assert "P-2" in unkind.text
    assert Report.objects.count() == 2


def test_a_dry_run_raises_no_report_and_writes_nothing(city, petition):
    result = run_import("happycalls", happycalls(happycall_row(unkind_case="Y")), dry_run=True)
    assert result.ok and result.summary["reports_raised"] == 1
    assert not HappyCall.objects.exists()
    assert not Report.objects.exists()


def test_a_bad_row_anywhere_means_no_call_and_no_report(city, petition):
    data = happycalls(
        happycall_row(unkind_case="Y"), happycall_row(call_id="H-2", petition_no="P-404")
    )
    assert problems("happycalls", data) == {(3, "petition_no")}
    assert not HappyCall.objects.exists()
    assert not Report.objects.exists()


def test_every_survey_import_is_registered_with_its_command():
    from kindness.imports import REGISTRY

    for kind, command, columns in [
        ("petitions", "import_petitions", PETITION_COLUMNS),
        ("visit_surveys", "import_visit_surveys", VISIT_COLUMNS),
        ("phone_surveys", "import_phone_surveys", PHONE_COLUMNS),
        ("happycalls", "import_happycalls", HAPPYCALL_COLUMNS),
    ]:
        assert REGISTRY[kind].command == command
        assert REGISTRY[kind].columns == columns


def test_departments_are_matched_by_code_before_name(city):
    # A department whose name is another's code: the code wins.
    DepartmentFactory(code="D05", name="D01")
    imported("visit_surveys", visits(visit_row(department="D01")))
    assert VisitSurvey.objects.get().department == Department.objects.get(code="D01")
