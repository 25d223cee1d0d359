"""{% kept "name" value ... %} ... {% endkept %}: a part of a page rendered once per web
process for each language and combination of the values after its name, then kept
(kindness.fragments).

For parts that are the same for every visitor given those values: the site header for a
language and whether someone is logged in, the home page's text in a language. Never around
anything that differs per request beyond them (a CSRF token, the address, a user's name).
"""

from __future__ import annotations

from django import template
from django.utils.translation import get_language

from kindness.fragments import FragmentCache

register = template.Library()

KEPT = FragmentCache("kept")


class KeptNode(template.Node):
    def __init__(self, nodelist: template.NodeList, name: str, vary_on: list):
        self.nodelist = nodelist
        self.name = name
        self.vary_on = vary_on

    def render(self, context) -> str:
        # The template and the language always: names need only be unique in a template,
        # and every kept part has translated text.
        origin = getattr(self, "origin", None)
        template_name = origin.template_name if origin else None
        values = (value.resolve(context) for value in self.vary_on)
        key = (template_name, self.name, get_language(), *values)
        return KEPT.get_or_render(key, lambda: self.nodelist.render(context))


@register.tag
def kept(parser, token) -> KeptNode:
    bits = token.split_contents()
    if len(bits) < 2 or bits[1][0] not in "\"'" or bits[1][0] != bits[1][-1]:
        raise template.TemplateSyntaxError(
            f"'{bits[0]}' takes a quoted name, then the values the part varies on"
        )
    nodelist = parser.parse(("endkept",))
    parser.delete_first_token()
    return KeptNode(nodelist, bits[1][1:-1], [parser.compile_filter(b) for b in bits[2:]])
