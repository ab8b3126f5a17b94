"""Embedded widgets on another site, in Chromium: a host page on a different origin (a second
HTTP server on 127.0.0.1; riskcalc runs on localhost) loads /embed.js with two widgets. Both
render and compute, follow their content's height, stay clean in the console, ignore forged
height messages, pass axe in both themes; and the builder's snippet works pasted as is."""

from __future__ import annotations

import html
from typing import Any

import pytest
from playwright.sync_api import expect

from tests.browser.conftest import PageRecord, StaticSite, assert_no_axe_violations

pytestmark = [pytest.mark.browser, pytest.mark.django_db]

# Bybit's worked example (liquidation at 19,700) as loader data-* attributes.
EXAMPLE_ATTRIBUTES = (
    'data-side="long" data-entry-price="20000" data-quantity="1" data-leverage="50" '
    'data-margin-mode="isolated" data-maintenance-margin-rate="0.005" data-mm-basis="entry"'
)


def frame_height(page: Any, selector: str) -> float:
    return page.eval_on_selector(selector, "el => el.getBoundingClientRect().height")


def wait_for_resized(page: Any, selector: str, initial: str = "640px") -> float:
    """Wait until the loader has applied a height from the frame (not the initial one)."""
    page.wait_for_function(
        "([s, initial]) => { const f = document.querySelector(s);"
        " return f && f.style.height !== initial; }",
        arg=[selector, initial],
    )
    return frame_height(page, selector)


def settled_height(
    page: Any, selector: str, quiet_ms: int = 1000, timeout_ms: int = 15000
) -> float:
    """Wait until the frame's height has stayed the same for `quiet_ms`, and return it.

    A frame keeps growing for a moment after its first resize (Plotly draws the charts
    later), so comparing against the first applied height would race with the charts.
    """
    step = 100
    last = frame_height(page, selector)
    unchanged = 0
    for _ in range(timeout_ms // step):
        page.wait_for_timeout(step)
        now = frame_height(page, selector)
        unchanged = unchanged + step if now == last else 0
        last = now
        if unchanged >= quiet_ms:
            return now
    raise AssertionError(f"{selector} height never settled (last {last})")


def two_widget_page(host_site: StaticSite, live_server: Any) -> str:
    loader = f"{live_server.url}/embed.js"
    return host_site.page(
        "two.html",
        f'<div id="w1" data-riskcalc="liquidation" data-mode="full" {EXAMPLE_ATTRIBUTES}></div>\n'
        '<div id="w2" data-riskcalc="liquidation" data-theme="dark" '
        'data-side="short" data-entry-price="30000" data-quantity="2" data-leverage="10" '
        'data-margin-mode="isolated" data-maintenance-margin-rate="0.005"></div>\n'
        # Included twice on purpose: the second copy must not mount anything again.
        f'<script async src="{loader}"></script>\n<script async src="{loader}"></script>',
    )


def test_two_widgets_on_another_origin_render_compute_and_resize(
    page: Any, live_server: Any, page_record: PageRecord, host_site: StaticSite
) -> None:
    assert host_site.url.split(":")[1] != live_server.url.split(":")[1]  # 127.0.0.1 vs localhost
    page.goto(two_widget_page(host_site, live_server))

    expect(page.locator("iframe")).to_have_count(2)  # loaded twice, mounted once
    first, second = page.frame_locator("#w1 iframe"), page.frame_locator("#w2 iframe")
    expect(page.locator("#w1 iframe")).to_have_attribute("loading", "lazy")
    expect(page.locator("#w1 iframe")).to_have_attribute("title", "riskcalc liquidation calculator")
    expect(first.locator("[data-key-figure]")).to_have_text("19,700.00")
    expect(second.locator("[data-key-figure]")).not_to_have_text("")
    second_figure = second.locator("[data-key-figure]").inner_text()
    expect(second.locator("html")).to_have_attribute("data-bs-theme", "dark")

    # Typing in one widget updates its own result only (htmx inside the frame). Leaving the
    # field fires "change" and one more update; wait for it so it cannot close the maths below.
    history = page.evaluate("history.length")
    first.locator("#id_entry_price").fill("21000")
    expect(first.locator("[data-key-figure]")).not_to_have_text("19,700.00")
    assert page.evaluate("history.length") == history  # no back-button entries on the host
    with page.expect_response(lambda r: r.request.headers.get("hx-request") == "true"):
        first.locator("#id_entry_price").blur()
    assert second.locator("[data-key-figure]").inner_text() == second_figure

    # Heights follow content: opening "Show the maths" grows the first frame.
    wait_for_resized(page, "#w1 iframe")
    # The frame settles at its content's height (charts drawing may still grow it): no clipping.
    for _ in range(50):
        before = frame_height(page, "#w1 iframe")
        inner = first.locator(".embed-root").evaluate("el => el.getBoundingClientRect().height")
        if abs(before - inner) <= 2:
            break
        page.wait_for_timeout(100)
    assert abs(before - inner) <= 2, (before, inner)
    first.locator(".calc-maths summary").click()
    expect(first.locator(".calc-maths")).to_have_attribute("open", "")
    page.wait_for_function(
        "h => document.querySelector('#w1 iframe').getBoundingClientRect().height > h + 50",
        arg=before,
    )

    # The attribution opens the full calculator, with the current inputs, in a new tab.
    link = first.locator("#embed-attribution a")
    expect(link).to_have_attribute("target", "_blank")
    href = link.get_attribute("href") or ""
    assert href.startswith("/calculators/liquidation/?") and "entry_price=21000" in href
    assert "widget=" not in href and "origin=" not in href
    with page.context.expect_page() as new_tab:
        link.click()
    opened = new_tab.value
    opened.wait_for_load_state()
    assert opened.url.startswith(f"{live_server.url}/calculators/liquidation/?")
    expect(opened.locator("[data-key-figure]")).to_have_text(
        first.locator("[data-key-figure]").inner_text()
    )
    opened.close()

    page_record.assert_clean()  # host page and both frames: no console errors, no failures


def test_forged_height_messages_change_nothing(
    page: Any,
    live_server: Any,
    page_record: PageRecord,
    host_site: StaticSite,
    attacker_site: StaticSite,
) -> None:
    forger = attacker_site.page(
        "forge.html",
        "<p>Third-party frame</p><script src='forge.js'></script>",
        title="Forger",
    )
    (attacker_site.root / "forge.js").write_text(
        "for (const id of ['riskcalc-1', 'riskcalc-2']) {\n"
        "  parent.postMessage({type: 'riskcalc:height', id: id, height: 5000}, '*');\n"
        "}\n"
        "document.body.setAttribute('data-forged', 'yes');\n"
    )
    url = two_widget_page(host_site, live_server)
    page.goto(url)
    first = page.frame_locator("#w1 iframe")
    expect(first.locator("[data-key-figure]")).to_have_text("19,700.00")
    wait_for_resized(page, "#w1 iframe")
    wait_for_resized(page, "#w2 iframe")
    height = settled_height(page, "#w1 iframe")
    second_height = settled_height(page, "#w2 iframe")

    # A frame from a third origin, and the host page itself, post forged heights.
    page.evaluate(
        "src => { const f = document.createElement('iframe'); f.src = src;"
        " f.title = 'forger'; document.body.appendChild(f); }",
        forger,
    )
    expect(page.frame_locator("iframe[title=forger]").locator("body")).to_have_attribute(
        "data-forged", "yes"
    )
    page.evaluate(
        "() => { window.postMessage({type: 'riskcalc:height', id: 'riskcalc-1', height: 5000},"
        " '*'); }"
    )

    assert settled_height(page, "#w1 iframe") == height
    assert settled_height(page, "#w2 iframe") == second_height
    assert height < 5000 and second_height < 5000
    page_record.assert_clean()


def test_builder_snippet_pasted_into_a_plain_page_works(
    page: Any, live_server: Any, page_record: PageRecord, host_site: StaticSite
) -> None:
    prefill = (
        "side=long&entry_price=20000&quantity=1&leverage=50&margin_mode=isolated"
        "&maintenance_margin_rate=0.005&mm_basis=entry"
    )
    page.goto(f"{live_server.url}/widgets/")
    page.select_option("#id_theme", "dark")
    page.fill("#id_prefill", prefill)
    expect(page.locator("#snippet-script")).to_contain_text('data-theme="dark"')
    expect(page.locator("#snippet-script")).to_contain_text('data-entry-price="20000"')
    snippet = page.locator("#snippet-script").inner_text()
    # The live preview is that same snippet, mounted by the loader on the builder page.
    preview = page.frame_locator(".widget-preview iframe")
    expect(preview.locator("[data-key-figure]")).to_have_text("19,700.00")

    pasted = host_site.page("pasted.html", snippet)
    page.goto(pasted)
    widget = page.frame_locator("[data-riskcalc] iframe")
    expect(widget.locator("[data-key-figure]")).to_have_text("19,700.00")
    expect(widget.locator("html")).to_have_attribute("data-bs-theme", "dark")
    widget.locator("#id_leverage").fill("25")
    expect(widget.locator("[data-key-figure]")).not_to_have_text("19,700.00")
    wait_for_resized(page, "[data-riskcalc] iframe")
    page_record.assert_clean()


def test_builder_iframe_snippet_works_without_the_loader(
    page: Any, live_server: Any, page_record: PageRecord, host_site: StaticSite
) -> None:
    page.goto(f"{live_server.url}/widgets/?prefill=side%3Dshort%26entry_price%3D100")
    snippet = page.locator("#snippet-iframe").inner_text()
    assert snippet.startswith("<iframe ")

    page.goto(host_site.page("iframe.html", snippet))
    widget = page.frame_locator("iframe")
    expect(widget.locator("#id_entry_price")).to_have_value("100")
    page_record.assert_clean()


@pytest.mark.parametrize("theme", ["light", "dark"])
def test_widget_has_no_axe_violations_in_either_theme(
    page: Any, live_server: Any, page_record: PageRecord, host_site: StaticSite, theme: str
) -> None:
    url = host_site.page(
        "axe.html",
        f'<div data-riskcalc="liquidation" data-theme="{theme}" data-mode="full" '
        f"{EXAMPLE_ATTRIBUTES}></div>\n"
        f'<script async src="{live_server.url}/embed.js"></script>',
    )
    page.goto(url)
    widget = page.frame_locator("[data-riskcalc] iframe")
    expect(widget.locator("[data-key-figure]")).to_have_text("19,700.00")
    widget.locator(".calc-maths summary").click()
    widget.locator("[data-chart]").first.scroll_into_view_if_needed()  # drawn near the viewport
    expect(widget.locator("[data-chart][data-chart-state='drawn']")).not_to_have_count(0)
    frame = next(f for f in page.frames if "/embed/liquidation/" in f.url)
    assert frame.evaluate("document.documentElement.dataset.bsTheme") == theme

    assert_no_axe_violations(frame)
    assert_no_axe_violations(page)  # the host page with the titled iframe in it
    page_record.assert_clean()


def test_accent_and_mode_options_reach_the_frame(
    page: Any, live_server: Any, page_record: PageRecord, host_site: StaticSite
) -> None:
    url = host_site.page(
        "accent.html",
        '<div data-riskcalc="liquidation" data-accent="#ffcc00" data-mode="full" '
        'data-locale="de" data-show="summary" ' + EXAMPLE_ATTRIBUTES + "></div>\n"
        f'<script async src="{live_server.url}/embed.js"></script>',
    )
    page.goto(url)
    widget = page.frame_locator("[data-riskcalc] iframe")
    expect(widget.locator("[data-key-figure]")).to_have_text("19.700,00")
    button = widget.locator(".btn-primary")
    assert button.evaluate("b => getComputedStyle(b).backgroundColor") == "rgb(255, 204, 0)"
    assert button.evaluate("b => getComputedStyle(b).color") == "rgb(0, 0, 0)"
    expect(widget.locator(".calc-maths")).to_have_count(0)
    expect(widget.locator("body")).to_have_class("embed embed-full embed-accent")
    frame = next(f for f in page.frames if "/embed/liquidation/" in f.url)
    assert_no_axe_violations(frame)
    page_record.assert_clean()


def test_snippet_text_is_escaped_in_the_builder(page: Any, live_server: Any) -> None:
    page.goto(f"{live_server.url}/widgets/?accent=%23abc")
    text = page.locator("#snippet-script").inner_text()
    assert text == html.unescape(text)  # shown as text, not parsed as markup
    assert text.startswith('<div data-riskcalc="liquidation" data-accent="#aabbcc"></div>')


@pytest.mark.parametrize("path", ["/widgets/", "/widgets/?theme=dark&mode=full&accent=%23ffcc00"])
def test_builder_page_is_clean_and_accessible(
    page: Any, live_server: Any, page_record: PageRecord, path: str
) -> None:
    page.goto(live_server.url + path)
    preview = page.frame_locator(".widget-preview iframe")
    expect(preview.locator("#form")).to_be_visible()
    expect(page.locator("[data-copy]").first).to_be_visible()  # shown once JS runs
    assert_no_axe_violations(page)
    page_record.assert_clean()


def test_all_five_calculators_embed_on_one_page(
    page: Any, live_server: Any, page_record: PageRecord, host_site: StaticSite
) -> None:
    from tests.embeds.test_every_calculator import QUERIES

    widgets = "\n".join(
        f'<div data-riskcalc="{slug}" data-theme="dark" data-height="300"'
        + "".join(f' data-{k.replace("_", "-")}="{v}"' for k, v in query.items())
        + "></div>"
        for slug, query in QUERIES.items()
    )
    page.goto(
        host_site.page(
            "five.html", widgets + f'\n<script async src="{live_server.url}/embed.js"></script>'
        )
    )
    for slug in QUERIES:
        selector = f'[data-riskcalc="{slug}"] iframe'
        page.locator(selector).scroll_into_view_if_needed()
        frame = page.frame_locator(selector)
        expect(frame.locator("[data-key-figure]")).not_to_have_text("")
        wait_for_resized(page, selector, initial="300px")
        assert_no_axe_violations(next(f for f in page.frames if f"/embed/{slug}/" in f.url))
    page_record.assert_clean()


def test_copy_button_puts_the_snippet_on_the_clipboard(
    page: Any, live_server: Any, page_record: PageRecord
) -> None:
    page.context.grant_permissions(["clipboard-read", "clipboard-write"], origin=live_server.url)
    page.goto(f"{live_server.url}/widgets/?theme=dark")
    button = page.locator('[data-copy="snippet-script"]')
    expect(button).to_have_text("Copy the script snippet")
    button.click()
    expect(button).to_have_text("Copied")
    expect(page.locator("#copy-status")).to_have_text("Copied.")

    copied = page.evaluate("navigator.clipboard.readText()")
    assert copied == page.locator("#snippet-script").inner_text()
    expect(button).to_have_text("Copy the script snippet")  # the label comes back
    page_record.assert_clean()


def test_builder_is_configured_by_typing_in_its_preview(
    page: Any, live_server: Any, page_record: PageRecord
) -> None:
    # A complete position: the widget's form sends nothing while a required input is empty.
    prefill = "side%3Dshort%26entry_price%3D100%26exit_price%3D90%26quantity%3D1"
    page.goto(f"{live_server.url}/widgets/?calculator=pnl&prefill={prefill}")
    preview = page.frame_locator(".widget-preview iframe")
    script = page.locator("#snippet-script")
    expect(script).to_contain_text('data-side="short"')
    expect(preview.locator("#result")).to_be_attached()
    frame = next(f for f in page.frames if "/embed/pnl/" in f.url)
    frame.wait_for_function("() => window.htmx && document.readyState === 'complete'")

    preview.locator("#id_entry_price").fill("61000")
    expect(script).to_contain_text('data-side="short" data-entry-price="61000" data-exit-price')
    expect(page.locator("#id_prefill")).to_have_value(
        "side=short&entry_price=61000&exit_price=90&quantity=1"
    )
    expect(preview.locator("#id_entry_price")).to_be_focused()  # the preview was not reloaded

    # A value the calculator's form refuses never reaches the snippet; it says why.
    preview.locator("#id_leverage").fill("9999")
    expect(page.locator("#prefill-refused")).to_contain_text("leverage=9999")
    expect(script).not_to_contain_text("data-leverage")
    expect(script).to_contain_text('data-entry-price="61000"')
    page_record.assert_clean()


def test_a_widget_opened_without_an_input_asks_for_it_and_answers_once_it_is_typed(
    page: Any, live_server: Any, host_site: StaticSite, page_record: PageRecord
) -> None:
    # Issue 16's generic query on the PnL widget: it opened on "This field is required".
    page.set_viewport_size({"width": 400, "height": 900})
    generic = 'data-side="long" data-entry-price="60000" data-quantity="0.5" data-leverage="20"'
    page.goto(
        host_site.page(
            "pnl-generic.html",
            f'<div data-riskcalc="pnl" {generic}></div>\n'
            f'<script async src="{live_server.url}/embed.js"></script>',
        )
    )
    widget = page.frame_locator('[data-riskcalc="pnl"] iframe')
    prompt = widget.locator("[data-needed]")
    expect(prompt).to_have_text("Enter the exit price to see the profit or loss.")
    expect(widget.locator('[role="alert"], .is-invalid')).to_have_count(0)
    exit_price = widget.locator("#id_exit_price")
    expect(exit_price).to_have_attribute("aria-required", "true")
    frame = next(f for f in page.frames if "/embed/pnl/" in f.url)
    frame.wait_for_function("() => window.htmx && document.readyState === 'complete'")
    assert_no_axe_violations(frame)

    prompt.get_by_role("link", name="exit price").click()  # the prompt's link focuses the field
    expect(exit_price).to_be_focused()
    page.keyboard.type("61000")
    expect(widget.locator("[data-key-figure]")).to_contain_text("500.00")  # 0.5 x 1,000
    expect(prompt).to_have_count(0)
    assert_no_axe_violations(frame)
    page_record.assert_clean()
