"""Widgets fit a publisher's column (issue 16): on a page of another origin, every calculator's
default embed settles at a height that shows all of it, with no scrollbar inside the frame,
whatever its accent and theme, and the layout follows the frame's width."""

from __future__ import annotations

from typing import Any

import pytest
from playwright.sync_api import expect

from riskcalc.calculators import CALCULATORS
from tests.browser.conftest import StaticSite

pytestmark = [pytest.mark.browser, pytest.mark.django_db]

# The default embed: the fields a calculator does not have are dropped by the embed.
DEFAULT_ATTRIBUTES = {"side": "long", "entry-price": "60000", "quantity": "0.5", "leverage": "20"}


def mount(page: Any, host_site: StaticSite, live_server: Any, slug: str, **options: str) -> Any:
    """Open a host page with one loader widget of ``slug``; return the frame once it settled."""
    attributes = {**DEFAULT_ATTRIBUTES, **options}
    data = "".join(f' data-{name}="{value}"' for name, value in attributes.items())
    page.goto(
        host_site.page(
            f"{slug}.html",
            f'<div data-riskcalc="{slug}"{data}></div>\n'
            f'<script async src="{live_server.url}/embed.js"></script>',
        )
    )
    expect(page.frame_locator("[data-riskcalc] iframe").locator("#result")).to_be_attached()
    frame = next(f for f in page.frames if f"/embed/{slug}/" in f.url)
    settled(page, frame)
    return frame


def settled(
    page: Any,
    frame: Any,
    quiet_ms: int = 800,
    timeout_ms: int = 15000,
    selector: str = "[data-riskcalc] iframe",
) -> float:
    """The iframe's height once it equals its document's and has not moved for ``quiet_ms``."""
    last, still = -1.0, 0
    for _ in range(timeout_ms // 100):
        page.wait_for_timeout(100)
        height = page.eval_on_selector(selector, "f => f.getBoundingClientRect().height")
        content = frame.evaluate("() => document.documentElement.getBoundingClientRect().height")
        still = still + 100 if height == last and abs(height - content) < 1 else 0
        last = height
        if still >= quiet_ms:
            return float(height)
    raise AssertionError(f"the frame never settled at its content's height (last {last})")


def inner_scroll(frame: Any) -> int:
    """How far the frame's own document scrolls: 0 when the frame shows all of it."""
    return int(frame.evaluate("() => document.scrollingElement.scrollHeight - window.innerHeight"))


BUDGETS = {400: 1100, 760: 800}
"""Issue 16: the default embed's height at most this (px) in a column this wide (px)."""


@pytest.mark.parametrize("slug", list(CALCULATORS))
def test_the_default_widget_fits_a_column(
    page: Any, live_server: Any, host_site: StaticSite, slug: str
) -> None:
    for width, budget in BUDGETS.items():
        page.set_viewport_size({"width": width, "height": 900})
        frame = mount(page, host_site, live_server, slug)
        height = settled(page, frame)
        assert height <= budget, (width, height)
        assert inner_scroll(frame) <= 0


@pytest.mark.parametrize("slug", list(CALCULATORS))
def test_an_accented_widget_never_scrolls_inside_its_frame(
    page: Any, live_server: Any, host_site: StaticSite, slug: str
) -> None:
    # The accent draws a 4 px top border: it was left out of the reported height, so every
    # accented widget scrolled by 3 px inside its frame.
    page.set_viewport_size({"width": 400, "height": 900})
    for mode, theme in (("compact", "light"), ("full", "dark")):
        frame = mount(page, host_site, live_server, slug, accent="#ffcc00", theme=theme, mode=mode)
        assert inner_scroll(frame) <= 0


def test_paired_fields_sit_side_by_side_only_when_their_column_has_room(
    page: Any, live_server: Any, host_site: StaticSite
) -> None:
    # At 760 px the frame's viewport is wide enough for Bootstrap's .col-sm-6 pairs, but the
    # form column is not: the Exchange select was cut to a few letters.
    page.set_viewport_size({"width": 760, "height": 900})
    frame = mount(page, host_site, live_server, "liquidation", mode="full")
    select = frame.locator("#id_exchange")
    column = frame.locator(".embed-form")
    assert select.evaluate("e => e.getBoundingClientRect().width") >= 0.9 * column.evaluate(
        "e => e.getBoundingClientRect().width"
    )


WIDEST_OPTION_OVERFLOW = """select => {
  // How many px the widest option's text overflows the select's text box (<= 0: it fits).
  const style = getComputedStyle(select);
  const context = document.createElement("canvas").getContext("2d");
  context.font = style.font;
  const room = select.clientWidth - parseFloat(style.paddingLeft) - parseFloat(style.paddingRight);
  const widest = Math.max(...[...select.options].map(o => context.measureText(o.text).width));
  return widest - room;
}"""


@pytest.mark.parametrize("slug", ["liquidation", "margin"])
def test_the_compact_widgets_exchange_select_shows_every_exchange_whole(
    page: Any, live_server: Any, host_site: StaticSite, slug: str
) -> None:
    # At 360 px the compact liquidation widget cut "None (generic)" to "None (generic": its
    # select had half of the form's width, and a select cannot wrap.
    for width in (360, 400, 760):
        page.set_viewport_size({"width": width, "height": 900})
        frame = mount(page, host_site, live_server, slug)
        select = frame.locator("#id_exchange")
        assert select.evaluate(WIDEST_OPTION_OVERFLOW) <= 0, width


def test_the_iframe_snippet_fits_its_content_with_the_loader_and_without(
    page: Any, live_server: Any, host_site: StaticSite
) -> None:
    page.set_viewport_size({"width": 400, "height": 900})
    query = "prefill=side%3Dlong%26entry_price%3D60000%26quantity%3D0.5%26leverage%3D20"
    page.goto(f"{live_server.url}/widgets/?calculator=pnl&{query}")
    snippet = page.locator("#snippet-iframe").inner_text()
    iframe, script = snippet.split("\n")
    assert script.startswith("<script async src=")

    # Pasted whole: the loader says hello to the plain iframe, which then reports its height.
    page.goto(host_site.page("pasted-iframe.html", f'<div data-riskcalc-slot="">{snippet}</div>'))
    frame = next(f for f in page.frames if "/embed/pnl/" in f.url)
    expect(page.frame_locator("iframe").locator("#result")).to_be_attached()
    page.wait_for_function("() => document.querySelector('iframe').style.height !== ''")
    height = settled(page, frame, selector="iframe")
    assert height < 1100 and inner_scroll(frame) <= 0

    # Where the host strips scripts, the fixed height still shows the compact widget whole.
    page.goto(host_site.page("bare-iframe.html", iframe))
    expect(page.frame_locator("iframe").locator("#result")).to_be_attached()
    frame = next(f for f in page.frames if "/embed/pnl/" in f.url)
    page.wait_for_timeout(500)
    assert page.eval_on_selector("iframe", "f => f.getBoundingClientRect().height") == 1100
    assert inner_scroll(frame) <= 0
