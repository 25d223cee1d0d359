"""`{{ row|rank_interval }}`: a rank with its interval, "3 (1-7)" (SPEC section 5, "How
sure a rank is"); a rank alone for runs computed before intervals existed."""

from django import template
from django.utils.html import format_html
from django.utils.translation import gettext as _

register = template.Library()


@register.filter
def rank_interval(row) -> str:
    if row.rank is None:
        return ""
    if row.rank_low is None:
        return format_html("{}", row.rank)
    return format_html(
        '{} <span class="rank-interval" title="{}">({}-{})</span>',
        row.rank,
        _("Ranks %(low)s to %(high)s in 90 of 100 resamplings")
        % {"low": row.rank_low, "high": row.rank_high},
        row.rank_low,
        row.rank_high,
    )
