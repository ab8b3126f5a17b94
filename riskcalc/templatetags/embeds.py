"""``{% oembed_link %}``: the oEmbed discovery link for a calculator page's <head>.

Renders nothing on pages that are not embeddable calculators, so it is safe in any template.
"""

from __future__ import annotations

from django import template
from django.utils.html import format_html
from django.utils.safestring import SafeString

from riskcalc.views.widgets import oembed_discovery

register = template.Library()


@register.simple_tag(takes_context=True)
def oembed_link(context: template.Context) -> SafeString | str:
    request = context.get("request")
    found = oembed_discovery(request) if request is not None else None
    if found is None:
        return ""
    url, title = found
    return format_html(
        '<link rel="alternate" type="application/json+oembed" href="{}" title="{}">', url, title
    )
