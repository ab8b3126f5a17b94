"""Heights of every widget on a page of another origin, as a publisher's reader sees them.

Usage: ``uv run python benchmarks/embed_heights.py [--shots DIR] [--modes compact,full]``.
Starts the development server on ``localhost`` and a plain static server on ``127.0.0.1``
(another origin), writes a host page per calculator that mounts the default embed
(``side=long&entry_price=60000&quantity=0.5&leverage=20``) with ``/embed.js``, and for each
width, theme, mode and accent waits until the frame's height has stayed put for a second,
then reports it and whether the frame's document scrolls inside (its scrollable height
larger than the frame). With ``--shots`` it also writes a PNG of each host page.
"""

from __future__ import annotations

import argparse
import functools
import json
import os
import socket
import subprocess
import sys
import tempfile
import threading
import time
import urllib.request
from http.server import SimpleHTTPRequestHandler, ThreadingHTTPServer
from pathlib import Path
from typing import Any
from urllib.parse import parse_qsl

from playwright.sync_api import Page, sync_playwright

ROOT = Path(__file__).resolve().parent.parent
sys.path.insert(0, str(ROOT))
CHROMIUM = os.environ.get("CHROMIUM_PATH") or "/usr/bin/chromium"
DEFAULT_QUERY = {"side": "long", "entry_price": "60000", "quantity": "0.5", "leverage": "20"}
WIDTHS = (360, 400, 760)
THEMES = ("light", "dark")


def free_port() -> int:
    with socket.socket() as sock:
        sock.bind(("127.0.0.1", 0))
        return int(sock.getsockname()[1])


def wait_for(url: str, timeout: float = 60.0) -> None:
    deadline = time.monotonic() + timeout
    while time.monotonic() < deadline:
        try:
            with urllib.request.urlopen(url, timeout=5):
                return
        except OSError:
            time.sleep(0.3)
    raise SystemExit(f"server did not answer at {url}")


class _Quiet(SimpleHTTPRequestHandler):
    def log_message(self, format: str, *args: Any) -> None:  # noqa: A002 - stdlib signature
        pass


def slugs() -> list[str]:
    os.environ.setdefault("DJANGO_SETTINGS_MODULE", "riskcalc.settings")
    os.environ.setdefault("DJANGO_DEBUG", "true")
    import django

    django.setup()
    from riskcalc.calculators import CALCULATORS

    return list(CALCULATORS)


def host_page(root: Path, server: str, slug: str, attributes: dict[str, str]) -> str:
    data = "".join(f' data-{k.replace("_", "-")}="{v}"' for k, v in attributes.items())
    name = f"{slug}-{abs(hash(data))}.html"
    (root / name).write_text(
        "<!doctype html><html lang='en'><head><meta charset='utf-8'>"
        "<meta name='viewport' content='width=device-width'><title>Publisher</title>"
        "<link rel='icon' href='data:,'><style>body{margin:0;font-family:serif}"
        "main{padding:0}p{margin:8px}</style></head><body><main>"
        f"<p>Column text above the widget.</p><div data-riskcalc='{slug}'{data}></div>"
        "<p>Column text below the widget.</p>"
        f"<script async src='{server}/embed.js'></script></main></body></html>"
    )
    return name


def settle(page: Page, quiet_ms: int = 1200, timeout_ms: int = 20000) -> float:
    """The frame's height once it has not changed for ``quiet_ms``."""
    page.wait_for_selector("[data-riskcalc] iframe")
    page.wait_for_function(
        "() => { const f = document.querySelector('[data-riskcalc] iframe');"
        " return f && f.contentDocument === null && f.style.height !== '640px'; }",
        timeout=timeout_ms,
    )
    last, still = -1.0, 0
    for _ in range(timeout_ms // 100):
        page.wait_for_timeout(100)
        now = page.eval_on_selector(
            "[data-riskcalc] iframe", "f => f.getBoundingClientRect().height"
        )
        still = still + 100 if now == last else 0
        last = now
        if still >= quiet_ms:
            break
    return float(last)


def inner_scroll(page: Page, slug: str) -> int:
    """How many pixels the frame's own document scrolls (0: none)."""
    frame = next(f for f in page.frames if f"/embed/{slug}/" in f.url)
    return int(
        frame.evaluate(
            "() => Math.max(0, document.scrollingElement.scrollHeight - window.innerHeight)"
        )
    )


def main() -> int:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--shots", type=Path, help="write host-page screenshots here")
    parser.add_argument("--modes", default="compact,full", help="comma-separated modes")
    parser.add_argument("--accents", default=",#ffcc00", help="comma-separated ('' = none)")
    parser.add_argument("--only", help="comma-separated calculator slugs")
    parser.add_argument("--widths", default=",".join(map(str, WIDTHS)))
    parser.add_argument("--themes", default=",".join(THEMES))
    parser.add_argument("--out", type=Path, help="write the measurements as JSON here")
    parser.add_argument(
        "--extra", default="", help="more inputs, e.g. 'maintenance_margin_rate=0.005'"
    )
    args = parser.parse_args()
    names = args.only.split(",") if args.only else slugs()
    widths = [int(w) for w in args.widths.split(",")]
    themes = args.themes.split(",")
    extra = dict(parse_qsl(args.extra))
    if args.shots:
        args.shots.mkdir(parents=True, exist_ok=True)

    port = free_port()
    server = f"http://localhost:{port}"
    django = subprocess.Popen(
        [sys.executable, "manage.py", "runserver", "--noreload", f"localhost:{port}"],
        cwd=ROOT,
        env={**os.environ, "DJANGO_DEBUG": "true"},
        stdout=subprocess.DEVNULL,
        stderr=subprocess.DEVNULL,
    )
    rows: list[dict[str, Any]] = []
    with tempfile.TemporaryDirectory() as tmp:
        root = Path(tmp)
        static = ThreadingHTTPServer(
            ("127.0.0.1", 0), functools.partial(_Quiet, directory=str(root))
        )
        host = f"http://127.0.0.1:{static.server_address[1]}"
        threading.Thread(target=static.serve_forever, daemon=True).start()
        try:
            wait_for(server + "/embed.js")
            with sync_playwright() as playwright:
                browser = playwright.chromium.launch(
                    executable_path=CHROMIUM, args=["--no-sandbox", "--disable-gpu"]
                )
                for width in widths:
                    context = browser.new_context(
                        viewport={"width": width, "height": 1600}, device_scale_factor=1
                    )
                    page = context.new_page()
                    for slug in names:
                        for mode in args.modes.split(","):
                            for theme in themes:
                                for accent in args.accents.split(","):
                                    attributes = {**DEFAULT_QUERY, **extra, "theme": theme}
                                    if mode == "full":
                                        attributes["mode"] = "full"
                                    if accent:
                                        attributes["accent"] = accent
                                    page.goto(f"{host}/{host_page(root, server, slug, attributes)}")
                                    height = settle(page)
                                    row = {
                                        "calculator": slug,
                                        "width": width,
                                        "mode": mode,
                                        "theme": theme,
                                        "accent": accent,
                                        "height": height,
                                        "inner_scroll": inner_scroll(page, slug),
                                    }
                                    rows.append(row)
                                    print(json.dumps(row), flush=True)
                                    if args.shots and not accent:
                                        page.screenshot(
                                            path=str(
                                                args.shots / f"{slug}-{mode}-{theme}-{width}.png"
                                            ),
                                            full_page=True,
                                        )
                    context.close()
                browser.close()
        finally:
            static.shutdown()
            django.terminate()
            django.wait(timeout=10)
    if args.out:
        args.out.write_text(json.dumps(rows, indent=1) + "\n")
    return 0


if __name__ == "__main__":
    raise SystemExit(main())
