"""The periods page: creating, closing and reopening periods."""

from __future__ import annotations

import datetime

import pytest

from scoring import services
from scoring.models import Period, RankingRun
from tests.scoring.staff_pages.helpers import AUDITOR, EN, MANAGER, computed, url


def test_the_period_list_shows_each_period_with_its_runs(role_client, run, make_user):
    services.run_publish(run=run, user=make_user(MANAGER))
    second = computed(run.period)

    response = role_client(AUDITOR).get(url())

    assert response.status_code == 200
    (period,) = response.context["periods"]
    assert (period.code, period.latest_number, period.published_number) == ("2025-H1", 2, 1)
    assert period.latest_status == second.status == "completed"
    page = response.content.decode()
    assert f'href="{url("2025-H1/runs/2/")}"' in page
    assert f'href="{url("2025-H1/runs/1/")}"' in page


def test_a_manager_creates_a_standard_period_with_the_programme_dates(role_client, db):
    response = role_client(MANAGER).post(url(), {"code": "2026-H2"})

    assert response.status_code == 302
    assert response["Location"] == url("2026-H2/")
    period = Period.objects.get(code="2026-H2")
    assert period.kind == Period.Kind.SECOND_HALF
    assert (period.starts_on, period.ends_on) == (
        datetime.date(2026, 7, 1),
        datetime.date(2026, 12, 31),
    )
    assert (period.deduction_starts_on, period.deduction_ends_on) == (
        datetime.date(2026, 1, 1),
        datetime.date(2026, 12, 31),
    )


def test_a_manager_creates_a_custom_period_with_its_dates_and_window(role_client, db):
    response = role_client(MANAGER).post(
        url(),
        {
            "code": "2026-Q1",
            "starts_on": "2026-01-01",
            "ends_on": "2026-03-31",
            "deduction_starts_on": "2026-01-01",
            "deduction_ends_on": "2026-03-31",
        },
    )

    assert response.status_code == 302
    period = Period.objects.get(code="2026-Q1")
    assert period.kind == Period.Kind.CUSTOM
    assert (period.starts_on, period.ends_on) == (
        datetime.date(2026, 1, 1),
        datetime.date(2026, 3, 31),
    )
    assert period.deduction_ends_on == datetime.date(2026, 3, 31)


@pytest.mark.parametrize(
    ("data", "message"),
    [
        (
            {"code": "bad code!"},
            "A period code is 1-20 letters, digits, dots, dashes or underscores.",
        ),
        ({"code": "2025-H1"}, "The period 2025-H1 exists already."),
        ({"code": "spring"}, "“spring” is not a standard period code"),
        (
            {"code": "spring", "starts_on": "2026-03-31", "ends_on": "2026-03-01"},
            "The last day comes before the first day.",
        ),
        (
            {"code": "2026", "deduction_starts_on": "2026-01-01"},
            "Give both ends of the deduction window, or neither.",
        ),
        ({"code": "rule-sets"}, "is the address of another page"),
        (
            {"code": "2026-Q2", "starts_on": "2026-13-40", "ends_on": "2026-06-30"},
            "Enter a valid date.",
        ),
        ({"code": ""}, "This field is required."),
    ],
)
def test_a_bad_period_is_refused_on_the_form_with_the_reason(role_client, city, data, message):
    response = role_client(MANAGER).post(url(), data, **EN)

    assert response.status_code == 400
    errors = response.context["form"].errors
    assert message in " ".join(str(e) for field_errors in errors.values() for e in field_errors)
    assert message in response.content.decode()
    assert list(Period.objects.values_list("code", flat=True)) == ["2025-H1"]


def test_a_manager_closes_and_reopens_a_period(role_client, city):
    manager = role_client(MANAGER)

    response = manager.post(url("2025-H1/close/"), {"closed": "1"})
    assert response.status_code == 302
    city.refresh_from_db()
    assert city.closed is True
    # Closing twice is harmless.
    assert manager.post(url("2025-H1/close/"), {"closed": "1"}).status_code == 302

    manager.post(url("2025-H1/close/"), {"closed": "0"})
    city.refresh_from_db()
    assert city.closed is False


def test_a_bad_close_value_is_a_400_and_changes_nothing(role_client, city):
    response = role_client(MANAGER).post(url("2025-H1/close/"), {"closed": "maybe"})

    assert response.status_code == 400
    city.refresh_from_db()
    assert city.closed is False


def test_a_closed_period_is_not_recomputed_at_night(role_client, city):
    from scoring.tasks import recompute_open_periods

    role_client(MANAGER).post(url("2025-H1/close/"), {"closed": "1"})

    assert recompute_open_periods() == 0
    assert not RankingRun.objects.exists()
