"""Imports in the web interface (SPEC section 7): a manager uploads a file, sees a preview
with counts or the table of problems, and confirms or cancels; the batch is applied by a
task that is safe to run twice. Tasks run in process here (no CELERY_BROKER_URL)."""

from __future__ import annotations

import datetime as dt
import io
import zipfile
from pathlib import Path

import openpyxl
import pytest
from django.core.files.uploadedfile import SimpleUploadedFile
from django.urls import reverse
from django.utils import timezone
from django.utils.translation import gettext

from kindness.models import ImportBatch, Official, OfficialAssignment
from kindness.roles import Role
from kindness.services import (
    ImportStateError,
    import_batch_apply,
    import_batch_cancel,
    import_batch_confirm,
    import_batch_create,
)
from kindness.tasks import apply_import, apply_pending_imports

pytestmark = pytest.mark.django_db

SAMPLE = Path(__file__).parents[1] / "data" / "city-2025" / "roster.csv"
HEADER = (
    "employee_no,name,bureau,department_code,department,team,position,employment_type,phone,active"
)
GOOD = (
    HEADER + "\n"
    "A00001,김하나,행정국,A01,총무과,총무팀,주무관,regular,052-000-0001,Y\n"
    "A00002,이둘,행정국,A01,총무과,총무팀,팀장,fixed-term,052-000-0002,Y\n"
    "A00003,박셋,복지국,B01,복지과,,주무관,support,052-000-0003,N\n"
).encode()
BAD = (
    HEADER + "\n"
    "A00001,김하나,행정국,A01,총무과,총무팀,주무관,regular,052-000-0001,Y\n"
    "A00002,이둘,행정국,A01,총무과,총무팀,팀장,permanent,052-000-0002,Y\n"
    "A00003,,복지국,B01,복지과,,주무관,support,052-000-0003,N\n"
).encode()
EN = {"HTTP_ACCEPT_LANGUAGE": "en"}
LIST = reverse("import-list")


def upload(client, name: str, content: bytes, kind: str = "roster", **extra):
    return client.post(LIST, {"kind": kind, "file": SimpleUploadedFile(name, content)}, **extra)


def detail(batch: ImportBatch) -> str:
    return reverse("import-detail", args=[batch.pk])


def confirm(batch: ImportBatch) -> str:
    return reverse("import-confirm", args=[batch.pk])


def cancel(batch: ImportBatch) -> str:
    return reverse("import-cancel", args=[batch.pk])


@pytest.fixture
def manager(role_client):
    return role_client(Role.MANAGER)


@pytest.fixture
def previewed(make_user):
    """A validated roster batch awaiting confirmation."""
    batch = import_batch_create(
        kind="roster", filename="roster.csv", content=GOOD, by=make_user(Role.MANAGER)
    )
    assert batch.status == ImportBatch.Status.PREVIEWED
    return batch


# Upload and preview ------------------------------------------------------------------------


def test_manager_upload_is_validated_and_previewed_with_counts_but_writes_nothing(manager):
    response = upload(manager, "roster.csv", GOOD)

    batch = ImportBatch.objects.get()
    assert response.status_code == 302
    assert response["Location"] == detail(batch)
    assert (batch.status, batch.row_count, batch.filename) == (
        ImportBatch.Status.PREVIEWED,
        3,
        "roster.csv",
    )
    assert batch.uploaded_by == manager.user
    assert bytes(batch.content) == GOOD
    assert batch.summary["created"] == 3
    assert Official.objects.count() == 0

    page = manager.get(detail(batch), **EN)

    assert page.status_code == 200
    assert "What the import will do" in page.content.decode()
    for label, count in [
        ("new rows", 3),
        ("new bureaus", 2),
        ("new departments", 2),
        ("new teams", 1),
    ]:
        assert f'<th scope="row">{label}</th><td class="num">{count}</td>' in page.content.decode()
    assert confirm(batch) in page.content.decode()
    assert cancel(batch) in page.content.decode()


def test_the_sample_roster_previews_all_its_rows(manager):
    upload(manager, "roster-2025.csv", SAMPLE.read_bytes())

    batch = ImportBatch.objects.get()
    assert (batch.status, batch.row_count, batch.summary["created"]) == ("previewed", 476, 476)


def test_cp949_and_xlsx_uploads_are_previewed_like_utf8(manager, tmp_path):
    book = openpyxl.Workbook()
    for line in GOOD.decode().splitlines():
        book.active.append(line.split(","))
    book.active["A2"] = 10001  # an employee number typed as a number
    book.save(tmp_path / "roster.xlsx")

    upload(manager, "roster-cp949.csv", GOOD.decode().encode("cp949"))
    upload(manager, "roster.xlsx", (tmp_path / "roster.xlsx").read_bytes())

    cp949, workbook = ImportBatch.objects.order_by("pk")
    assert (cp949.status, cp949.summary["created"]) == ("previewed", 3)
    assert (workbook.status, workbook.summary["created"]) == ("previewed", 3)


def test_a_bad_file_shows_each_problem_with_its_line_and_column(manager):
    response = upload(manager, "roster.csv", BAD, follow=True, **EN)

    batch = ImportBatch.objects.get()
    assert batch.status == ImportBatch.Status.INVALID
    assert [(e["line"], e["column"]) for e in batch.errors] == [(3, "employment_type"), (4, "name")]
    html = response.content.decode()
    assert "2 problems found; nothing was imported" in html
    assert (
        '<tr><td class="num">3</td><td class="code">employment_type</td><td>&quot;permanent&quot; is not '
        "allowed here; use one of: regular, fixed-term, support.</td></tr>" in html
    )
    assert (
        '<tr><td class="num">4</td><td class="code">name</td><td>A value is required.</td></tr>'
        in html
    )
    assert confirm(batch) not in html
    assert Official.objects.count() == 0


def test_a_file_in_a_wrong_encoding_shows_a_problem_for_the_whole_file(manager):
    response = upload(
        manager, "roster.csv", "employee_no,name\nE1,Müller\n".encode("latin-1"), follow=True, **EN
    )

    batch = ImportBatch.objects.get()
    assert batch.status == ImportBatch.Status.INVALID
    assert [(e["line"], e["column"]) for e in batch.errors] == [(0, "")]
    assert "neither UTF-8 nor CP949" in response.content.decode()


def test_a_missing_column_shows_line_1_and_the_column_in_korean_by_default(manager):
    data = GOOD.replace(b",phone", b",telephone")

    response = upload(manager, "roster.csv", data, follow=True)

    reason = "This required column is missing from the header."
    assert gettext(reason) != reason  # the Korean catalogue is in use
    assert ImportBatch.objects.get().errors == [
        {"line": 1, "column": "phone", "message": gettext(reason)}
    ]
    assert f'<td class="num">1</td><td class="code">phone</td><td>{gettext(reason)}</td>' in (
        response.content.decode()
    )


@pytest.mark.parametrize("name", ["roster.pdf", "roster.xls", "roster.docx", "roster"])
def test_a_file_that_is_not_csv_or_xlsx_by_name_is_a_form_error(manager, name):
    response = upload(manager, name, GOOD, **EN)

    assert response.status_code == 400
    assert response.context["form"].errors["file"] == ["Choose a .csv or .xlsx file."]
    assert "Choose a .csv or .xlsx file." in response.content.decode()
    assert not ImportBatch.objects.exists()


def test_a_file_over_the_size_limit_is_a_form_error(manager, settings):
    settings.IMPORT_MAX_BYTES = 2**20

    response = upload(manager, "roster.csv", GOOD + b"\n" * 2**20, **EN)

    assert response.status_code == 400
    assert response.context["form"].errors["file"] == ["The file is larger than 1 MB."]
    assert not ImportBatch.objects.exists()


def test_an_empty_post_is_answered_with_form_errors(manager):
    response = manager.post(LIST, {})

    assert response.status_code == 400
    assert set(response.context["form"].errors) == {"kind", "file"}
    assert not ImportBatch.objects.exists()


def test_an_upload_without_a_file_or_with_an_unknown_kind_is_a_form_error(manager):
    no_file = manager.post(LIST, {"kind": "roster"})
    unknown_kind = upload(manager, "roster.csv", GOOD, kind="payroll")
    empty_file = upload(manager, "roster.csv", b"")

    assert no_file.status_code == unknown_kind.status_code == empty_file.status_code == 400
    assert "file" in no_file.context["form"].errors
    assert "kind" in unknown_kind.context["form"].errors
    assert "file" in empty_file.context["form"].errors
    assert not ImportBatch.objects.exists()


def test_the_import_list_shows_the_upload_form_and_the_history(manager, previewed):
    response = manager.get(LIST)

    assert response.status_code == 200
    assert response.context["can_upload"] is True
    assert 'enctype="multipart/form-data"' in response.content.decode()
    assert detail(previewed) in response.content.decode()


# Confirm and cancel ------------------------------------------------------------------------


def test_confirming_a_preview_imports_the_rows(
    manager, previewed, django_capture_on_commit_callbacks
):
    with django_capture_on_commit_callbacks(execute=True):
        response = manager.post(confirm(previewed))

    assert response.status_code == 302
    assert response["Location"] == detail(previewed)
    previewed.refresh_from_db()
    assert previewed.status == ImportBatch.Status.APPLIED
    assert previewed.applied_at is not None
    assert previewed.summary["created"] == 3
    assert Official.objects.count() == 3
    page = manager.get(detail(previewed), **EN)
    assert "What the import did" in page.content.decode()
    assert confirm(previewed) not in page.content.decode()


@pytest.mark.django_db(transaction=True)
def test_confirming_in_a_real_transaction_imports_at_once_and_says_so(role_client):
    manager = role_client(Role.MANAGER)
    upload(manager, "roster.csv", GOOD)
    batch = ImportBatch.objects.get()

    response = manager.post(confirm(batch), follow=True, **EN)

    batch.refresh_from_db()
    assert batch.status == ImportBatch.Status.APPLIED
    assert "The file was imported." in response.content.decode()
    assert Official.objects.count() == 3


def test_confirming_twice_imports_once(manager, previewed, django_capture_on_commit_callbacks):
    with django_capture_on_commit_callbacks(execute=True) as callbacks:
        first = manager.post(confirm(previewed))
        second = manager.post(confirm(previewed))

    assert first.status_code == second.status_code == 302
    assert len(callbacks) == 1  # the task is sent once
    with django_capture_on_commit_callbacks(execute=True) as callbacks:
        third = manager.post(confirm(previewed))
    assert third.status_code == 302
    assert callbacks == []
    previewed.refresh_from_db()
    assert previewed.status == ImportBatch.Status.APPLIED
    assert Official.objects.count() == 3
    assert OfficialAssignment.objects.count() == 3


def test_cancel_discards_the_preview_and_it_can_no_longer_be_confirmed(
    manager, previewed, django_capture_on_commit_callbacks
):
    response = manager.post(cancel(previewed))

    assert response.status_code == 302
    previewed.refresh_from_db()
    assert previewed.status == ImportBatch.Status.CANCELLED
    assert manager.post(cancel(previewed)).status_code == 302  # cancelling twice is harmless

    with django_capture_on_commit_callbacks(execute=True) as callbacks:
        refused = manager.post(confirm(previewed), **EN)

    assert refused.status_code == 409
    assert "This import can no longer be confirmed." in refused.content.decode()
    assert callbacks == []
    assert Official.objects.count() == 0


def test_an_invalid_file_cannot_be_confirmed(manager, django_capture_on_commit_callbacks):
    upload(manager, "roster.csv", BAD)
    batch = ImportBatch.objects.get()

    with django_capture_on_commit_callbacks(execute=True):
        response = manager.post(confirm(batch))

    assert response.status_code == 409
    batch.refresh_from_db()
    assert batch.status == ImportBatch.Status.INVALID
    assert Official.objects.count() == 0


def test_an_applied_import_cannot_be_cancelled(
    manager, previewed, django_capture_on_commit_callbacks
):
    with django_capture_on_commit_callbacks(execute=True):
        manager.post(confirm(previewed))

    response = manager.post(cancel(previewed), **EN)

    assert response.status_code == 409
    assert "cannot be cancelled" in response.content.decode()
    previewed.refresh_from_db()
    assert previewed.status == ImportBatch.Status.APPLIED


def test_confirm_and_cancel_take_post_only(manager, previewed):
    assert manager.get(confirm(previewed)).status_code == 405
    assert manager.get(cancel(previewed)).status_code == 405
    previewed.refresh_from_db()
    assert previewed.status == ImportBatch.Status.PREVIEWED


def test_an_unknown_import_is_not_found(manager):
    assert manager.get(reverse("import-detail", args=[999])).status_code == 404
    assert manager.post(reverse("import-confirm", args=[999])).status_code == 404


# Who may do what ---------------------------------------------------------------------------


def test_an_auditor_sees_imports_but_has_no_upload_form_or_buttons(role_client, previewed):
    auditor = role_client(Role.AUDITOR)

    listing = auditor.get(LIST)
    page = auditor.get(detail(previewed))

    assert listing.status_code == page.status_code == 200
    assert listing.context["can_upload"] is False
    assert 'enctype="multipart/form-data"' not in listing.content.decode()
    assert detail(previewed) in listing.content.decode()
    assert confirm(previewed) not in page.content.decode()


def test_an_auditor_cannot_upload_confirm_or_cancel(
    role_client, previewed, django_capture_on_commit_callbacks
):
    auditor = role_client(Role.AUDITOR)

    with django_capture_on_commit_callbacks(execute=True):
        uploaded = upload(auditor, "roster.csv", GOOD)
        confirmed = auditor.post(confirm(previewed))
        cancelled = auditor.post(cancel(previewed))

    assert uploaded.status_code == confirmed.status_code == cancelled.status_code == 403
    assert ImportBatch.objects.count() == 1
    previewed.refresh_from_db()
    assert previewed.status == ImportBatch.Status.PREVIEWED
    assert Official.objects.count() == 0


@pytest.mark.parametrize(
    "role", [Role.HAPPY_CALL, Role.REPORT_OFFICER, Role.DEPARTMENT_HEAD, Role.BUREAU_HEAD]
)
def test_other_staff_may_not_see_or_run_imports(role_client, previewed, role):
    client = role_client(role)

    assert client.get(detail(previewed)).status_code == 403
    assert upload(client, "roster.csv", GOOD).status_code == 403
    assert client.post(confirm(previewed)).status_code == 403
    previewed.refresh_from_db()
    assert previewed.status == ImportBatch.Status.PREVIEWED


def test_anonymous_visitors_are_sent_to_the_login_page(client, previewed):
    login = reverse("login")
    for response in (
        client.get(LIST),
        client.get(detail(previewed)),
        upload(client, "roster.csv", GOOD),
        client.post(confirm(previewed)),
        client.post(cancel(previewed)),
    ):
        assert response.status_code == 302
        assert response["Location"].startswith(login + "?next=")
    assert ImportBatch.objects.count() == 1
    previewed.refresh_from_db()
    assert previewed.status == ImportBatch.Status.PREVIEWED


# Services and tasks ------------------------------------------------------------------------


def test_creating_a_batch_of_an_unknown_kind_is_refused(make_user):
    with pytest.raises(ImportStateError):
        import_batch_create(
            kind="payroll", filename="x.csv", content=GOOD, by=make_user(Role.MANAGER)
        )
    assert not ImportBatch.objects.exists()


def test_confirm_service_is_safe_to_repeat_and_sends_once(
    previewed, django_capture_on_commit_callbacks
):
    with django_capture_on_commit_callbacks() as callbacks:
        import_batch_confirm(batch=previewed)
        again = import_batch_confirm(batch=previewed)

    assert again.status == ImportBatch.Status.QUEUED
    assert len(callbacks) == 1


def test_cancel_service_refuses_a_queued_batch(previewed, django_capture_on_commit_callbacks):
    with django_capture_on_commit_callbacks():
        import_batch_confirm(batch=previewed)

    with pytest.raises(ImportStateError):
        import_batch_cancel(batch=previewed)
    previewed.refresh_from_db()
    assert previewed.status == ImportBatch.Status.QUEUED


def test_apply_import_task_applies_a_queued_batch_once_even_when_run_twice(previewed):
    ImportBatch.objects.filter(pk=previewed.pk).update(status=ImportBatch.Status.QUEUED)

    assert apply_import.delay(previewed.pk).get() == ImportBatch.Status.APPLIED
    applied_at = ImportBatch.objects.get(pk=previewed.pk).applied_at
    assert apply_import.delay(previewed.pk).get() == ImportBatch.Status.APPLIED

    previewed.refresh_from_db()
    assert previewed.applied_at == applied_at
    assert previewed.summary["created"] == 3
    assert Official.objects.count() == 3
    assert OfficialAssignment.objects.count() == 3


def test_import_batch_apply_leaves_a_batch_that_is_not_queued_alone(previewed):
    batch = import_batch_apply(batch_id=previewed.pk)

    assert batch.status == ImportBatch.Status.PREVIEWED
    assert Official.objects.count() == 0


def test_import_batch_apply_validates_again_and_writes_nothing_from_a_bad_file(make_user):
    batch = ImportBatch.objects.create(
        kind="roster",
        filename="roster.csv",
        content=BAD,
        uploaded_by=make_user(Role.MANAGER),
        status=ImportBatch.Status.QUEUED,
    )

    batch = import_batch_apply(batch_id=batch.pk)

    assert batch.status == ImportBatch.Status.INVALID
    assert [(e["line"], e["column"]) for e in batch.errors] == [(3, "employment_type"), (4, "name")]
    assert batch.applied_at is None
    assert Official.objects.count() == 0


def test_apply_pending_imports_sends_queued_batches_left_behind(make_user):
    by = make_user(Role.MANAGER)

    def batch(status: str, age: dt.timedelta, employee_no: str) -> ImportBatch:
        content = GOOD.replace(b"A00001", employee_no.encode())
        created = ImportBatch.objects.create(
            kind="roster",
            filename=f"{employee_no}.csv",
            content=content,
            uploaded_by=by,
            status=status,
        )
        ImportBatch.objects.filter(pk=created.pk).update(created_at=timezone.now() - age)
        return created

    stale = batch(ImportBatch.Status.QUEUED, dt.timedelta(minutes=30), "S00001")
    fresh = batch(ImportBatch.Status.QUEUED, dt.timedelta(minutes=1), "F00001")
    waiting = batch(ImportBatch.Status.PREVIEWED, dt.timedelta(hours=2), "P00001")

    assert apply_pending_imports.delay().get() == 1

    statuses = dict(ImportBatch.objects.values_list("pk", "status"))
    assert statuses == {
        stale.pk: ImportBatch.Status.APPLIED,
        fresh.pk: ImportBatch.Status.QUEUED,
        waiting.pk: ImportBatch.Status.PREVIEWED,
    }
    assert Official.objects.filter(employee_no="S00001").exists()
    assert not Official.objects.filter(employee_no__in=["F00001", "P00001"]).exists()
    assert apply_pending_imports.delay().get() == 0  # nothing left behind any more


def xlsx_bytes(rows) -> bytes:
    book = openpyxl.Workbook()
    for row in rows:
        book.active.append(row)
    out = io.BytesIO()
    book.save(out)
    return out.getvalue()


def with_bad_sheet(data: bytes) -> bytes:
    """The same workbook whose first sheet is not well-formed XML."""
    source = zipfile.ZipFile(io.BytesIO(data))
    out = io.BytesIO()
    with zipfile.ZipFile(out, "w") as target:
        for info in source.infolist():
            damaged = info.filename == "xl/worksheets/sheet1.xml"
            target.writestr(info.filename, b"<sheetData" if damaged else source.read(info))
    return out.getvalue()


@pytest.mark.parametrize(
    "damage", [lambda data: data[: len(data) // 2], with_bad_sheet], ids=["truncated", "bad-xml"]
)
def test_a_damaged_xlsx_upload_shows_a_problem_not_a_server_error(manager, damage):
    data = damage(xlsx_bytes([HEADER.split(","), ["A00001"]]))

    response = upload(manager, "roster.xlsx", data, follow=True)

    assert response.status_code == 200
    batch = ImportBatch.objects.get()
    assert batch.status == ImportBatch.Status.INVALID
    assert [e["line"] for e in batch.errors] == [0]
