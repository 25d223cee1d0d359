"""The input rules of SPEC section 7 (kindness/validation.py) in every import, the admin
forms and the public forms: department codes, control characters, bidirectional
overrides, NUL anywhere in a file, ASCII digits and years 1900-2100."""

from __future__ import annotations

import io

import pytest
from django import forms
from django.core.checks import run_checks
from django.core.management import CommandError, call_command

from complaints.forms.public import ReportForm
from kindness.imports import run_import
from kindness.models import Department
from kindness.roles import Role
from kindness.validation import TextRules, text_problem
from tests.factories import BureauFactory, DepartmentFactory
from tests.kindness.test_roster_import import COLUMNS as ROSTER_COLUMNS
from tests.kindness.test_roster_import import person
from tests.surveys.test_imports import (  # noqa: F401
    city,
    csv_bytes,
    happycall_row,
    happycalls,
    petition_row,
    petitions,
    phone_row,
    phones,
    problems,
)

pytestmark = pytest.mark.django_db


def roster(*rows: dict[str, str]) -> bytes:
    return csv_bytes(ROSTER_COLUMNS, *rows)


@pytest.mark.parametrize("code", ["X/1", "A B", "-A", "_A", "가나", "A.1", "A\u202e1"])
def test_a_roster_refuses_department_codes_outside_the_rule(code):
    assert problems("roster", roster(person("E1", department_code=code))) == {
        (2, "department_code")
    }
    assert not Department.objects.exists()


@pytest.mark.parametrize("code", ["A", "a-1", "Z_9", "0"])
def test_a_roster_takes_department_codes_inside_the_rule(code):
    assert run_import("roster", roster(person("E1", department_code=code))).ok
    assert Department.objects.get().code == code


def test_a_code_stored_before_the_rule_still_imports():
    DepartmentFactory(code="X/1", name="총무과", bureau=BureauFactory(name="행정국"))
    result = run_import("roster", roster(person("E1", department_code="X/1")))
    assert result.ok, [str(e) for e in result.errors]


@pytest.mark.parametrize(
    "name", ["김\x07철수", "김\t철수", "김\n철수", "김\u2028철수", "김\u0085철수", "\u202e수철김"]
)
def test_names_refuse_control_characters_and_direction_overrides(name):
    assert problems("roster", roster(person("E1", name=name))) == {(2, "name")}


def test_tabs_and_line_breaks_are_fine_in_a_voice_of_the_customer_only(city):  # noqa: F811
    assert run_import("petitions", petitions(petition_row())).ok
    voc = "첫 줄\n둘째 줄\t끝"
    assert run_import("happycalls", happycalls(happycall_row(voc=voc))).ok
    bad = happycalls(happycall_row(call_id="H-2", voc="소리\x1b[31m"))
    assert problems("happycalls", bad) == {(2, "voc")}
    assert problems("petitions", petitions(petition_row(title="주차\n민원"))) == {(2, "title")}


@pytest.mark.parametrize("value", ["３", "١", "1_0", "+1", "1.0"])
def test_whole_numbers_are_ascii_digits_only(city, value):  # noqa: F811
    assert problems("phone_surveys", phones(phone_row(rings=value))) == {(2, "rings")}


@pytest.mark.parametrize(
    "called_at", ["0001-01-01T00:00:00+14:00", "1899-12-31T23:00:00+09:00", "0001-01-01"]
)
def test_a_phone_survey_in_year_1_is_a_row_error_not_a_crash(city, called_at):  # noqa: F811
    result = run_import("phone_surveys", phones(phone_row(called_at=called_at)))
    assert [(e.line, e.column) for e in result.errors] == [(2, "called_at")]
    assert "1900" in result.errors[0].message


def test_the_import_command_names_the_year_problem(city, tmp_path):  # noqa: F811
    path = tmp_path / "calls.csv"
    path.write_bytes(phones(phone_row(called_at="0001-01-01T00:00:00+14:00")))
    err = io.StringIO()
    with pytest.raises(CommandError):
        call_command("import_phone_surveys", str(path), stdout=io.StringIO(), stderr=err)
    assert "called_at" in err.getvalue()


@pytest.mark.parametrize("column", ["employee_no", "name", "extra"])
def test_a_nul_after_the_first_4_kb_names_its_line(column):
    rows = [person(f"E{i:04d}", name="김" * 40) for i in range(60)]
    rows.append({**person("E9999"), column: "a\x00b"})
    data = csv_bytes((*ROSTER_COLUMNS, "extra"), *rows)
    assert data.index(b"\x00") > 4096
    result = run_import("roster", data)
    assert [(e.line, e.column) for e in result.errors] == [(62, column)]
    assert "NUL" in result.errors[0].message
    assert not Department.objects.exists()


def test_the_public_report_form_refuses_control_characters_in_names_only():
    department = DepartmentFactory()
    data = {
        "kind": "praise",
        "department": str(department.pk),
        "official_name": "김\u202e철수",
        "incident_on": "",
        "channel": "visit",
        "text": "친절하게 안내해 주셨습니다.\n\t고맙습니다.",
        "reporter_name": "홍\x08길동",
        "consent": "on",
    }
    form = ReportForm(data)
    assert not form.is_valid()
    assert {"official_name", "reporter_name"} <= set(form.errors)
    assert "text" not in form.errors


def test_every_form_of_the_project_follows_the_text_rules():
    from tests.kindness.test_form_lengths import project_forms

    forms = [f for f in project_forms() if not f.__module__.endswith(".admin")]
    assert forms
    assert [f for f in forms if not issubclass(f, TextRules)] == []


def test_admin_forms_refuse_bad_codes_and_control_characters(role_client):
    client = role_client(Role.ADMIN)
    client.user.is_superuser = True
    client.user.save()
    bureau = BureauFactory()
    response = client.post(
        "/admin/kindness/department/add/",
        {"code": "X/1", "name": "총무\x07과", "bureau": bureau.pk, "active": "on",
         "teams-TOTAL_FORMS": "0", "teams-INITIAL_FORMS": "0"},
    )  # fmt: skip
    assert response.status_code == 200
    errors = response.context["adminform"].form.errors
    assert set(errors) >= {"code", "name"}
    assert not Department.objects.exists()


def test_a_system_check_lists_stored_codes_that_break_the_rule():
    DepartmentFactory(code="GOOD-1")
    DepartmentFactory(code="X/1")
    messages = [m for m in run_checks() if m.id == "kindness.W001"]
    assert len(messages) == 1
    assert "'X/1'" in messages[0].msg and "GOOD-1" not in messages[0].msg


def test_text_problem_names_the_character():
    assert "U+0007" in text_problem("a\x07")
    assert text_problem("a\tb", multiline=True) is None
    assert text_problem("a\u202eb", multiline=True) is None


class _Sample(TextRules, forms.Form):
    name = forms.CharField()
    text = forms.CharField(widget=forms.Textarea)
    count = forms.IntegerField()
    day = forms.DateField()


@pytest.mark.parametrize(
    "changes, field",
    [
        ({"count": "３"}, "count"),
        ({"count": "1_0"}, "count"),
        ({"count": "١"}, "count"),
        ({"day": "1899-12-31"}, "day"),
        ({"day": "2101-01-01"}, "day"),
        ({"name": "a\u2029b"}, "name"),
        ({"text": "a\x00b"}, "text"),
    ],
)
def test_the_form_rules_name_the_field(changes, field):
    data = {"name": "김철수", "text": "줄\n바꿈\t탭", "count": "12", "day": "2026-01-01"}
    assert _Sample(data).is_valid()
    form = _Sample({**data, **changes})
    assert not form.is_valid()
    assert list(form.errors) == [field]


@pytest.mark.parametrize(
    "url",
    [
        "/staff/training/departments/?year=²",
        "/staff/initiatives/?year=²",
        "/staff/encouragement/?year=²",
        "/staff/initiatives/?year=３",
    ],
)
def test_a_year_in_other_digits_is_never_a_server_error(role_client, url):
    client = role_client(Role.MANAGER)
    assert client.get(url).status_code in (200, 400)


@pytest.mark.parametrize("official", ["²", "9" * 30])
def test_an_official_number_in_other_digits_is_never_a_server_error(role_client, official):
    client = role_client(Role.MANAGER)
    response = client.post("/staff/encouragement/", {"official": official, "on": "2026-01-01"})
    assert response.status_code < 500


def test_a_phone_survey_in_year_1_is_shown_as_a_row_error_on_the_import_page(
    role_client,
    city,  # noqa: F811
):
    from django.core.files.uploadedfile import SimpleUploadedFile

    from kindness.models import ImportBatch

    client = role_client(Role.MANAGER)
    data = phones(phone_row(called_at="0001-01-01T00:00:00+14:00"))
    response = client.post(
        "/staff/imports/",
        {"kind": "phone_surveys", "file": SimpleUploadedFile("calls.csv", data)},
        HTTP_ACCEPT_LANGUAGE="en",
    )
    assert response.status_code in (200, 302, 400)
    batch = ImportBatch.objects.get()
    page = client.get(f"/staff/imports/{batch.pk}/", HTTP_ACCEPT_LANGUAGE="en")
    assert page.status_code == 200
    text = page.content.decode()
    assert "called_at" in text and "1900" in text


def test_decimal_fields_keep_their_own_rules():
    class Weights(TextRules, forms.Form):
        weight = forms.DecimalField()
        ratio = forms.FloatField()

    assert Weights({"weight": "0.3", "ratio": "1.5"}).is_valid()
