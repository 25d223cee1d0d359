"""Small server-rendered SVG charts (STYLE.md: "charts as server-rendered SVG with a text
table beside them for screen readers").

Each helper returns safe markup: the SVG (role="img", named by its <title> and described by
its <desc> through aria-labelledby) and, next to it, a table with the same figures. Every
text that reaches the markup is escaped here; callers pass plain strings and numbers.
"""

from __future__ import annotations

from collections.abc import Callable, Sequence
from dataclasses import dataclass

from django.utils.html import format_html, format_html_join
from django.utils.safestring import SafeString, mark_safe
from django.utils.translation import gettext as _

Formatter = Callable[[float | None], str]

# Colours with at least 3:1 contrast on white (WCAG 1.4.11); series also differ in dash
# pattern and marker shape, so colour is never the only cue.
_COLOURS = ("#0b5394", "#8a5a00", "#1e6b34", "#a4161a")
_DASHES = ("none", "6 4", "2 3", "10 3 2 3")


def plain(value: float | None) -> str:
    """One decimal; a dash for a figure that cannot be computed (nothing to divide by)."""
    return "—" if value is None else f"{value:.1f}"


def percent(value: float | None) -> str:
    """A share (0..1) as a percentage with one decimal."""
    return "—" if value is None else f"{value * 100:.1f}%"


def percent_points(value: float | None) -> str:
    """A percentage already on 0..100."""
    return "—" if value is None else f"{value:.1f}%"


def two_decimals(value: float | None) -> str:
    return "—" if value is None else f"{value:.2f}"


def integer(value: float | None) -> str:
    return "—" if value is None else str(round(value))


@dataclass(frozen=True)
class Series:
    name: str
    values: Sequence[float | None]


def _number(value: float) -> str:
    """A coordinate for SVG: short, with a dot whatever the active locale."""
    return f"{value:.1f}".rstrip("0").rstrip(".")


def _svg_open(chart_id: str, title: str, description: str, width: int, height: int) -> SafeString:
    return format_html(
        '<svg class="chart" role="img" aria-labelledby="{id}-title {id}-desc" '
        'viewBox="0 0 {w} {h}" preserveAspectRatio="xMinYMin meet" '
        'xmlns="http://www.w3.org/2000/svg">'
        '<title id="{id}-title">{title}</title><desc id="{id}-desc">{desc}</desc>',
        id=chart_id,
        w=width,
        h=height,
        title=title,
        desc=description,
    )


def _table(
    chart_id: str,
    title: str,
    headers: Sequence[str],
    rows: Sequence[tuple[str, Sequence[str]]],
) -> SafeString:
    head = format_html_join("", '<th scope="col">{}</th>', ((h,) for h in headers))
    if rows:
        body = mark_safe(  # noqa: S308 - every part is built by format_html(_join) above
            "".join(
                format_html(
                    '<tr><th scope="row" class="name">{}</th>{}</tr>',
                    label,
                    format_html_join("", '<td class="num">{}</td>', ((c,) for c in cells)),
                )
                for label, cells in rows
            )
        )
    else:
        body = format_html(
            '<tr><td colspan="{}">{}</td></tr>', len(headers), _("No data for this period.")
        )
    return format_html(
        # A scroll area is a named region in the tab order, so it scrolls by keyboard too.
        '<div class="table-wrap chart-table" tabindex="0" role="region" '
        'aria-labelledby="{id}-caption"><table id="{id}-table">'
        '<caption id="{id}-caption">{title}</caption>'
        "<thead><tr>{head}</tr></thead><tbody>{body}</tbody></table></div>",
        id=chart_id,
        title=title,
        head=head,
        body=body,
    )


def _figure(svg: SafeString, table: SafeString) -> SafeString:
    return format_html('<div class="chart-block">{}{}</div>', svg, table)


def _empty_note(x: float, y: float) -> SafeString:
    return format_html(
        '<text x="{}" y="{}" class="chart-empty">{}</text>',
        _number(x),
        _number(y),
        _("No data for this period."),
    )


def bar_chart(
    *,
    chart_id: str,
    title: str,
    category: str,
    measure: str,
    bars: Sequence[tuple[str, float | None]],
    max_value: float,
    fmt: Formatter = plain,
    extra_columns: Sequence[tuple[str, Sequence[str]]] = (),
) -> SafeString:
    """Horizontal bars, each under its label (long Korean labels fit a 360 px screen), and
    the table of `category`, `measure` and any `extra_columns` (header, one cell per bar)."""
    width, label_h, bar_h, gap = 440, 22, 20, 12
    row_h = label_h + bar_h + gap
    height = max(row_h * len(bars), 40) + 8
    plot_w = width - 80  # room for the value after the longest bar
    parts = [_svg_open(chart_id, title, _describe(title), width, height)]
    if not bars:
        parts.append(_empty_note(0, 24))
    for i, (label, value) in enumerate(bars):
        top = i * row_h + 4
        parts.append(
            format_html(
                '<text x="0" y="{}" class="chart-label">{}</text>', _number(top + 16), label
            )
        )
        length = 0.0 if value is None or max_value <= 0 else max(0.0, min(value / max_value, 1.0))
        bar_top = top + label_h
        parts.append(
            format_html(
                '<rect x="0" y="{}" width="{}" height="{}" fill="{}"></rect>'
                '<text x="{}" y="{}" class="chart-value">{}</text>',
                _number(bar_top),
                _number(length * plot_w),
                bar_h,
                _COLOURS[0],
                _number(length * plot_w + 6),
                _number(bar_top + 15),
                fmt(value),
            )
        )
    parts.append(mark_safe("</svg>"))  # noqa: S308 - a constant
    headers = [category, measure, *(header for header, _cells in extra_columns)]
    rows = [
        (label, [fmt(value), *(cells[i] for _header, cells in extra_columns)])
        for i, (label, value) in enumerate(bars)
    ]
    svg = mark_safe("".join(str(p) for p in parts))  # noqa: S308 - parts are escaped above
    return _figure(svg, _table(chart_id, title, headers, rows))


def line_chart(
    *,
    chart_id: str,
    title: str,
    category: str,
    labels: Sequence[str],
    series: Sequence[Series],
    max_value: float = 100.0,
    ticks: Sequence[float] = (0, 25, 50, 75, 100),
    fmt: Formatter = plain,
    extra_columns: Sequence[tuple[str, Sequence[str]]] = (),
    positions: Sequence[float] | None = None,
) -> SafeString:
    """Lines over `labels` (a gap where a value is missing), a legend, and the table of
    `category`, one column per series and any `extra_columns`.

    `positions` places each label on the x axis in steps (a week = 1, ascending), so that
    time is drawn to scale: W48 and W50 stand two steps apart, and the lines break over
    the missing W49 instead of joining across it. Without it labels are one step apart."""
    width, height = 480, 300
    # The legend takes one line per series above the plot.
    left, right, top, bottom = 40, 16, 24 * len(series) + 16, 32
    plot_w, plot_h = width - left - right, height - top - bottom
    n = len(labels)
    steps = list(range(n)) if positions is None else list(positions)
    span = steps[-1] - steps[0] if n else 0

    def x(i: int) -> float:
        return left + (plot_w / 2 if n == 1 or span <= 0 else (steps[i] - steps[0]) * plot_w / span)

    def y(value: float) -> float:
        return top + plot_h - max(0.0, min(value / max_value, 1.0)) * plot_h

    parts = [_svg_open(chart_id, title, _describe(title), width, height)]
    for tick in ticks:
        parts.append(
            format_html(
                '<line x1="{l}" x2="{r}" y1="{y}" y2="{y}" class="chart-grid"></line>'
                '<text x="{tx}" y="{ty}" class="chart-axis" text-anchor="end">{t}</text>',
                l=left,
                r=width - right,
                y=_number(y(tick)),
                tx=left - 6,
                ty=_number(y(tick) + 4),
                t=_number(tick),
            )
        )
    # At most about eight x labels, so that they never overlap.
    step = max(1, -(-n // 5))
    for i, label in enumerate(labels):
        if i % step == 0 or i == n - 1:
            # The first and last labels are anchored inwards, so neither is cut off.
            anchor = "start" if i == 0 and n > 1 else "end" if i == n - 1 and n > 1 else "middle"
            parts.append(
                format_html(
                    '<text x="{}" y="{}" class="chart-axis" text-anchor="{}">{}</text>',
                    _number(x(i)),
                    height - bottom + 18,
                    anchor,
                    label,
                )
            )
    if not n:
        parts.append(_empty_note(left + 8, top + plot_h / 2))
    for s_index, s in enumerate(series):
        colour = _COLOURS[s_index % len(_COLOURS)]
        dash = _DASHES[s_index % len(_DASHES)]
        # Legend: one line per series, above the plot.
        ly = 14 + 24 * s_index
        parts.append(
            format_html(
                '<line x1="0" x2="28" y1="{ly}" y2="{ly}" stroke="{c}" stroke-width="3" '
                'stroke-dasharray="{d}"></line>{m}'
                '<text x="36" y="{ty}" class="chart-label">{name}</text>',
                ly=ly,
                c=colour,
                d=dash,
                m=_marker(s_index, 14, ly, colour),
                ty=ly + 5,
                name=s.name,
            )
        )
        run: list[str] = []
        segments: list[list[str]] = []
        for i, value in enumerate(s.values):
            if value is None or (i and steps[i] - steps[i - 1] > 1):
                # A missing value, or a missing step before this one: the line breaks.
                if run:
                    segments.append(run)
                run = []
            if value is None:
                continue
            run.append(f"{_number(x(i))},{_number(y(value))}")
            parts.append(_marker(s_index, x(i), y(value), colour))
        if run:
            segments.append(run)
        for points in segments:
            parts.append(
                format_html(
                    '<polyline points="{}" fill="none" stroke="{}" stroke-width="2.5" '
                    'stroke-dasharray="{}"></polyline>',
                    " ".join(points),
                    colour,
                    dash,
                )
            )
    parts.append(mark_safe("</svg>"))  # noqa: S308 - a constant
    headers = [category, *(s.name for s in series), *(h for h, _cells in extra_columns)]
    rows = [
        (
            label,
            [
                *(fmt(s.values[i]) for s in series),
                *(cells[i] for _h, cells in extra_columns),
            ],
        )
        for i, label in enumerate(labels)
    ]
    svg = mark_safe("".join(str(p) for p in parts))  # noqa: S308 - parts are escaped above
    return _figure(svg, _table(chart_id, title, headers, rows))


def _marker(index: int, cx: float, cy: float, colour: str) -> SafeString:
    """A circle for the first series, a square for the second, and so on."""
    if index % 2 == 0:
        return format_html(
            '<circle cx="{}" cy="{}" r="4" fill="{}"></circle>', _number(cx), _number(cy), colour
        )
    return format_html(
        '<rect x="{}" y="{}" width="8" height="8" fill="{}"></rect>',
        _number(cx - 4),
        _number(cy - 4),
        colour,
    )


def _describe(title: str) -> str:
    return _("%(title)s. The table next to the chart gives the same figures.") % {"title": title}
