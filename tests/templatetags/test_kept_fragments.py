"""{% keep_rendered %} renders its block once per language and values, then serves it kept
(riskcalc/templatetags/kept_fragments.py)."""

from __future__ import annotations

from django.template import engines
from django.utils import translation

from riskcalc.templatetags.kept_fragments import MAX_KEPT

BLOCK = "{% load i18n kept_fragments %}{% keep_rendered label %}{{ label }} {{ renders.count }} {% translate 'Result' %}{% endkeep_rendered %}"


class Renders:
    """Counts how often the block's body was rendered (the template reads ``count``)."""

    def __init__(self) -> None:
        self.times = 0

    @property
    def count(self) -> int:
        self.times += 1
        return self.times


def test_the_block_is_rendered_once_for_the_same_language_and_values() -> None:
    template = engines["django"].from_string(BLOCK)
    renders = Renders()

    first = template.render({"label": "maths", "renders": renders})
    again = template.render({"label": "maths", "renders": renders})

    assert first == again == "maths 1 Result"
    assert renders.times == 1


def test_another_value_or_language_renders_the_block_again() -> None:
    template = engines["django"].from_string(BLOCK)
    renders = Renders()

    template.render({"label": "maths", "renders": renders})
    other_label = template.render({"label": "charts", "renders": renders})
    with translation.override("es"):
        spanish = template.render({"label": "maths", "renders": renders})

    assert other_label == "charts 2 Result"
    assert spanish == "maths 3 Resultado"


def test_each_tag_keeps_a_bounded_number_of_blocks() -> None:
    template = engines["django"].from_string(BLOCK)
    renders = Renders()

    for number in range(MAX_KEPT + 10):
        template.render({"label": number, "renders": renders})
    template.render({"label": 0, "renders": renders})  # dropped first, so rendered again

    assert renders.times == MAX_KEPT + 11
