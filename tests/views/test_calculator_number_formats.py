"""Every figure on a calculator page and embed follows the one formatting rule
(``riskcalc/templatetags/riskcalc.py``): cash and prices in it to 2 places with the unit (a
price under 1 to about six significant digits), percentages to at
least 2 places (a rate's further digits only when it has them), leverage with ``×``; and
every chart's hover text uses a d3 format of the same rule, never a stray ``.1f`` or ``.4g``."""

from __future__ import annotations

import json
import re
from collections.abc import Iterator
from typing import Any
from urllib.parse import urlencode

import pytest
from django.test import Client

from riskcalc.calculators import CALCULATORS
from tests.views.test_calculator_wording import _scalar_example

MATHS = re.compile(r'<details class="calc-maths.*?</details>', re.S)
""""Show the maths" is exact until its last step (the rule's one stated exception)."""
FIGURE = re.compile(
    r'<(dd|td|strong|bdi|p|span|output)\b[^>]*class="[^"]*(?:figure-num|inputs-summary)[^"]*"[^>]*>(.*?)</\1>',
    re.S,
)
CASH_AMOUNT = re.compile(r"(?<![\d.,])(\d[\d,]*)(?:\.(\d+))? (?:USDT|USDC|USD)\b")
PERCENTAGE = re.compile(r"(?<![\d.,])(\d[\d,]*)(?:\.(\d+))?%")
LEVERAGE_X = re.compile(r"\b\d+(?:\.\d+)?x\b")
HOVER_FORMAT = re.compile(r"%\{[^}:]+:([^}]*)\}")
RULE_FORMAT = re.compile(r"^\+?,\.(?:\d+f|6~g)$")
"""The d3 formats the rule gives: ``,.Nf`` (a price to its tick, cash, a percentage, a score)
and ``,.6~g`` (a coin), each with ``+`` when signed."""


def stray_figures(html: str) -> list[str]:
    found = []
    for _, cell in FIGURE.findall(MATHS.sub("", html)):
        text = re.sub(r"<[^>]+>", " ", cell)
        for match in CASH_AMOUNT.finditer(text):
            places = match.group(2) or ""
            under_one = match.group(1) == "0" and len(places) > 2  # a price under 1 (the rule)
            if len(places) != 2 and not under_one:
                found.append(f"cash amount not to 2 places: {match.group(0)!r}")
        for match in PERCENTAGE.finditer(text):
            places = match.group(2) or ""
            if len(places) < 2 or (len(places) > 2 and places.endswith("0")):
                found.append(f"percentage off the rule: {match.group(0)!r}")
        found += [f"leverage with x: {m!r}" for m in LEVERAGE_X.findall(text)]
    return found


def _hovertemplates(value: Any) -> Iterator[str]:
    if isinstance(value, dict):
        for key, item in value.items():
            if key == "hovertemplate" and isinstance(item, str):
                yield item
            else:
                yield from _hovertemplates(item)
    elif isinstance(value, list):
        for item in value:
            yield from _hovertemplates(item)


def stray_hover_formats(html: str) -> list[str]:
    found = []
    for block in re.findall(
        r'<script id="chart-[^"]*" type="application/json">(.*?)</script>', html
    ):
        for template in _hovertemplates(json.loads(block)):
            found += [f"hover format {f!r} in {template!r}" for f in HOVER_FORMAT.findall(template)
                      if not RULE_FORMAT.match(f)]  # fmt: skip
            if re.search(r"%\{x\}x\b", template):
                found.append(f"leverage with x in {template!r}")
    return found


def states(slug: str) -> dict[str, dict[str, str]]:
    """The published example, and the same as an inverse contract where there is one."""
    example = _scalar_example(slug)
    fields = CALCULATORS[slug].form().fields
    inverse = {**example, "contract": "inverse"} if "contract" in fields else {}
    return {"example": example, **({"inverse": inverse} if inverse else {})}


@pytest.mark.django_db
@pytest.mark.parametrize("route", ["calculators", "embed"])
@pytest.mark.parametrize("slug", list(CALCULATORS))
def test_every_figure_and_chart_hover_on_a_calculator_follows_the_formatting_rule(
    slug: str, route: str
) -> None:
    client, problems = Client(), []
    for state, query in states(slug).items():
        html = client.get(f"/{route}/{slug}/?{urlencode(query)}").content.decode()
        problems += [f"{state}: {p}" for p in stray_figures(html) + stray_hover_formats(html)]
    assert not problems, "\n".join(dict.fromkeys(problems))


def test_the_scan_finds_stray_amounts_percentages_leverage_and_hover_formats() -> None:
    html = (
        '<dd class="col-sm-6 figure-num">400 USDT, 0.500%, 0.5%, 50x, 0.00123 USDT</dd>'
        '<details class="calc-maths"><dd class="figure-num">400 USDT</dd></details>'
        '<dd class="figure-num">400.00 USDT, 0.50%, 0.375%, 50×</dd>'
    )
    assert stray_figures(html) == [
        "cash amount not to 2 places: '400 USDT'",
        "percentage off the rule: '0.500%'",
        "percentage off the rule: '0.5%'",
        "leverage with x: '50x'",
    ]
    figure = {"data": [{"hovertemplate": "%{x}x: %{y:.1f}%"}, {"hovertemplate": "%{y:+,.2f}"}]}
    chart = f'<script id="chart-a-data" type="application/json">{json.dumps(figure)}</script>'
    assert stray_hover_formats(chart) == [
        "hover format '.1f' in '%{x}x: %{y:.1f}%'",
        "leverage with x in '%{x}x: %{y:.1f}%'",
    ]


@pytest.mark.django_db
@pytest.mark.parametrize(
    ("extra", "counted"),
    [
        ({}, "coins"),
        ({"exchange": "binance_usdm", "symbol": "BTCUSDT"}, "BTC"),
        ({"contract": "inverse"}, "contracts"),
        ({"contract_size": "0.01"}, "contracts"),
    ],
)
def test_a_position_size_says_what_its_quantity_counts(extra: dict[str, str], counted: str) -> None:
    query = {**_scalar_example("position-size"), **extra}
    html = Client().get(f"/calculators/position-size/?{urlencode(query)}").content.decode()
    headline = re.search(r"data-key-figure>([^<]+)</strong>\s*([^<]+)</p>", html)
    assert headline and headline.group(2).strip() == counted


@pytest.mark.django_db
def test_a_position_size_names_the_unit_of_its_liquidation_price() -> None:
    query = {**_scalar_example("position-size"), "leverage": "10", "stop_price": "20"}
    html = Client().get(f"/calculators/position-size/?{urlencode(query)}").content.decode()
    cell = re.search(r"Liquidation price \(isolated\)</dt><dd[^>]*>([^<]+)<", html)
    assert cell and re.fullmatch(r"\d[\d,]*\.\d\d USDT", cell.group(1).strip()), cell


@pytest.mark.django_db
def test_the_largest_position_the_margin_balance_opens_names_its_coin() -> None:
    query = {"quantity": "0.5", "price": "60000", "leverage": "20", "wallet_balance": "2000",
             "exchange": "binance_usdm", "symbol": "BTCUSDT"}  # fmt: skip
    html = Client().get(f"/calculators/margin/?{urlencode(query)}").content.decode()
    cell = re.search(r"Largest position the balance opens</dt><dd[^>]*>([^<]+)<", html)
    assert cell and re.match(r"\d[\d,.]* BTC \([\d,]+\.\d\d USDT, ", cell.group(1)), cell
