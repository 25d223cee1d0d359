"""Server-rendered SVG charts of the rankings pages: a bar per department and the trend of
each department across periods as small multiples (STYLE.md: charts as SVG beside a text
table). Every text reaching the markup is escaped by format_html; the figures are in the
ranking and trend tables of the page, which the charts' descriptions point to."""

from __future__ import annotations

import math
from collections.abc import Sequence
from dataclasses import dataclass
from decimal import Decimal

from django.utils.html import format_html
from django.utils.safestring import SafeString, mark_safe
from django.utils.translation import gettext as _

from scoring import funnel
from scoring.models import DepartmentScore, RankingRun
from scoring.selectors.tables import Trend
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


# --- funnel plots (SPEC section 5, "How sure a rank is") ---------------------------------


@dataclass(frozen=True)
class FunnelPoint:
    code: str
    name: str
    n: int
    mean: float
    flag: str | None
    low: float  # the 99.8 % limits at this department's n
    high: float


@dataclass(frozen=True)
class Funnel:
    key: str
    label: str
    pool: funnel.Pool
    points: list[FunnelPoint]
    chart: SafeString


def _funnel_labels() -> dict[str, str]:
    return {
        "v": _("Visitor reception (V)"),
        "t": _("Telephone manners (T)"),
        "h": _("Happy-call satisfaction (H)"),
    }


def funnels(run: RankingRun) -> list[Funnel]:
    """A funnel plot per department component the run has a city pool for (runs computed
    before the pools were stored have none): each department's raw mean against its n,
    with the city mean and its 95 % and 99.8 % limits."""
    rows = list(
        DepartmentScore.objects.filter(run=run)
        .order_by("position")
        .values_list("code", "name", "breakdown")
    )
    out = []
    for key, label in _funnel_labels().items():
        pool = funnel.pool_of_json((run.city or {}).get(key))
        if pool.mean is None:
            continue
        points = []
        for code, name, breakdown in rows:
            c = (breakdown or {}).get("components", {}).get(key) or {}
            if not c.get("n"):
                continue
            low, high = funnel.limits(pool, c["n"], funnel.Z_998)
            points.append(FunnelPoint(code, name, c["n"], c["mean"], c.get("flag"), low, high))
        chart = funnel_plot(points, pool, chart_id=f"funnel-{key}", title=label)
        out.append(Funnel(key, label, pool, points, chart))
    return out


def funnel_plot(points: list[FunnelPoint], pool: funnel.Pool, *, chart_id: str, title: str):
    """Raw mean (0-100, upwards) against the number of responses (rightwards); the city
    mean as a line, the 95 % limits dashed and the 99.8 % limits solid. A department
    clearly above is a triangle pointing up, clearly below one pointing down (shape, not
    colour alone)."""
    width, height, left, right, top, bottom = 480, 260, 40, 12, 12, 34
    plot_w, plot_h = width - left - right, height - top - bottom
    n_max = max([p.n for p in points] + [10])

    def x(n: float) -> float:
        return left + plot_w * n / n_max

    def y(value: float) -> float:
        return top + plot_h * (1 - max(0.0, min(100.0, value)) / 100)

    description = _(
        "Each department's mean against its number of responses, with the city mean "
        "%(mean)s and the limits within which 95 and 99.8 of 100 departments would fall "
        "by chance alone. The table beside it gives the same figures."
    ) % {"mean": f"{float(pool.mean):.2f}"}
    parts = [_svg_open(chart_id, title, description, width, height)]
    for tick in (0, 25, 50, 75, 100):
        parts.append(
            format_html(
                '<line x1="{l}" x2="{r}" y1="{y}" y2="{y}" class="chart-grid"></line>'
                '<text x="{tx}" y="{ty}" class="chart-axis" text-anchor="end">{t}</text>',
                l=left,
                r=left + plot_w,
                y=_number(y(tick)),
                tx=left - 4,
                ty=_number(y(tick) + 4),
                t=tick,
            )
        )
    parts.append(
        format_html(
            '<text x="{}" y="{}" class="chart-axis" text-anchor="end">{}</text>'
            '<text x="{}" y="{}" class="chart-axis">0</text>',
            left + plot_w,
            height - 4,
            _("responses (n): %(n)s") % {"n": n_max},
            left,
            height - 4,
        )
    )
    steps = [n_max * (i / 60) ** 2 for i in range(1, 61)]  # denser where the funnel is wide
    steps = [n for n in steps if n >= 1] or [1]
    for z, dash in ((funnel.Z_95, "6 4"), (funnel.Z_998, "none")):
        for side in (0, 1):
            line = " ".join(
                f"{_number(x(n))},{_number(y(funnel.limits(pool, n, z)[side]))}" for n in steps
            )
            parts.append(
                format_html(
                    '<polyline points="{}" fill="none" stroke="{}" stroke-width="1.5" '
                    'stroke-dasharray="{}"></polyline>',
                    line,
                    _COLOURS[1],
                    dash,
                )
            )
    parts.append(
        format_html(
            '<line x1="{}" x2="{}" y1="{y}" y2="{y}" stroke="{}" stroke-width="1.5"></line>',
            left,
            left + plot_w,
            _COLOURS[0],
            y=_number(y(float(pool.mean))),
        )
    )
    for p in points:
        cx, cy = x(p.n), y(p.mean)
        if p.flag in (funnel.ABOVE, funnel.BELOW):
            tip = -6 if p.flag == funnel.ABOVE else 6
            shape = format_html(
                '<polygon points="{},{} {},{} {},{}" fill="{}"></polygon>',
                _number(cx),
                _number(cy + tip),
                _number(cx - 5),
                _number(cy - tip * 0.6),
                _number(cx + 5),
                _number(cy - tip * 0.6),
                _COLOURS[2] if p.flag == funnel.ABOVE else _COLOURS[3],
            )
        else:
            shape = format_html(
                '<circle cx="{}" cy="{}" r="3" fill="{}"></circle>',
                _number(cx),
                _number(cy),
                _COLOURS[0],
            )
        parts.append(shape)
    parts.append(mark_safe("</svg>"))  # noqa: S308 - a constant
    return mark_safe("".join(str(p) for p in parts))  # noqa: S308 - parts are escaped above
