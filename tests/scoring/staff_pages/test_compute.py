"""Computing a run from the period page, and its progress."""

from __future__ import annotations

from scoring import services
from scoring.models import RankingRun
from tests.scoring.staff_pages.helpers import EN, MANAGER, computing_run, url


def test_compute_now_computes_a_run_and_shows_it(
    role_client, city, django_capture_on_commit_callbacks
):
    manager = role_client(MANAGER)
    with django_capture_on_commit_callbacks(execute=True):
        response = manager.post(url("2025-H1/compute/"))

    assert response.status_code == 302
    assert response["Location"] == url("2025-H1/runs/1/")
    run = RankingRun.objects.get()
    assert run.status == RankingRun.Status.COMPLETED
    assert run.trigger == RankingRun.Trigger.MANAGER
    assert run.requested_by == manager.user
    page = manager.get(response["Location"])
    assert [d.code for d in page.context["departments"]] == list(
        run.departments.values_list("code", flat=True)
    )
    assert len(page.context["officials"]) == 6
    history = manager.get(url("2025-H1/")).content.decode()
    assert 'id="run-1"' in history


def test_compute_while_a_run_is_computing_says_so_and_queues_nothing(role_client, city):
    computing_run(city, trigger=RankingRun.Trigger.NIGHTLY)

    response = role_client(MANAGER).post(url("2025-H1/compute/"), follow=True, **EN)

    assert response.redirect_chain == [(url("2025-H1/"), 302)]
    assert "Run #1 of 2025-H1 is still being computed" in response.content.decode()
    assert RankingRun.objects.count() == 1


def test_a_run_with_nothing_to_rank_fails_with_its_reason_and_no_server_error(
    role_client, db, django_capture_on_commit_callbacks
):
    services.period_create(code="2024-H1")
    manager = role_client(MANAGER)
    with django_capture_on_commit_callbacks(execute=True):
        response = manager.post(url("2024-H1/compute/"))

    assert response.status_code == 302
    run = RankingRun.objects.get()
    assert run.status == RankingRun.Status.FAILED
    page = manager.get(response["Location"])
    assert page.status_code == 200
    assert run.error in page.content.decode()
    assert "publish-form" not in page.content.decode()


def test_a_computing_run_shows_its_progress_and_polls_until_it_is_done(role_client, city):
    run = computing_run(city, trigger=RankingRun.Trigger.NIGHTLY, progress=40, stage="computing")
    manager = role_client(MANAGER)

    for path in ("2025-H1/", "2025-H1/runs/1/"):
        page = manager.get(url(path)).content.decode()
        assert 'value="40"' in page
        assert f'hx-get="{url("2025-H1/runs/1/progress/")}"' in page
        assert "vendor/htmx.min.js" in page
        assert 'http-equiv="refresh"' in page  # without JavaScript
    fragment = manager.get(url("2025-H1/runs/1/progress/"))
    assert "HX-Refresh" not in fragment
    assert 'hx-trigger="every 2s"' in fragment.content.decode()

    services.run_fail(run, "stopped")
    fragment = manager.get(url("2025-H1/runs/1/progress/"))
    assert fragment["HX-Refresh"] == "true"
    assert "hx-get" not in fragment.content.decode()
    assert "hx-get" not in manager.get(url("2025-H1/runs/1/")).content.decode()
