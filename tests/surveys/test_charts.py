"""Server-rendered charts (surveys/charts.py): weeks drawn to scale (issue 15 item 10) and
every table a keyboard-scrollable, named region (item 9)."""

from __future__ import annotations

import datetime as dt
import re

import pytest

from surveys import charts
from surveys.selectors import CallRow
from surveys.views.dashboard import dashboard_charts


def xs_of_markers(svg: str) -> list[float]:
    """The x of each data point (the legend's marker, first, left out)."""
    return [float(x) for x in re.findall(r'<circle cx="([\d.]+)"', svg)][1:]


def polylines(svg: str) -> list[str]:
    return re.findall(r'<polyline points="([^"]+)"', svg)


def trend(positions=None) -> str:
    return charts.line_chart(
        chart_id="t",
        title="Trend",
        category="Week",
        labels=["2026-W48", "2026-W50", "2026-W51"],
        series=[charts.Series("Rate", [50.0, 60.0, 70.0])],
        positions=positions,
    )


def test_weeks_with_positions_are_spaced_by_their_real_distance():
    xs = xs_of_markers(trend(positions=[48, 50, 51]))

    assert len(xs) == 3
    assert xs[1] - xs[0] == pytest.approx(2 * (xs[2] - xs[1]), abs=0.2)


def test_a_missing_week_breaks_the_line_instead_of_joining_across_it():
    lines = polylines(trend(positions=[48, 50, 51]))

    assert len(lines) == 2
    assert len(lines[0].split()) == 1 and len(lines[1].split()) == 2


def test_without_positions_labels_stay_one_step_apart_and_joined():
    svg = trend()
    xs = xs_of_markers(svg)

    assert xs[1] - xs[0] == pytest.approx(xs[2] - xs[1], abs=0.2)
    assert len(polylines(svg)) == 1


def test_the_dashboard_trend_places_weeks_by_their_mondays():
    class Data:
        by_department: list = []
        backlog: list = []
        items: list = []

    weeks = []
    for monday in (dt.date(2026, 11, 23), dt.date(2026, 12, 7), dt.date(2026, 12, 14)):
        row = CallRow(key=monday, label=f"{monday.isocalendar()[0]}-W{monday.isocalendar()[1]}")
        row.complete, row.scored, row.score_total = 2, 2, 150.0
        weeks.append(row)
    Data.by_week = weeks

    svg = str(dashboard_charts(Data)["trend"])

    xs = xs_of_markers(svg)
    assert xs[1] - xs[0] == pytest.approx(2 * (xs[2] - xs[1]), abs=0.2)


def test_a_chart_table_is_a_named_keyboard_scrollable_region():
    html = str(trend())

    assert (
        '<div class="table-wrap chart-table" tabindex="0" role="region" '
        'aria-labelledby="t-caption">'
    ) in html
    assert '<caption id="t-caption">Trend</caption>' in html
