"""Server-rendered SVG charts of the rankings pages: a bar per department and the trend of
each department across periods as small multiples (STYLE.md: charts as SVG beside a text
table). Every text reaching the markup is escaped by format_html; the figures are in the
ranking and trend tables of the page, which the charts' descriptions point to."""

from __future__ import annotations

import math
from collections.abc import Sequence
from decimal import Decimal

from django.utils.html import format_html
from django.utils.safestring import SafeString, mark_safe
from django.utils.translation import gettext as _

from scoring.models import DepartmentScore
from scoring.selectors import Trend
from surveys.charts import _COLOURS, _number, _svg_open

LABEL_CHARS = 11  # longer names are shortened in the chart; the table has them in full


def _short(name: str) -> str:
    return name if len(name) <= LABEL_CHARS else name[: LABEL_CHARS - 1] + "…"


def _score(value: Decimal | None) -> str:
    return "—" if value is None else f"{value:.2f}"


def department_bars(rows: Sequence[DepartmentScore], *, chart_id: str, title: str) -> SafeString:
    """One horizontal bar per department on a 0-100 scale, in ranking order; departments
    marked for award are drawn in another colour and carry a star (never colour alone)."""
    width, label_w, value_w, row_h, top = 480, 170, 64, 26, 26
    plot_w = width - label_w - value_w
    height = top + row_h * max(len(rows), 1) + 6
    description = _(
        "%(title)s, on a scale of 0 to 100; a star marks a department marked for award. "
        "The ranking table gives the same figures."
    ) % {"title": title}
    parts = [_svg_open(chart_id, title, description, width, height)]
    for tick in (0, 25, 50, 75, 100):
        x = label_w + plot_w * tick / 100
        parts.append(
            format_html(
                '<line x1="{x}" x2="{x}" y1="{y1}" y2="{y2}" class="chart-grid"></line>'
                '<text x="{x}" y="16" class="chart-axis" text-anchor="middle">{t}</text>',
                x=_number(x),
                y1=top - 4,
                y2=height - 4,
                t=tick,
            )
        )
    for i, row in enumerate(rows):
        y = top + i * row_h
        length = max(0.0, min(float(row.score) / 100, 1.0)) * plot_w
        colour = _COLOURS[2] if row.award else _COLOURS[0]
        parts.append(
            format_html(
                '<text x="{lx}" y="{ty}" class="chart-label" text-anchor="end">{label}</text>'
                '<rect x="{bx}" y="{by}" width="{bw}" height="18" fill="{c}"></rect>'
                '<text x="{vx}" y="{ty}" class="chart-value">{value}</text>',
                lx=label_w - 6,
                ty=_number(y + 15),
                label=f"{row.rank}. {_short(row.name)}",
                bx=label_w,
                by=_number(y + 2),
                bw=_number(length),
                c=colour,
                vx=_number(label_w + length + 4),
                value=_score(row.score) + (" ★" if row.award else ""),
            )
        )
    parts.append(mark_safe("</svg>"))  # noqa: S308 - a constant
    return mark_safe("".join(str(p) for p in parts))  # noqa: S308 - parts are escaped above


def _scale(trend: Trend) -> tuple[int, int]:
    """One vertical scale for every small chart, so that they compare: the range of all the
    scores shown, widened to whole tens."""
    values = [float(v) for line in trend.lines for v in line.scores if v is not None]
    if not values:
        return 0, 100
    low = max(0, math.floor((min(values) - 2) / 10) * 10)
    high = min(100, math.ceil((max(values) + 2) / 10) * 10)
    return (low, high) if high > low else (0, 100)


def trend_multiples(trend: Trend, *, chart_id: str, current: str) -> SafeString:
    """A small line chart per department (periods left to right, the period shown marked),
    all on one scale. Each is an image named by its title, which reads out the scores."""
    low, high = _scale(trend)
    width, height, left, right, top, bottom = 220, 96, 8, 52, 26, 20
    plot_w, plot_h = width - left - right, height - top - bottom
    n = len(trend.periods)

    def x(i: int) -> float:
        return left + (plot_w / 2 if n == 1 else i * plot_w / (n - 1))

    def y(value: Decimal) -> float:
        return top + plot_h - (float(value) - low) / (high - low) * plot_h

    items = []
    for index, line in enumerate(trend.lines):
        svg_id = f"{chart_id}-{index}"
        spoken = ", ".join(
            f"{period} {_score(score) if score is not None else _('no published score')}"
            for period, score in zip(trend.periods, line.scores, strict=True)
        )
        parts = [
            _svg_open(
                svg_id,
                f"{line.name}: {spoken}",
                _("Score by period, on a scale of %(low)s to %(high)s.")
                % {"low": low, "high": high},
                width,
                height,
            )
        ]
        parts.append(
            format_html(
                '<text x="0" y="16" class="chart-label">{}</text>'
                '<line x1="{l}" x2="{r}" y1="{yb}" y2="{yb}" class="chart-grid"></line>'
                '<line x1="{l}" x2="{r}" y1="{yt}" y2="{yt}" class="chart-grid"></line>'
                '<text x="{tx}" y="{ytt}" class="chart-axis">{high}</text>'
                '<text x="{tx}" y="{ybt}" class="chart-axis">{low}</text>',
                _short(line.name),
                l=left,
                r=left + plot_w,
                yb=top + plot_h,
                yt=top,
                tx=left + plot_w + 6,
                ytt=top + 4,
                ybt=top + plot_h + 4,
                high=high,
                low=low,
            )
        )
        points = []
        for i, score in enumerate(line.scores):
            if score is None:
                if len(points) > 1:
                    parts.append(_polyline(points))
                points = []
                continue
            points.append(f"{_number(x(i))},{_number(y(score))}")
            is_current = trend.periods[i] == current
            parts.append(
                format_html(
                    '<circle cx="{}" cy="{}" r="{}" fill="{}"></circle>',
                    _number(x(i)),
                    _number(y(score)),
                    5 if is_current else 3.5,
                    _COLOURS[0],
                )
            )
            if is_current:
                parts.append(
                    format_html(
                        '<text x="{}" y="{}" class="chart-value" text-anchor="middle">{}</text>',
                        _number(min(max(x(i), left + 20), left + plot_w - 20)),
                        height - 4,
                        _score(score),
                    )
                )
        if len(points) > 1:
            parts.append(_polyline(points))
        parts.append(mark_safe("</svg>"))  # noqa: S308 - a constant
        items.append(format_html("<li>{}</li>", mark_safe("".join(str(p) for p in parts))))  # noqa: S308
    return format_html(
        '<ul class="trend-grid" id="{}">{}</ul>',
        chart_id,
        mark_safe("".join(items)),  # noqa: S308
    )


def _polyline(points: list[str]) -> SafeString:
    return format_html(
        '<polyline points="{}" fill="none" stroke="{}" stroke-width="2.5"></polyline>',
        " ".join(points),
        _COLOURS[0],
    )
