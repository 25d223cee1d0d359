"""The sample city's rank intervals: the same on SQLite and PostgreSQL (the seed and the
draws depend on the tallies alone, never on database ids or row order), and wider for
departments with fewer responses. The expected intervals were computed once and stored;
CI runs this module on both databases."""

from __future__ import annotations

import json
from pathlib import Path

import pytest

from scoring.models import RankingRun
from tests.scoring.test_sample_city import DATA, IMPORTS, command

EXPECTED = Path(__file__).parent / "expected-intervals-2025-H1.json"


def intervals_of(run: RankingRun) -> dict:
    return {
        "seed": run.tallies.seed,
        "replicates": run.tallies.replicates,
        "departments": {
            code: [low, high]
            for code, low, high in run.departments.order_by("code").values_list(
                "code", "rank_low", "rank_high"
            )
        },
        "officials": {
            number: [low, high]
            for number, low, high in run.officials.filter(rank__isnull=False)
            .order_by("employee_no")
            .values_list("employee_no", "rank_low", "rank_high")
        },
    }


@pytest.mark.django_db
def test_the_sample_city_has_the_same_intervals_on_any_database():
    for name, file in IMPORTS:
        command(name, str(DATA / file))
    command("create_period", "2025-H1")
    command("compute_rankings", "2025-H1", "--sync")
    run = RankingRun.objects.get(period__code="2025-H1")
    assert intervals_of(run) == json.loads(EXPECTED.read_text(encoding="utf-8"))

    # Departments with fewer responses have wider intervals on average.
    rows = list(run.departments.all())
    responses = {r.code: r.v_n + r.t_n + r.h_n for r in rows}
    middle = sorted(responses.values())[len(rows) // 2]
    width = {r.code: r.rank_high - r.rank_low for r in rows}
    small = [width[c] for c, n in responses.items() if n < middle]
    large = [width[c] for c, n in responses.items() if n >= middle]
    assert sum(small) / len(small) > sum(large) / len(large)
    # Every ranked row has an interval, every unranked official none.
    assert not run.officials.filter(rank__isnull=True, rank_low__isnull=False).exists()
    assert not run.officials.filter(rank__isnull=False, rank_low__isnull=True).exists()
