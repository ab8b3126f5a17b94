"""The calculator forms' field markup, written in Python (riskcalc/field_html.py), against
django-crispy-forms' own rendering of the same bound field: the same elements, attributes
and text, for every field of every calculator, empty, filled with its worked example and
with errors."""

from __future__ import annotations

from html.parser import HTMLParser

import pytest
from django.template import Context, Template

from riskcalc.calculators import CALCULATORS, Calculator
from riskcalc.field_html import render_field

CRISPY = Template("{% load crispy_forms_tags %}{{ field|as_crispy_field }}")


class Tokens(HTMLParser):
    """Start tags with their attributes (classes as a set) and the text, whitespace-free."""

    def __init__(self) -> None:
        super().__init__(convert_charrefs=True)
        self.tokens: list[object] = []

    def handle_starttag(self, tag: str, attrs: list[tuple[str, str | None]]) -> None:
        named = {
            name: frozenset((value or "").split()) if name == "class" else value
            for name, value in attrs
        }
        self.tokens.append((tag, tuple(sorted(named.items(), key=lambda item: item[0]))))

    def handle_endtag(self, tag: str) -> None:
        self.tokens.append(f"/{tag}")

    def handle_data(self, data: str) -> None:
        text = " ".join(data.split())
        if text:
            self.tokens.append(text)


def tokens(html: str) -> list[object]:
    parser = Tokens()
    parser.feed(html)
    return parser.tokens


def forms(calculator: Calculator) -> list[object]:
    bad = dict.fromkeys(calculator.form.base_fields, "-1x")
    made = [calculator.form(), calculator.form(dict(calculator.example)), calculator.form(bad)]
    for form in made[1:]:
        form.is_valid()
    return made


@pytest.mark.parametrize("calculator", CALCULATORS.values(), ids=CALCULATORS)
def test_every_field_renders_as_crispy_renders_it(calculator: Calculator) -> None:
    for form in forms(calculator):
        for name in form.fields:
            ours = render_field(form[name])
            theirs = CRISPY.render(Context({"field": form[name]}))
            assert tokens(ours) == tokens(theirs), (calculator.slug, name, form.is_bound)


def test_a_field_with_errors_is_marked_invalid_and_described_by_them() -> None:
    form = CALCULATORS["liquidation"].form({"entry_price": "-1"})
    form.is_valid()
    html = render_field(form["entry_price"])
    assert 'aria-invalid="true"' in html and "is-invalid" in html
    assert 'aria-describedby="id_entry_price_helptext id_entry_price_error"' in html
    assert '<div id="id_entry_price_error" class="invalid-feedback">' in html
