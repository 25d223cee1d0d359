"""Issue 15 item 6: the kind of file is chosen, never defaulted; a file of another kind is
named as such; the preview lists the rows that change, paged; the history names kinds."""

from __future__ import annotations

import pytest
from django.core.files.uploadedfile import SimpleUploadedFile
from django.urls import reverse
from django.utils.html import escape

from kindness.imports import run_import
from kindness.models import ImportBatch, Official
from kindness.roles import Role

pytestmark = pytest.mark.django_db

EN = {"HTTP_ACCEPT_LANGUAGE": "en"}
LIST = reverse("import-list")
HEADER = (
    "employee_no,name,bureau,department_code,department,team,position,employment_type,phone,active"
)
FIRST = (
    HEADER + "\n"
    "A00001,김하나,행정국,A01,총무과,총무팀,주무관,regular,052-000-0001,Y\n"
    "A00002,이둘,행정국,A01,총무과,총무팀,팀장,fixed-term,052-000-0002,Y\n"
    "A00003,박셋,복지국,B01,복지과,,주무관,support,052-000-0003,N\n"
).encode()
# A00001 moves to B01, A00002 is renamed, A00003 changes phone, A00004 is new,
# department A01 gets a new name.
SECOND = (
    HEADER + "\n"
    "A00001,김하나,복지국,B01,복지과,,주무관,regular,052-000-0001,Y\n"
    "A00002,이두리,행정국,A01,총무행정과,총무팀,팀장,fixed-term,052-000-0002,Y\n"
    "A00003,박셋,복지국,B01,복지과,,주무관,support,052-000-9999,N\n"
    "A00004,최넷,행정국,A01,총무행정과,총무팀,주무관,regular,052-000-0004,Y\n"
).encode()


@pytest.fixture
def manager(role_client):
    return role_client(Role.MANAGER)


def upload(client, content: bytes, kind: str, name: str = "file.csv", **extra):
    return client.post(LIST, {"kind": kind, "file": SimpleUploadedFile(name, content)}, **extra)


def test_the_upload_form_preselects_no_kind_and_requires_one(manager):
    page = manager.get(LIST, **EN).content.decode()
    response = upload(manager, FIRST, kind="", **EN)

    assert '<option value="" selected>Choose the kind of file</option>' in page
    assert response.status_code == 400
    assert response.context["form"].errors["kind"] == ["Choose what the file holds."]
    assert not ImportBatch.objects.exists()


def test_a_roster_uploaded_as_petitions_is_named_as_a_roster_file(manager):
    response = upload(manager, FIRST, kind="petitions", **EN)

    assert response.status_code == 400
    [message] = response.context["form"].errors["kind"]
    assert 'This looks like a file of another kind: "Roster (organisation and officials)"' in (
        message
    )
    assert escape(message) in response.content.decode()
    assert not ImportBatch.objects.exists()


def test_a_roster_uploaded_as_roster_gets_no_such_message(manager):
    response = upload(manager, FIRST, kind="roster", **EN)

    assert response.status_code == 302
    assert ImportBatch.objects.get().status == ImportBatch.Status.PREVIEWED


def test_the_command_line_names_the_kind_the_file_looks_like_before_the_missing_columns():
    result = run_import("happycalls", FIRST, dry_run=True)

    first, *missing = result.errors
    assert (first.line, first.column) == (0, "")
    assert "Roster" in first.message or "명부" in first.message
    assert {e.column for e in missing} >= {"call_id", "petition_no"}


def test_a_file_of_no_known_kind_gets_only_the_missing_columns():
    result = run_import("roster", b"a,b\n1,2\n", dry_run=True)

    assert all(e.line == 1 for e in result.errors)


def test_the_preview_lists_each_new_transferred_renamed_and_updated_row(manager):
    assert run_import("roster", FIRST).ok
    upload(manager, SECOND, kind="roster")
    batch = ImportBatch.objects.get()

    page = manager.get(reverse("import-detail", args=[batch.pk]), **EN).content.decode()

    rows = {(c["line"], c["change"], c["key"]) for c in batch.changes}
    assert rows == {
        (2, "transferred", "A00001"),
        (3, "renamed", "A00002"),
        (3, "department_updated", "A01"),
        (4, "updated", "A00003"),
        (5, "created", "A00004"),
    }
    assert Official.objects.get(employee_no="A00001").department.code == "A01"  # preview only
    assert "department_code: A01 → B01" in page
    assert "name: 이둘 → 이두리" in page
    assert "department: 총무과 → 총무행정과" in page
    for label in ["transferred", "renamed", "updated", "new", "department renamed or moved"]:
        assert f'<td class="nowrap">{label}</td>' in page
    assert '<td class="code">A00004</td>' in page


def test_the_preview_shows_one_kind_of_change_when_asked(manager):
    assert run_import("roster", FIRST).ok
    upload(manager, SECOND, kind="roster")
    batch = ImportBatch.objects.get()

    page = manager.get(reverse("import-detail", args=[batch.pk]), {"change": "transferred"})

    assert [c["key"] for c in page.context["changes"]] == ["A00001"]
    unknown = manager.get(reverse("import-detail", args=[batch.pk]), {"change": "<x>"})
    assert unknown.status_code == 200
    assert len(unknown.context["changes"]) == 5


def test_the_changed_rows_are_paged(manager):
    rows = "".join(
        f"N{i:05d},이름{i},행정국,A01,총무과,,주무관,regular,,Y\n" for i in range(1, 121)
    )
    upload(manager, (HEADER + "\n" + rows).encode(), kind="roster")
    batch = ImportBatch.objects.get()
    url = reverse("import-detail", args=[batch.pk])

    first = manager.get(url, **EN)
    third = manager.get(url, {"page": 3}, **EN)
    beyond = manager.get(url, {"page": "zzz"}, **EN)

    assert len(first.context["changes"]) == 50
    assert "Page 1 of 3 (122 rows)" in first.content.decode()
    assert len(third.context["changes"]) == 22
    assert "N00120" in third.content.decode()
    assert beyond.status_code == 200


def test_an_applied_import_keeps_the_rows_it_changed(manager, django_capture_on_commit_callbacks):
    upload(manager, FIRST, kind="roster")
    batch = ImportBatch.objects.get()
    with django_capture_on_commit_callbacks(execute=True):
        manager.post(reverse("import-confirm", args=[batch.pk]))
    batch.refresh_from_db()

    assert batch.status == ImportBatch.Status.APPLIED
    assert {c["key"] for c in batch.changes if c["change"] == "created"} == {
        "A00001",
        "A00002",
        "A00003",
    }


def test_the_import_history_names_the_kind_not_its_code(manager):
    upload(manager, FIRST, kind="roster")

    page = manager.get(LIST, **EN).content.decode()

    assert "<td>Roster (organisation and officials)</td>" in page
    assert "<td>roster</td>" not in page
