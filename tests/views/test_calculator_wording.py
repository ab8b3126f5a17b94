"""Every calculator page and embed speaks a trader's words: the text a person reads (labels,
help, option text, errors, the result, the maths, chart titles) names no form field, has no
snake_case token, names an exchange as the exchange writes it (BitMEX, not the key
``bitmex``), writes trading abbreviations as traders do and never calls a currency "quote"
or "base"."""

from __future__ import annotations

import json
import re
from collections.abc import Iterator
from html.parser import HTMLParser
from typing import Any
from urllib.parse import urlencode

import pytest
from django.test import Client

from riskcalc.calc.adl import AdlMethod
from riskcalc.calc.profiles import list_profiles
from riskcalc.calculators import CALCULATORS

SNAKE_CASE = re.compile(r"\b[a-z][a-z0-9]*(?:_[a-z0-9]+)+\b")
QUOTE_OR_BASE = re.compile(r"\b(?:quote|base)\b", re.IGNORECASE)
ABBREVIATION = re.compile(r"\b(?:pnl|upnl|roe|adl|mmr|mm|im)\b", re.IGNORECASE)
RAW_EXCHANGE_KEY = re.compile(
    r"\b(?:"
    + "|".join(
        sorted(
            {p.name for p in list_profiles() if p.name != "generic"} | {m.value for m in AdlMethod},
            key=len,
            reverse=True,
        )
    )
    + r")\b"
)
"""An exchange's key as the code spells it (``bitmex``, ``okx``), case-sensitive: a person
reads BitMEX and OKX. ("generic" is left out: "the generic formula" is English.)"""
TRADERS_SPELLING = frozenset({"PnL", "UPNL", "ROE", "ADL", "MMR", "MM", "IM"})
READ_ATTRIBUTES = frozenset({"title", "aria-label", "placeholder", "alt", "aria-valuetext"})
CHART_TEXT_KEYS = frozenset({"text", "name", "hovertemplate"})

BAD_INPUT: dict[str, dict[str, str]] = {
    # A core error on a field, a cross-field error and an unknown choice, per calculator.
    "liquidation": {"side": "long", "entry_price": "100", "quantity": "1", "leverage": "10",
                    "position_margin": "5", "exchange": "ftx"},
    "position-size": {"side": "long", "account_balance": "1000", "risk_fraction": "0.01",
                      "entry_price": "100", "stop_price": "110"},
    "margin": {"quantity": "1", "price": "100", "maintenance_amount": "3"},
    "pnl": {"side": "long", "entry_price": "100", "quantity": "1"},
    "adl": {"side": "long", "entry_price": "100", "mark_price": "110", "quantity": "1"},
    "compare": {"asset": "DOGE", "side": "long", "entry_price": "100", "quantity": "1",
                "leverage": "10"},
}  # fmt: skip
"""Inputs that each calculator refuses with its own messages (beside the unparseable and
out-of-range values every field is also given)."""


class ReadText(HTMLParser):
    """The text of a page as a person reads it: visible text and option text, the attributes
    screen readers and tooltips read out, and the words in chart figures (titles, trace
    names, hover text); not scripts, styles, URLs or other attributes."""

    def __init__(self) -> None:
        super().__init__()
        self.parts: list[str] = []
        self._script: str | None = None

    def handle_starttag(self, tag: str, attrs: list[tuple[str, str | None]]) -> None:
        if tag in ("script", "style"):
            kind = dict(attrs).get("type")
            self._script = "json" if kind == "application/json" else "skip"
        self.parts.extend(v for k, v in attrs if k in READ_ATTRIBUTES and v)

    def handle_endtag(self, tag: str) -> None:
        if tag in ("script", "style"):
            self._script = None

    def handle_data(self, data: str) -> None:
        if self._script is None:
            self.parts.append(data)
        elif self._script == "json" and data.strip():
            self.parts.extend(_chart_words(json.loads(data)))


def _chart_words(value: Any) -> Iterator[str]:
    if isinstance(value, dict):
        for key, item in value.items():
            if key in CHART_TEXT_KEYS and isinstance(item, str):
                yield re.sub(r"%\{[^}]*\}|<[^>]+>", " ", item)
            else:
                yield from _chart_words(item)
    elif isinstance(value, list):
        for item in value:
            yield from _chart_words(item)


def read_text(html: str) -> str:
    parser = ReadText()
    parser.feed(html)
    return re.sub(r"\s+", " ", " ".join(parser.parts))


def _scalar_example(slug: str) -> dict[str, str]:
    example = CALCULATORS[slug].example
    return {k: str(v) for k, v in example.items() if not isinstance(v, list | dict)}


def queries(slug: str) -> dict[str, dict[str, str]]:
    """Every state a person can bring a calculator into: empty, the published example (with
    its result and maths), the example as an inverse contract, every field unparseable, every
    number out of range, and the calculator's own refusals."""
    example = _scalar_example(slug)
    form = CALCULATORS[slug].form()
    return {
        "empty": {},
        "example": example,
        "inverse": {**example, "contract": "inverse"} if "contract" in form.fields else example,
        "unparseable": dict.fromkeys(form.fields, "abc"),
        "out of range": {**example, **dict.fromkeys(example, "-1e30")},
        "refused": BAD_INPUT[slug],
    }


def offences(text: str, field_names: set[str]) -> list[str]:
    found = [f"field or snake_case name {m!r}" for m in sorted(set(SNAKE_CASE.findall(text)))]
    found += [f"field name {n!r}" for n in sorted(field_names) if "_" in n and n in text]
    for match in QUOTE_OR_BASE.finditer(text):
        found.append(
            f"{match.group(0)!r} as a unit: ...{text[max(0, match.start() - 40) : match.end() + 20]}..."
        )
    for match in RAW_EXCHANGE_KEY.finditer(text):
        found.append(
            f"exchange key {match.group(0)!r}: ...{text[max(0, match.start() - 30) : match.end() + 20]}..."
        )
    for match in ABBREVIATION.finditer(text):
        if match.group(0) not in TRADERS_SPELLING:
            found.append(
                f"abbreviation {match.group(0)!r}: ...{text[max(0, match.start() - 30) : match.end() + 20]}..."
            )
    return found


@pytest.fixture
def client() -> Client:
    return Client()


@pytest.mark.django_db
@pytest.mark.parametrize("route", ["calculators", "embed"])
@pytest.mark.parametrize("slug", list(CALCULATORS))
def test_no_calculator_page_or_embed_shows_a_field_name_snake_case_or_quote_as_a_unit(
    client: Client, slug: str, route: str
) -> None:
    field_names = set(CALCULATORS[slug].form().fields)
    problems = []
    for state, query in queries(slug).items():
        response = client.get(f"/{route}/{slug}/?{urlencode(query)}")
        assert response.status_code == 200, (state, response.status_code)
        problems += [
            f"{state}: {o}" for o in offences(read_text(response.content.decode()), field_names)
        ]
    assert not problems, "\n".join(dict.fromkeys(problems))


def test_the_scan_reads_option_text_help_and_chart_titles_but_not_urls_or_names() -> None:
    html = (
        '<a href="?entry_price=1" title="Entry price">x</a><select name="mm_basis">'
        '<option value="mark_price">Mark price</option></select><p>help: wallet_balance</p>'
        '<script type="application/json">{"layout": {"title": {"text": "Price (quote)"}}}</script>'
        "<script>var entry_price = 1;</script>"
    )
    text = read_text(html)
    assert "Mark price" in text and "Entry price" in text and "Price (quote)" in text
    found = offences(text, {"wallet_balance"})
    assert found[:2] == ["field or snake_case name 'wallet_balance'", "field name 'wallet_balance'"]
    assert found[2].startswith("'quote' as a unit:") and len(found) == 3


def test_the_scan_finds_an_exchange_written_as_its_key_but_not_as_its_name() -> None:
    found = offences("Whose ranking rule to apply; default bitmex.", set())
    assert found == ["exchange key 'bitmex': ...anking rule to apply; default bitmex...."]
    assert offences("BitMEX, OKX and Binance USDS-M, or the generic formula.", set()) == []
