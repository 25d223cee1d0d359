"""Rate limits of the report form and of tracking."""

from __future__ import annotations

from django.core.cache import caches

from complaints.models import Report
from tests.complaints.public_pages.helpers import NEW, TRACK, form_data


def test_the_third_report_within_the_limit_gets_429_and_is_not_stored(client, department, settings):
    settings.RATELIMIT_ENABLE = True
    settings.REPORT_RATE = "2/m"

    statuses = [client.post(NEW, form_data(department)).status_code for _ in range(3)]

    assert statuses == [302, 302, 429]
    assert Report.objects.count() == 2


def test_correcting_mistakes_does_not_use_up_the_limit(client, department, settings):
    settings.RATELIMIT_ENABLE = True
    settings.REPORT_RATE = "2/m"

    mistakes = [client.post(NEW, form_data(department, consent=None)).status_code for _ in range(3)]
    stored = client.post(NEW, form_data(department))

    assert mistakes == [400, 400, 400]
    assert stored.status_code == 302


def test_a_report_is_accepted_when_the_cache_of_the_rate_limit_is_down(
    client, department, settings, monkeypatch
):
    settings.RATELIMIT_ENABLE = True

    def down(*args, **kwargs):
        raise ConnectionError("cache unavailable")

    monkeypatch.setattr(caches["default"], "add", down)

    response = client.post(NEW, form_data(department))

    assert response.status_code == 302
    assert Report.objects.count() == 1


def test_the_limit_is_off_when_ratelimit_enable_is_off(client, department, settings):
    settings.RATELIMIT_ENABLE = False
    settings.REPORT_RATE = "1/m"

    statuses = [client.post(NEW, form_data(department)).status_code for _ in range(3)]

    assert statuses == [302, 302, 302]


def test_tracking_gets_429_after_its_limit_of_attempts(client, db, settings):
    settings.RATELIMIT_ENABLE = True
    settings.TRACK_RATE = "2/m"
    attempt = {"receipt_no": "R-2025-000001", "secret": "WRONG"}

    statuses = [client.post(TRACK, attempt).status_code for _ in range(3)]

    assert statuses == [200, 200, 429]
