"""Number formats of the happy-call dashboard: a rate as a percentage, a mean with one
decimal; a missing figure (nothing to divide by) as a dash."""

from django import template

from surveys import charts

register = template.Library()


@register.filter
def pct(value: float | None) -> str:
    return charts.percent(value)


@register.filter
def mean(value: float | None) -> str:
    return charts.plain(value)
