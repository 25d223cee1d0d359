"""The report form's per-address limit under parallel posts (SPEC section 3; issue 14
item 7): valid submissions are counted atomically just before they are stored, so 20
parallel valid posts from one address under a 5/h limit store exactly 5."""

from __future__ import annotations

import threading

import pytest
from django.core.cache import cache
from django.db import connection
from django.test import Client
from django.utils import timezone

from complaints.models import Report
from tests.conftest import require_service, using_postgresql
from tests.factories import DepartmentFactory

POSTS = 20


@pytest.mark.services
@pytest.mark.django_db(transaction=True)
def test_parallel_valid_posts_from_one_address_store_only_the_limit(settings):
    require_service(
        using_postgresql(), "the concurrency test needs DATABASE_URL pointing at PostgreSQL"
    )
    settings.RATELIMIT_ENABLE = True
    settings.REPORT_RATE = "5/h"
    cache.clear()
    department = DepartmentFactory()
    data = {
        "kind": "praise",
        "department": str(department.pk),
        "official_name": "",
        "incident_on": timezone.localdate().isoformat(),
        "channel": "visit",
        "text": "동시에 보낸 칭찬입니다. 다섯 건만 저장되어야 합니다.",
        "reporter_name": "홍길동",
        "reporter_phone": "",
        "reporter_email": "",
        "consent": "on",
        "website": "",
    }
    start = threading.Barrier(POSTS)
    statuses: list[int] = []
    failures: list[BaseException] = []

    def resident() -> None:
        try:
            client = Client(REMOTE_ADDR="198.51.100.7")
            start.wait()
            statuses.append(client.post("/reports/new/", data).status_code)
        except Exception as exc:  # noqa: BLE001 - reported by the main thread
            failures.append(exc)
        finally:
            connection.close()

    threads = [threading.Thread(target=resident) for _ in range(POSTS)]
    for thread in threads:
        thread.start()
    for thread in threads:
        thread.join(timeout=120)

    assert not failures, failures
    assert sorted(statuses) == [302] * 5 + [429] * 15
    assert Report.objects.count() == 5
    cache.clear()


@pytest.mark.django_db
def test_an_invalid_post_does_not_count_and_another_address_has_its_own_limit(settings):
    settings.RATELIMIT_ENABLE = True
    settings.REPORT_RATE = "1/h"
    cache.clear()
    department = DepartmentFactory()
    valid = {
        "kind": "praise",
        "department": str(department.pk),
        "incident_on": timezone.localdate().isoformat(),
        "channel": "visit",
        "text": "칭찬합니다. 친절하게 안내해 주셨어요.",
        "reporter_name": "홍길동",
        "consent": "on",
    }
    one, other = Client(REMOTE_ADDR="198.51.100.7"), Client(REMOTE_ADDR="198.51.100.8")

    assert one.post("/reports/new/", {**valid, "consent": ""}).status_code == 400
    assert one.post("/reports/new/", valid).status_code == 302
    assert one.post("/reports/new/", valid).status_code == 429
    assert other.post("/reports/new/", valid).status_code == 302
    assert Report.objects.count() == 2
    cache.clear()
