"""Following a learn page's "try it" link opens a calculator that shows the claimed figure.

Links to calculators that are not routed yet are skipped (the page shows them as plain text,
see test_views); they are checked here as soon as the calculator page exists.

The calculator displays liquidation prices rounded *against the trader* (up for a long), while
the pages quote the exchanges' half-up figures (Bybit's 19,698.49 is 19,698.4925), so a shown
figure may differ from the claim by one unit in the claim's last decimal place, and no more.
"""

from __future__ import annotations

import re
from decimal import ROUND_HALF_UP, Decimal
from html import unescape

import pytest
from django.test import Client
from django.urls import Resolver404, resolve

from riskcalc import content

LINKS = [
    pytest.param(page.slug, link, id=f"{page.slug}:{number}")
    for page in content.load_pages()
    for number, link in enumerate(page.try_it, start=1)
]
NUMBER = re.compile(r"([-−]?)(\d{1,3}(?:,\d{3})+|\d+)(\.\d+)?(\s*%)?")


def shown_figures(html: str) -> list[Decimal]:
    """Every number in the calculator's result block, as a Decimal (percentages as fractions)."""
    start = html.index('id="result"')
    end = html.find('class="calc-maths', start)
    text = re.sub(r"<[^>]+>", " ", unescape(html[start : end if end > 0 else None]))
    figures = []
    for sign, whole, fraction, percent in NUMBER.findall(text):
        value = Decimal(whole.replace(",", "") + (fraction or ""))
        value = -value if sign else value
        figures.append(value / 100 if percent else value)
    return figures


@pytest.mark.parametrize(("slug", "link"), LINKS)
def test_try_it_link_opens_a_calculator_showing_the_claimed_figure(
    slug: str, link: content.TryIt
) -> None:
    try:
        resolve(link.path)
    except Resolver404:
        pytest.skip(f"{link.path} is not routed yet")
    response = Client().get(link.url)
    assert response.status_code == 200
    figures = shown_figures(response.content.decode())
    for name, claimed in link.expect.items():
        figure = Decimal(claimed)
        unit = Decimal(1).scaleb(figure.as_tuple().exponent)
        assert any(
            abs(shown.quantize(figure, rounding=ROUND_HALF_UP) - figure) <= unit
            for shown in figures
        ), f"{slug}: {link.label}: {name} {claimed} not shown; page shows {figures}"
