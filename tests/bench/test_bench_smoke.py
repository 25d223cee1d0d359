"""Smoke test of the benchmark scripts at the tiny size: they run, write rows, produce a
completed run, and the floor's department scores equal the job's. No timing asserts."""

from __future__ import annotations

import pytest
from django.db import connection

from bench.generate import Refused, generate
from bench.ranking import bench


@pytest.mark.django_db
def test_generate_and_rank_tiny_city():
    lines: list[str] = []
    counts = generate("tiny", seed=1, out=lines.append)
    assert counts["kindness.Official"] == 200
    assert counts["kindness.Department"] == 20
    assert counts["surveys.HappyCall"] == counts["surveys.Petition"] > 0
    assert counts["surveys.VisitSurvey"] > 0 and counts["surveys.PhoneSurvey"] > 0
    assert counts["complaints.Report"] > 0
    assert lines

    with pytest.raises(Refused):
        generate("tiny", seed=1, out=lines.append)

    result = bench(trace=False, repeat=1, out=lines.append)
    run = result["run"]
    assert run.status == run.Status.COMPLETED, run.error
    assert result["rows"] > 0
    assert result["departments"] == result["floor_departments"] == 20
    assert result["mismatches"] == 0
    # The fair floor writes every department and official row the job writes, the same.
    assert result["fair_rows"] == (20, run.officials.count())
    assert result["fair_mismatches"] == 0
    # The rank intervals are timed apart from the job, in a column of their own.
    assert result["intervals_s"] == run.timings["intervals"] > 0
    assert lines[-2].split()[-12:] == [
        *("intervals", "s", "fair", "floor", "s", "fair", "ratio"),
        *("kept", "floor", "s", "kept", "ratio"),
    ]
    # The same floor into ordinary tables with the job's keys writes the same rows, after
    # the fair floor's columns, and leaves no table behind.
    assert result["kept_rows"] == result["fair_rows"]
    assert result["kept_floor_s"] > 0
    tables = connection.introspection.table_names()
    assert not [name for name in tables if name.startswith("bench_kept_")]
