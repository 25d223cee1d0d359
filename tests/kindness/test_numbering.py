"""Yearly number sequences (kindness.numbering): one counter per prefix and year, advanced
in the storing transaction, gap-free under concurrency, and a clear error when a year's
six digits are used up (SPEC sections 3 and 7; issue 14 item 10)."""

from __future__ import annotations

import threading

import pytest
from django.db import connection, transaction
from django.utils import timezone

from complaints.models import Report
from kindness import numbering
from kindness.models import NumberSequence
from tests.conftest import require_service, using_postgresql
from tests.factories import DepartmentFactory

pytestmark = pytest.mark.django_db


def take(prefix: str, year: int) -> str:
    with transaction.atomic():
        return numbering.number_next(prefix=prefix, year=year)


def test_each_prefix_and_year_has_its_own_sequence_from_one():
    given = [take("R", 2026), take("R", 2026), take("C", 2026), take("R", 2025)]

    assert given == ["R-2026-000001", "R-2026-000002", "C-2026-000001", "R-2025-000001"]
    assert NumberSequence.objects.get(prefix="R", year=2026).last == 2


def test_a_rolled_back_transaction_gives_its_number_back():
    with pytest.raises(RuntimeError), transaction.atomic():
        numbering.number_next(prefix="C", year=2026)
        raise RuntimeError("the row could not be stored")

    assert take("C", 2026) == "C-2026-000001"


def test_a_number_is_only_given_inside_the_storing_transaction():
    with pytest.raises(transaction.TransactionManagementError):
        # pytest-django's test transaction is an atomic block; leave it to test the guard.
        connection.in_atomic_block, saved = False, connection.in_atomic_block
        try:
            numbering.number_next(prefix="R", year=2026)
        finally:
            connection.in_atomic_block = saved


def test_a_used_up_year_is_a_clear_error_and_gives_no_seven_digit_number():
    numbering.number_advance(prefix="R", year=2026, number=numbering.LAST - 1)

    assert take("R", 2026) == "R-2026-999999"
    with pytest.raises(numbering.SequenceExhausted, match="2026"):
        take("R", 2026)
    assert NumberSequence.objects.get(prefix="R", year=2026).last == numbering.LAST


def test_advancing_moves_past_a_number_but_never_back():
    numbering.number_advance(prefix="R", year=2025, number=260)
    numbering.number_advance(prefix="R", year=2025, number=12)

    assert numbering.number_last(prefix="R", year=2025) == 260
    assert take("R", 2025) == "R-2025-000261"


def test_databases_without_update_returning_lock_the_row_and_give_the_same_numbers(
    monkeypatch,
):
    monkeypatch.setattr(numbering, "_update_returning", lambda: False)
    numbering.number_advance(prefix="R", year=2026, number=numbering.LAST - 1)

    assert [take("C", 2026), take("C", 2026), take("R", 2026)] == [
        "C-2026-000001",
        "C-2026-000002",
        "R-2026-999999",
    ]
    with pytest.raises(numbering.SequenceExhausted):
        take("R", 2026)


# ---------------------------------------------------------------------------- receipts


def test_after_importing_the_years_last_number_a_web_report_is_refused_clearly(client):
    year = timezone.localdate().year
    numbering.number_advance(prefix="R", year=year, number=numbering.LAST)
    department = DepartmentFactory()

    response = client.post(
        "/reports/new/",
        {
            "kind": "praise",
            "department": str(department.pk),
            "incident_on": timezone.localdate().isoformat(),
            "channel": "visit",
            "text": "친절하게 도와주셔서 감사했습니다.",
            "reporter_name": "홍길동",
            "consent": "on",
        },
    )

    assert response.status_code == 503
    assert str(year) in response.content.decode()
    assert not Report.objects.exists()


def test_the_tracking_form_takes_the_highest_number_the_system_issues(client):
    year = timezone.localdate().year
    response = client.post(
        "/reports/track/", {"receipt_no": f"R-{year}-999999", "secret": "ABCDEFGHJK"}
    )

    assert response.status_code == 200  # valid, just not found
    assert "R-YYYY-NNNNNN" not in response.content.decode()


# ---------------------------------------------------------------------------- concurrency

THREADS = 8
EACH = 10


@pytest.mark.services
@pytest.mark.django_db(transaction=True)
def test_concurrent_callers_get_sequential_numbers_with_no_gap_or_repeat():
    require_service(
        using_postgresql(), "the concurrency test needs DATABASE_URL pointing at PostgreSQL"
    )
    start = threading.Barrier(THREADS)
    given: list[str] = []
    failures: list[BaseException] = []

    def caller() -> None:
        try:
            start.wait()  # all race for the year's first row too
            for _ in range(EACH):
                given.append(take("C", 2031))
        except Exception as exc:  # noqa: BLE001 - reported by the main thread
            failures.append(exc)
        finally:
            connection.close()

    threads = [threading.Thread(target=caller) for _ in range(THREADS)]
    for thread in threads:
        thread.start()
    for thread in threads:
        thread.join(timeout=120)

    assert not failures, failures
    assert sorted(given) == [f"C-2031-{n:06d}" for n in range(1, THREADS * EACH + 1)]
