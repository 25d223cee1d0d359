"""{% page_query param number %}: the current address's query with the page parameter
`param` set to `number`, every other parameter kept ({% querystring %} for a parameter
named by a variable: a page with two paginated lists gives each its own)."""

from __future__ import annotations

from django import template
from django.template.defaulttags import querystring

register = template.Library()


@register.simple_tag(takes_context=True)
def page_query(context, param: str, number: int) -> str:
    return querystring(context, **{param: number})
