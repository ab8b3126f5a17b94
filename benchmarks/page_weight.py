"""Bytes transferred for the first view of each page, before and with charts, in Chromium.

    uv run python benchmarks/page_weight.py [PATH ...] [--base-url URL] [--no-static]

Without ``--base-url`` it collects static files and starts gunicorn with production settings
(``benchmarks/pages_server.py``: DEBUG off, WhiteNoise serving hashed files with their
``.br``/``.gz``). Each path is loaded in a fresh, cold browser context of headless Chromium
(Playwright, ``/usr/bin/chromium``) sending ``Accept-Encoding: gzip, br``.

Method: the Chrome DevTools Protocol's ``Network.loadingFinished`` event gives each
response's ``encodedDataLength``, the bytes that came over the wire for it (status line,
headers and the body as sent, i.e. compressed); DevTools shows the same figure as
"transferred". ``Network.dataReceived`` adds up the decoded body size beside it. Every
network response of the view is summed, the document included; requests sent and data:
URLs are not counted. 1 KB = 1,024 bytes.

- **first view**: the path loaded cold until the network is idle. An empty calculator draws
  no chart, so Plotly must not be among these responses; on a page that does draw charts at
  once, the Plotly bundle's bytes are reported apart and left out of this figure.
- **with charts**: the first view, then a click on the page's "try the worked example" link
  (or, for a path that already has a result, nothing more), until every ``[data-chart]`` is
  drawn; the sum of everything transferred in both steps (cached files are not fetched again).

Writes ``benchmarks/out/page_weight.json`` and prints a Markdown table. Target (issue 5):
first view of a calculator page at most 150 KB transferred.
"""

from __future__ import annotations

import argparse
import datetime
import json
import os
import sys
from dataclasses import asdict, dataclass, field
from pathlib import Path
from typing import Any
from urllib.parse import urlsplit

if __package__ in (None, ""):  # run as a script: make `benchmarks` importable
    sys.path.insert(0, str(Path(__file__).resolve().parent.parent))

from benchmarks.pages_server import (  # noqa: E402
    DEFAULT_PATHS,
    OUT,
    load_average,
    run_on_server,
)

CHROMIUM = "/usr/bin/chromium"
CHROMIUM_ARGS = [
    "--no-sandbox",
    "--disable-gpu",
    "--disable-background-networking",
    "--disable-component-update",
    "--disable-sync",
    "--no-first-run",
]
TARGET_KB = 150
CHART_MARK = "/vendor/plotly/"  # the lazily loaded chart bundle
EXAMPLE_LINK = '#result a[href^="?"]'


@dataclass
class Response:
    url: str
    status: int = 0
    mime: str = ""
    encoding: str = ""
    transferred: int = 0  # encodedDataLength: headers + body as sent
    decoded: int = 0  # body after decompression
    phase: str = ""


@dataclass
class PageWeight:
    path: str
    first_view: int = 0
    first_view_decoded: int = 0
    first_view_requests: int = 0
    document: int = 0
    document_decoded: int = 0
    with_charts: int | None = None
    with_charts_requests: int | None = None
    charts_drawn: int = 0
    plotly: int = 0
    uncompressed_text: list[str] = field(default_factory=list)
    other_hosts: list[str] = field(default_factory=list)
    responses: list[Response] = field(default_factory=list)


class Recorder:
    """Collects one page's responses from CDP network events, tagged by phase."""

    def __init__(self, cdp: Any) -> None:
        self.by_id: dict[str, Response] = {}
        self.phase = "first view"
        cdp.on("Network.responseReceived", self.received)
        cdp.on("Network.dataReceived", self.data)
        cdp.on("Network.loadingFinished", self.finished)
        cdp.send("Network.enable")

    def _get(self, request_id: str) -> Response:
        return self.by_id.setdefault(request_id, Response(url="", phase=self.phase))

    def received(self, event: dict[str, Any]) -> None:
        response = event["response"]
        headers = {k.lower(): v for k, v in response.get("headers", {}).items()}
        record = self._get(event["requestId"])
        record.url = response["url"]
        record.status = response["status"]
        record.mime = response.get("mimeType", "")
        record.encoding = headers.get("content-encoding", "")

    def data(self, event: dict[str, Any]) -> None:
        self._get(event["requestId"]).decoded += event["dataLength"]

    def finished(self, event: dict[str, Any]) -> None:
        self._get(event["requestId"]).transferred = int(event["encodedDataLength"])


def charts_drawn(page: Any, timeout_ms: int = 60_000) -> int:
    """Wait until every chart element on the page is drawn; return how many there are."""
    from playwright.sync_api import expect  # imported where used, like sync_playwright below

    charts = page.locator("[data-chart]")
    count = charts.count()
    # Charts are drawn only near the viewport (static/js/charts.js): scroll to each in turn
    # and wait for it. (Not page.wait_for_function: a string predicate is evaluated with
    # eval, which the page's CSP refuses.)
    for index in range(count):
        chart = charts.nth(index)
        chart.scroll_into_view_if_needed()
        expect(chart).to_have_attribute("data-chart-state", "drawn", timeout=timeout_ms)
    return count


def summarise(result: PageWeight, responses: list[Response], host: str) -> PageWeight:
    # Network responses only: data: URLs (inline SVG in the CSS) transfer nothing.
    result.responses = [r for r in responses if r.url.startswith(("http://", "https://"))]
    for r in result.responses:
        if urlsplit(r.url).netloc != host:
            result.other_hosts.append(r.url)
        chart = CHART_MARK in r.url
        if r.phase == "first view" and not chart:
            result.first_view += r.transferred
            result.first_view_decoded += r.decoded
            result.first_view_requests += 1
        if chart:
            result.plotly += r.transferred
        if r.mime == "text/html" and r.phase == "first view" and not result.document:
            result.document, result.document_decoded = r.transferred, r.decoded
        textual = r.mime.startswith("text/") or r.mime == "application/javascript"
        if textual and r.transferred and not r.encoding and r.decoded > 1400:
            result.uncompressed_text.append(f"{urlsplit(r.url).path} ({r.decoded} B)")
    if result.charts_drawn:
        result.with_charts = sum(r.transferred for r in result.responses)
        result.with_charts_requests = sum(1 for r in result.responses if r.transferred)
    return result


def measure(browser: Any, base: str, path: str) -> PageWeight:
    context = browser.new_context(
        extra_http_headers={"Accept-Encoding": "gzip, br"},
        viewport={"width": 412, "height": 823},  # Lighthouse's mobile screen
        service_workers="block",
    )
    page = context.new_page()
    recorder = Recorder(context.new_cdp_session(page))
    result = PageWeight(path=path)
    try:
        page.goto(base + path, wait_until="networkidle")
        result.charts_drawn = charts_drawn(page)
        page.wait_for_timeout(250)  # let the last loadingFinished events arrive
        if not result.charts_drawn and page.locator(EXAMPLE_LINK).count():
            recorder.phase = "example"
            page.locator(EXAMPLE_LINK).first.click()
            page.wait_for_load_state("networkidle")
            result.charts_drawn = charts_drawn(page)
            page.wait_for_timeout(250)
    finally:
        context.close()
    return summarise(result, list(recorder.by_id.values()), urlsplit(base).netloc)


def kb(value: int | None) -> str:
    return "–" if value is None else f"{value / 1024:.1f}"


def table(results: list[PageWeight]) -> str:
    lines = [
        "| page | first view KB (requests) | of which HTML KB (decoded) "
        "| with charts KB (requests) | Plotly KB | first view ≤ 150 KB |",
        "|---|---:|---:|---:|---:|:---:|",
    ]
    for r in results:
        charts = (
            f"{kb(r.with_charts)} ({r.with_charts_requests})" if r.with_charts is not None else "–"
        )
        lines.append(
            f"| `{r.path}` | {kb(r.first_view)} ({r.first_view_requests}) "
            f"| {kb(r.document)} ({kb(r.document_decoded)}) | {charts} "
            f"| {kb(r.plotly) if r.plotly else '–'} "
            f"| {'yes' if r.first_view <= TARGET_KB * 1024 else '**no**'} |"
        )
    return "\n".join(lines)


def run(base: str, paths: list[str]) -> list[PageWeight]:
    from playwright.sync_api import sync_playwright

    with sync_playwright() as playwright:
        browser = playwright.chromium.launch(executable_path=CHROMIUM, args=CHROMIUM_ARGS)
        try:
            return [measure(browser, base, path) for path in paths]
        finally:
            browser.close()


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("paths", nargs="*", default=DEFAULT_PATHS, help="paths to load")
    parser.add_argument("--base-url", help="measure a running server instead of starting one")
    parser.add_argument("--no-static", action="store_true", help="skip collectstatic")
    parser.add_argument("--out", type=Path, default=OUT / "page_weight.json")
    args = parser.parse_args()
    results = run_on_server(
        args.base_url, lambda base: run(base, args.paths), static=not args.no_static
    )
    when = datetime.datetime.now().astimezone().isoformat(timespec="seconds")
    load = load_average()
    args.out.parent.mkdir(parents=True, exist_ok=True)
    args.out.write_text(
        json.dumps(
            {"date": when, "load_average": load, "pages": [asdict(r) for r in results]}, indent=2
        )
    )
    print(f"{when}; load average {load}; Accept-Encoding: gzip, br; cold cache per page\n")
    print(table(results))
    for r in results:
        for label, items in (
            ("sent uncompressed", r.uncompressed_text),
            ("requests to other hosts", r.other_hosts),
        ):
            if items:
                print(f"\n{r.path}: {label}: {', '.join(items)}")
    print(f"\nJSON: {os.path.relpath(args.out)}")


if __name__ == "__main__":
    main()
