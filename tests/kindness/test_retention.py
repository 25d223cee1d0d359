"""`manage.py erase_personal_data` and the daily task run every retention rule of SPEC
section 8 registered with the core: reports, petitions, consultations, outbox rows and
uploaded import files."""

from __future__ import annotations

import datetime as dt
import io

import pytest
from django.core.management import CommandError, call_command
from django.utils import timezone

from complaints.models import Report
from kindness.models import ImportBatch, OutboxMessage
from kindness.retention_rules import RULES
from kindness.tasks import erase_personal_data
from tests.factories import ReportFactory, UserFactory

pytestmark = pytest.mark.django_db

TODAY = dt.date(2026, 6, 1)


def at(day: dt.date) -> dt.datetime:
    return timezone.make_aware(dt.datetime.combine(day, dt.time(12, 0)))


def batch(status: str, *, created: dt.date, applied: dt.date | None = None) -> ImportBatch:
    b = ImportBatch.objects.create(
        kind="petitions",
        filename="petitions.csv",
        content=b"petition_no,petitioner_name\nP-1,\xed\x99\x8d\xea\xb8\xb8\xeb\x8f\x99\n",
        status=status,
        uploaded_by=UserFactory(),
        errors=[{"line": 2, "column": "petitioner_name", "message": "홍길동"}],
        summary={"created": 1},
        applied_at=at(applied) if applied else None,
    )
    ImportBatch.objects.filter(pk=b.pk).update(created_at=at(created))
    return b


def run(*args) -> str:
    out = io.StringIO()
    call_command("erase_personal_data", *args, stdout=out)
    return out.getvalue()


def test_every_apps_rules_are_registered_with_the_core():
    assert {"reports", "petitions", "consultations", "outbox", "import_files"} <= set(RULES)


def test_uploaded_files_and_error_lists_go_30_days_after_applied_and_1_day_after_a_preview():
    applied_old = batch(
        "applied", created=TODAY - dt.timedelta(days=31), applied=TODAY - dt.timedelta(days=30)
    )
    applied_new = batch(
        "applied", created=TODAY - dt.timedelta(days=29), applied=TODAY - dt.timedelta(days=29)
    )
    preview_old = batch("previewed", created=TODAY - dt.timedelta(days=1))
    preview_new = batch("previewed", created=TODAY)
    queued = batch("queued", created=TODAY - dt.timedelta(days=40))

    output = run("--today", TODAY.isoformat())

    assert "import_files (가져오기용으로 올린 파일): 2건 파기" in output
    for gone in (applied_old, preview_old):
        gone.refresh_from_db()
        assert bytes(gone.content) == b"" and gone.errors == [] and gone.files_erased_at
        assert gone.summary == {"created": 1}
    preview_old.refresh_from_db()
    assert preview_old.status == "cancelled"
    for kept in (applied_new, preview_new, queued):
        kept.refresh_from_db()
        assert bytes(kept.content) and kept.errors and kept.files_erased_at is None


def test_a_dry_run_prints_what_is_due_and_erases_nothing():
    old = batch("invalid", created=TODAY - dt.timedelta(days=3))

    output = run("--today", TODAY.isoformat(), "--dry-run")

    assert "시험 실행" in output and "import_files (가져오기용으로 올린 파일): 1건 대상" in output
    for kind in ("reports", "petitions", "consultations", "outbox"):
        assert f"{kind} (" in output
    old.refresh_from_db()
    assert bytes(old.content) and old.files_erased_at is None


def test_outbox_rows_about_an_erased_report_are_deleted_with_it_or_after():
    report = ReportFactory(status="rejected", reporter_email="hong@example.com")
    Report.objects.filter(pk=report.pk).update(ended_at=at(TODAY) - dt.timedelta(days=4 * 366))
    OutboxMessage.objects.create(
        key="a", to="hong@example.com", subject="s", body="b", related=f"report:{report.pk}"
    )
    other = OutboxMessage.objects.create(
        key="b", to="x@example.com", subject="s", body="b", related="report:999999"
    )

    output = run("--today", TODAY.isoformat())

    assert "reports (신고): 1건 파기" in output
    assert list(OutboxMessage.objects.all()) == [other]
    # A row written about the erased report later goes at the next run, as outbox.
    OutboxMessage.objects.create(
        key="c", to="hong@example.com", subject="s", body="b", related=f"report:{report.pk}"
    )
    assert "outbox (발송 대기 메시지): 1건 파기" in run("--today", TODAY.isoformat())
    assert list(OutboxMessage.objects.all()) == [other]


def test_the_daily_task_runs_the_same_rules():
    batch("previewed", created=timezone.localdate() - dt.timedelta(days=2))

    counts = erase_personal_data()

    assert set(counts) == set(RULES)
    assert counts["import_files"] == 1
    assert ImportBatch.objects.get().files_erased_at is not None


def test_a_bad_date_is_a_clear_error():
    with pytest.raises(CommandError, match="YYYY-MM-DD"):
        run("--today", "2026-02-30")


def test_the_import_page_says_the_file_was_erased(role_client):
    from kindness.roles import Role

    old = batch(
        "applied", created=TODAY - dt.timedelta(days=40), applied=TODAY - dt.timedelta(days=40)
    )
    run("--today", TODAY.isoformat())

    html = role_client(Role.MANAGER).get(f"/staff/imports/{old.pk}/").content.decode()

    assert 'id="file-erased"' in html and "홍길동" not in html
