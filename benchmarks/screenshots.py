"""Screenshots of every calculator page, light and dark, at 375 px and 1280 px wide.

Usage: ``make screenshots`` (or ``uv run python benchmarks/screenshots.py [--out DIR]``).
Starts the development server on a free loopback port, drives Debian's Chromium through
Playwright, waits for the charts to be drawn and writes full-page PNGs named
``<calculator>-<theme>-<width>.png`` to ``screenshots/`` (gitignored).
"""

from __future__ import annotations

import argparse
import os
import shutil
import socket
import subprocess
import sys
import time
import urllib.request
from pathlib import Path

from playwright.sync_api import sync_playwright

ROOT = Path(__file__).resolve().parent.parent
CHROMIUM = os.environ.get("CHROMIUM_PATH") or shutil.which("chromium") or "/usr/bin/chromium"

# Each page with a worked example in its query string, so the result and charts show.
PAGES = {
    "index": "/calculators/",
    "liquidation": "/calculators/liquidation/?side=long&entry_price=60000&quantity=0.5"
    "&leverage=20&margin_mode=isolated&contract=linear&exchange=binance_usdm&symbol=BTCUSDT",
    "position-size": "/calculators/position-size/?side=long&account_balance=10000&risk_fraction=0.01"
    "&entry_price=60000&stop_price=58800&leverage=10",
    "margin": "/calculators/margin/?quantity=0.5&price=60000&leverage=20&wallet_balance=2000"
    "&exchange=binance_usdm&symbol=BTCUSDT",
    "pnl": "/calculators/pnl/?side=long&entry_price=60000&exit_price=57000&quantity=0.5&leverage=20",
    "adl": "/calculators/adl/?side=long&entry_price=9750&mark_price=10000&quantity=10"
    "&wallet_balance=10000&maintenance_margin_rate=0.004&method=binance",
}
WIDTHS = (375, 1280)
THEMES = ("light", "dark")


def free_port() -> int:
    with socket.socket() as sock:
        sock.bind(("127.0.0.1", 0))
        return int(sock.getsockname()[1])


def wait_for(url: str, timeout: float = 30.0) -> None:
    deadline = time.monotonic() + timeout
    while time.monotonic() < deadline:
        try:
            with urllib.request.urlopen(url, timeout=2):
                return
        except OSError:
            time.sleep(0.3)
    raise SystemExit(f"server did not answer at {url}")


def main() -> int:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--out", type=Path, default=ROOT / "screenshots")
    parser.add_argument("--only", help="comma-separated page names (default: all)")
    args = parser.parse_args()
    args.out.mkdir(parents=True, exist_ok=True)
    names = args.only.split(",") if args.only else list(PAGES)

    port = free_port()
    base = f"http://127.0.0.1:{port}"
    env = {**os.environ, "DJANGO_DEBUG": "true"}
    server = subprocess.Popen(
        [sys.executable, "manage.py", "runserver", "--noreload", f"127.0.0.1:{port}"],
        cwd=ROOT,
        env=env,
        stdout=subprocess.DEVNULL,
        stderr=subprocess.DEVNULL,
    )
    try:
        wait_for(base + "/")
        with sync_playwright() as playwright:
            browser = playwright.chromium.launch(
                executable_path=CHROMIUM, args=["--no-sandbox", "--disable-gpu"]
            )
            for theme in THEMES:
                for width in WIDTHS:
                    context = browser.new_context(
                        viewport={"width": width, "height": 900},
                        color_scheme=theme,
                        device_scale_factor=1,
                    )
                    page = context.new_page()
                    for name in names:
                        page.goto(base + PAGES[name])
                        page.wait_for_load_state("networkidle")
                        charts = page.locator("[data-chart]")
                        for index in range(charts.count()):
                            charts.nth(index).scroll_into_view_if_needed()  # drawn when near
                            charts.nth(index).locator(".main-svg").first.wait_for(timeout=15000)
                        path = args.out / f"{name}-{theme}-{width}.png"
                        page.screenshot(path=str(path), full_page=True)
                        print(path.relative_to(ROOT) if path.is_relative_to(ROOT) else path)
                    context.close()
            browser.close()
    finally:
        server.terminate()
        server.wait(timeout=10)
    return 0


if __name__ == "__main__":
    raise SystemExit(main())
