"""Receipt numbers under concurrency (SPEC section 3): many residents submitting at once get
R-YYYY-000001 onwards with no gap and no repeat. Needs PostgreSQL, whose row locks make
the submissions queue on the year's counter; SQLite serialises whole transactions anyway."""

from __future__ import annotations

import threading

import pytest
from django.db import connection
from django.utils import timezone

from complaints.models import Report
from complaints.services import report_submit
from tests.conftest import require_service, using_postgresql
from tests.factories import DepartmentFactory

THREADS = 8
EACH = 10


@pytest.mark.services
@pytest.mark.django_db(transaction=True)
def test_concurrent_submissions_get_sequential_numbers_with_no_gap_or_repeat():
    require_service(
        using_postgresql(), "the concurrency test needs DATABASE_URL pointing at PostgreSQL"
    )
    department = DepartmentFactory()
    start = threading.Barrier(THREADS)
    failures: list[BaseException] = []

    def resident() -> None:
        try:
            start.wait()
            for _ in range(EACH):
                report_submit(
                    kind=Report.Kind.UNKIND,
                    department=department,
                    official_name="",
                    incident_on=timezone.localdate(),
                    channel=Report.Channel.ONLINE,
                    text="동시에 접수된 신고입니다. 번호가 겹치면 안 됩니다.",
                    reporter_name="홍길동",
                    reporter_phone="010-1234-5678",
                )
        except Exception as exc:  # noqa: BLE001 - reported by the main thread
            failures.append(exc)
        finally:
            connection.close()

    threads = [threading.Thread(target=resident) for _ in range(THREADS)]
    for thread in threads:
        thread.start()
    for thread in threads:
        thread.join(timeout=120)

    assert not failures, failures
    year = timezone.localdate().year
    numbers = sorted(Report.objects.values_list("receipt_no", flat=True))
    assert numbers == [f"R-{year}-{n:06d}" for n in range(1, THREADS * EACH + 1)]
