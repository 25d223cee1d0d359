"""The run page: the review against the publication."""

from __future__ import annotations

import datetime

from django.utils import timezone

from scoring import services
from scoring.views.staff import runs as run_views
from tests.scoring.staff_pages.helpers import (
    AUDITOR,
    MANAGER,
    MORE_VISITS,
    ROSTER,
    computed,
    import_file,
    url,
)


def test_the_review_says_when_there_is_no_publication_to_compare_with(role_client, run):
    response = role_client(MANAGER).get(url("2025-H1/runs/1/"))

    assert response.context["baseline"] is None
    page = response.content.decode()
    assert 'id="no-baseline"' in page
    assert "<mark>" not in page
    assert [d.rank for d in response.context["departments"]] == list(
        run.departments.values_list("rank", flat=True)
    )


def test_the_review_shows_the_rules_the_fingerprint_and_the_why_links(role_client, run):
    response = role_client(AUDITOR).get(url("2025-H1/runs/1/"))

    page = response.content.decode()
    rules = dict((str(label), value) for label, value in response.context["rules"])
    assert len(rules) == len(run.rules) - 2  # all but the version and name
    assert "0.4" in rules.values()  # the weight of T, as stored with the run
    tables = {row["label"]: row["rows"] for row in response.context["fingerprint"]}
    assert list(tables.values()) == [
        run.fingerprint[name]["rows"]
        for name in (
            "visit_surveys",
            "phone_surveys",
            "happy_calls",
            "reports",
            "officials",
            "departments",
        )
    ]
    assert tables and 6 in tables.values()  # six visitor surveys, six officials
    # The latest change is a moment in the city's time, not the stored ISO text in UTC.
    stored = run.fingerprint["visit_surveys"]["changed"]
    assert stored not in page
    shown = timezone.localtime(datetime.datetime.fromisoformat(stored))
    assert shown.strftime("%Y-%m-%d %H:%M:%S") in page
    first = response.context["departments"][0]
    assert f'href="/rankings/2025-H1/departments/{first.code}/?run=1"' in page
    assert 'href="/rankings/2025-H1/officials/S00001/?run=1"' in page


def test_the_review_highlights_what_changed_since_the_publication(role_client, run, tmp_path):
    manager = role_client(MANAGER)
    services.run_publish(run=run, user=manager.user)
    before = {d.code: d for d in run.departments.all()}
    assert before["S03"].rank == 3

    import_file(tmp_path, "import_visit_surveys", MORE_VISITS)
    second = computed(run.period)
    response = manager.get(url("2025-H1/runs/2/"))

    assert response.context["baseline"] == run
    rows = {d.code: d for d in response.context["departments"]}
    s03 = rows["S03"]
    assert s03.rank < before["S03"].rank
    assert s03.change.rank_move == before["S03"].rank - s03.rank
    assert s03.change.score_delta == s03.score - before["S03"].score > 0
    summary = response.context["department_diff"]
    assert summary["rank"] >= 2 and summary["new"] == 0 and summary["missing"] == []
    page = response.content.decode()
    assert f'<mark class="rank-move"><strong>{s03.change.text}</strong></mark>' in page

    # The review lists the changed rows only, rank moves first, biggest first; every row
    # on request.
    listed = response.context["departments"]
    assert all(d.change.changed for d in listed)
    kinds = [d.change.kind for d in listed]
    assert kinds == sorted(kinds, key=lambda k: k != "rank")
    moves = [abs(d.change.rank_move or 0) for d in listed if d.change.kind == "rank"]
    assert moves == sorted(moves, reverse=True)
    deltas = [abs(d.change.score_delta) for d in listed if d.change.kind == "score"]
    assert deltas == sorted(deltas, reverse=True)
    for d in listed:
        if d.change.kind == "score":
            assert f'<span class="score-change">{d.change.text}</span>' in page
    unchanged = run.departments.count() - len(listed)
    assert 'href="?show=all"' in page
    every = manager.get(url("2025-H1/runs/2/?show=all"))
    assert [d.code for d in every.context["departments"]] == list(
        second.departments.order_by("position").values_list("code", flat=True)
    )
    assert every.content.decode().count("unchanged") >= unchanged

    # Once published, run 2 is compared with the publication it replaced, and the
    # superseded run 1 with the current publication.
    services.run_publish(run=second, user=manager.user)
    assert manager.get(url("2025-H1/runs/2/")).context["baseline"] == run
    assert manager.get(url("2025-H1/runs/1/")).context["baseline"] == second


def test_a_new_official_is_marked_new_and_one_no_longer_listed_is_named(
    role_client, city, tmp_path
):
    header = ROSTER.splitlines()[0]
    import_file(
        tmp_path,
        "import_roster",
        f"{header}\nS00007,문새봄,경제국,S03,경제과,경제1팀,주무관,regular,052-000-0007,Y\n",
    )
    manager = role_client(MANAGER)
    services.run_publish(run=computed(city), user=manager.user)
    # S00007 leaves (no data in the period, so no row); S00008 joins.
    import_file(
        tmp_path,
        "import_roster",
        f"{header}\nS00007,문새봄,경제국,S03,경제과,경제1팀,주무관,regular,052-000-0007,N\n"
        "S00008,윤하늘,시민국,S01,민원과,민원1팀,주무관,regular,052-000-0008,Y\n",
    )
    computed(city)

    response = manager.get(url("2025-H1/runs/2/"))

    officials = {o.employee_no: o for o in response.context["officials"]}
    assert officials["S00008"].change.new is True
    assert "S00007" not in officials
    summary = response.context["official_diff"]
    assert summary["new"] == 1
    assert [o.employee_no for o in summary["missing"]] == ["S00007"]
    assert "(S00007)" in response.content.decode()


def test_the_review_pages_the_officials(role_client, run, monkeypatch):
    monkeypatch.setattr(run_views, "REVIEW_OFFICIALS_PER_PAGE", 4)
    manager = role_client(MANAGER)
    everyone = list(run.officials.order_by("position").values_list("employee_no", flat=True))
    assert len(everyone) > 4
    first = manager.get(url("2025-H1/runs/1/"))
    assert [o.employee_no for o in first.context["officials"]] == everyone[:4]
    page = first.content.decode()
    assert 'id="official-pages"' in page and 'href="?page=2#officials-heading"' in page
    second = manager.get(url("2025-H1/runs/1/?page=2"))
    assert [o.employee_no for o in second.context["officials"]] == everyone[4:8]
    # A page number that is not one shows the first page, never an error.
    assert manager.get(url("2025-H1/runs/1/?page=x")).status_code == 200


def test_the_first_publication_says_there_is_nothing_earlier(role_client, run):
    manager = role_client(MANAGER)
    services.run_publish(run=run, user=manager.user)

    response = manager.get(url("2025-H1/runs/1/"))

    assert response.context["baseline"] is None
    assert 'id="no-baseline"' in response.content.decode()
