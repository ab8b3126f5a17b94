"""``{% keep_rendered a b %}…{% endkeep_rendered %}``: a block of a template rendered once per
language and values of ``a``, ``b``, … and kept in this process's memory.

For the parts of a calculator result that are the same for every input (the notice under it,
the text of its deferred block): rendering them cost each typing partial about 0.1 ms of
Django's node-by-node work, a twentieth of its time, to write the same HTML again. The block
must depend on nothing but the active language and the values named in the tag; anything
added inside that depends on the inputs must be named there too. Django's own ``{% cache %}``
does the same through a cache backend, whose key hashing, key checks and pickling cost about
as much as rendering these small blocks.

Each tag keeps its own blocks, at most :data:`MAX_KEPT` (least recently used dropped first),
so a value that does vary per request costs memory only up to that bound.

>>> from django.template import engines
>>> template = engines["django"].from_string(
...     "{% load kept_fragments %}{% keep_rendered label %}<p>{{ label }}</p>{% endkeep_rendered %}"
... )
>>> template.render({"label": "the maths"}), template.render({"label": "the charts"})
('<p>the maths</p>', '<p>the charts</p>')
"""

from __future__ import annotations

import threading
from collections import OrderedDict
from typing import Any

from django import template
from django.template.base import FilterExpression, NodeList, Parser, Token
from django.utils.safestring import SafeString, mark_safe
from django.utils.translation import get_language

register = template.Library()

MAX_KEPT = 64
"""At most this many kept blocks per tag (one per calculator and language in use)."""


class KeepRenderedNode(template.Node):
    def __init__(self, nodelist: NodeList, keys: list[FilterExpression]) -> None:
        self.nodelist = nodelist
        self.keys = keys
        self.kept: OrderedDict[tuple[Any, ...], SafeString] = OrderedDict()
        self.lock = threading.Lock()  # a threaded server may render one template at once twice

    def render(self, context: template.Context) -> SafeString:
        kept = self.kept
        key = (get_language(), *(k.resolve(context) for k in self.keys))
        with self.lock:
            html = kept.get(key)
            if html is not None:
                kept.move_to_end(key)
                return html
        html = mark_safe(self.nodelist.render(context))  # rendered (and escaped) by the template
        with self.lock:
            kept[key] = html
            if len(kept) > MAX_KEPT:
                kept.popitem(last=False)
        return html


@register.tag
def keep_rendered(parser: Parser, token: Token) -> KeepRenderedNode:
    keys = [parser.compile_filter(bit) for bit in token.split_contents()[1:]]
    nodelist = parser.parse(("endkeep_rendered",))
    parser.delete_first_token()
    return KeepRenderedNode(nodelist, keys)
