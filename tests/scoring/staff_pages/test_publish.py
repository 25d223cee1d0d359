"""Publishing a run."""

from __future__ import annotations

from scoring import services
from scoring.models import RankingRun
from tests.scoring.staff_pages.helpers import EN, MANAGER, computed, computing_run, url


def test_a_manager_publishes_a_computed_run(role_client, run):
    manager = role_client(MANAGER)

    response = manager.post(url("2025-H1/runs/1/publish/"), {"confirm": "on"})

    assert response.status_code == 302
    assert response["Location"] == url("2025-H1/runs/1/")
    run.refresh_from_db()
    assert run.status == RankingRun.Status.PUBLISHED
    assert run.published_by == manager.user
    assert run.period.published_run() == run


def test_publishing_needs_the_confirmation(role_client, run):
    response = role_client(MANAGER).post(url("2025-H1/runs/1/publish/"), {})

    assert response.status_code == 400
    assert "confirm" in response.context["form"].errors
    run.refresh_from_db()
    assert run.status == RankingRun.Status.COMPLETED


def test_publishing_a_newer_run_warns_and_supersedes_the_publication(role_client, run):
    manager = role_client(MANAGER)
    manager.post(url("2025-H1/runs/1/publish/"), {"confirm": "on"})
    computed(run.period)

    page = manager.get(url("2025-H1/runs/2/"))
    assert 'id="publish-form"' in page.content.decode()
    assert page.context["published"] == run

    manager.post(url("2025-H1/runs/2/publish/"), {"confirm": "on"})

    assert dict(RankingRun.objects.values_list("number", "status")) == {
        1: "superseded",
        2: "published",
    }


def publish_refused(client, number: int) -> str:
    response = client.post(
        url(f"2025-H1/runs/{number}/publish/"), {"confirm": "on"}, follow=True, **EN
    )
    assert response.redirect_chain == [(url(f"2025-H1/runs/{number}/"), 302)]
    return response.content.decode()


def test_publishing_twice_is_refused_with_a_message(role_client, run):
    manager = role_client(MANAGER)
    manager.post(url("2025-H1/runs/1/publish/"), {"confirm": "on"})

    assert "Run #1 is published already." in publish_refused(manager, 1)


def test_a_run_still_computing_cannot_be_published(role_client, city):
    computing_run(city)

    assert "Run #1 is still being computed." in publish_refused(role_client(MANAGER), 1)
    assert RankingRun.objects.get().status == RankingRun.Status.RUNNING


def test_a_failed_run_cannot_be_published(role_client, city):
    run = services.run_request(period=city, trigger=RankingRun.Trigger.MANAGER, send=False)
    services.run_fail(run, "stopped")

    assert "Run #1 failed; it cannot be published." in publish_refused(role_client(MANAGER), 1)


def test_a_superseded_run_cannot_be_published_again(role_client, run, make_user):
    manager = role_client(MANAGER)
    services.run_publish(run=run, user=manager.user)
    services.run_publish(run=computed(run.period), user=manager.user)

    assert "Run #1 was published and has been superseded" in publish_refused(manager, 1)
    assert RankingRun.objects.get(number=2).status == RankingRun.Status.PUBLISHED


def test_an_older_run_cannot_be_published_after_a_newer_one(role_client, run):
    manager = role_client(MANAGER)
    services.run_publish(run=computed(run.period), user=manager.user)

    page = manager.get(url("2025-H1/runs/1/")).content.decode()
    assert "publish-form" not in page
    assert "Run #2, newer than #1, is published already." in publish_refused(manager, 1)
    run.refresh_from_db()
    assert run.status == RankingRun.Status.COMPLETED
