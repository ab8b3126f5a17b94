"""Browser-test fixtures: Playwright driving Debian's Chromium against pytest-django's live server.

``checked_page`` is the fixture most tests want: a Playwright page that records console
errors, uncaught exceptions and requests to any host other than the live server, so a test
can assert all three are empty, plus :func:`assert_no_axe_violations` for accessibility.
"""

from __future__ import annotations

import functools
import os
import shutil
import threading
from collections.abc import Iterator
from dataclasses import dataclass, field
from http.server import SimpleHTTPRequestHandler, ThreadingHTTPServer
from pathlib import Path
from typing import Any
from urllib.parse import urlsplit

import pytest
from axe_playwright_python.sync_playwright import Axe

# Playwright's sync API runs an event loop in the test thread; Django refuses ORM calls from
# a thread with a running loop unless told this is deliberate.
os.environ.setdefault("DJANGO_ALLOW_ASYNC_UNSAFE", "true")

CHROMIUM_PATH = os.environ.get("CHROMIUM_PATH") or shutil.which("chromium") or "/usr/bin/chromium"
HAS_CHROMIUM = Path(CHROMIUM_PATH).exists()
AXE = Axe()


def pytest_collection_modifyitems(config: pytest.Config, items: list[pytest.Item]) -> None:
    if HAS_CHROMIUM:
        return
    skip = pytest.mark.skip(reason=f"no Chromium at {CHROMIUM_PATH}; `make test` installs it")
    for item in items:
        if "browser" in str(item.path.parent):
            item.add_marker(skip)


@pytest.fixture(scope="session")
def browser_type_launch_args(browser_type_launch_args: dict[str, Any]) -> dict[str, Any]:
    # Playwright cannot download its own browser here; drive the system Chromium, with the
    # background-networking switches off so it makes no requests beyond the page's own.
    return {
        **browser_type_launch_args,
        "executable_path": CHROMIUM_PATH,
        "args": [
            "--no-sandbox",
            "--disable-gpu",
            "--disable-background-networking",
            "--disable-component-update",
            "--disable-sync",
            "--no-first-run",
        ],
    }


@pytest.fixture(scope="session")
def browser_context_args(browser_context_args: dict[str, Any]) -> dict[str, Any]:
    # Bootstrap turns its colour transitions off under reduced motion. Without this, axe can
    # measure a button mid-fade right after a theme switch and report a contrast failure that
    # no reader ever sees (seen on the margin page in dark mode, intermittently).
    return {**browser_context_args, "reduced_motion": "reduce"}


@pytest.fixture(scope="session")
def live_server(request: pytest.FixtureRequest) -> Iterator[Any]:
    """pytest-django's live server, but serving static files through WhiteNoise.

    pytest-django wraps the server in ``StaticFilesHandler``, which looks files up through
    the finders and so cannot serve the hashed names the manifest storage writes into
    pages. WhiteNoise is in the middleware and serves them exactly as in production.
    """
    from pytest_django.live_server_helper import LiveServer

    server = LiveServer("localhost:0", start=False)
    server.thread.static_handler = _serve_through_application
    server.start()
    request.addfinalizer(server.stop)
    yield server


def _serve_through_application(application: Any) -> Any:
    return application


@dataclass
class PageRecord:
    """What a page did that a test may want to forbid."""

    origin_host: str
    console_errors: list[str] = field(default_factory=list)
    page_errors: list[str] = field(default_factory=list)
    foreign_requests: list[str] = field(default_factory=list)
    failed_requests: list[str] = field(default_factory=list)

    def assert_clean(self) -> None:
        assert self.console_errors == [], self.console_errors
        assert self.page_errors == [], self.page_errors
        assert self.foreign_requests == [], self.foreign_requests
        assert self.failed_requests == [], self.failed_requests


@pytest.fixture
def page_record(page: Any, live_server: Any) -> PageRecord:
    record = PageRecord(origin_host=urlsplit(live_server.url).hostname or "")

    def on_console(message: Any) -> None:
        if message.type == "error":
            record.console_errors.append(f"{message.text} @ {message.location}")

    def on_request(req: Any) -> None:
        host = urlsplit(req.url).hostname
        if req.url.startswith(("http://", "https://")) and host not in {
            record.origin_host,
            "127.0.0.1",
            "localhost",
        }:
            record.foreign_requests.append(req.url)

    def on_response(response: Any) -> None:
        if response.status >= 400:
            record.failed_requests.append(f"{response.status} {response.url}")

    page.on("console", on_console)
    page.on("pageerror", lambda error: record.page_errors.append(str(error)))
    page.on("request", on_request)
    page.on("response", on_response)
    return record


def assert_no_axe_violations(page: Any, context: Any = None) -> None:
    """Run axe-core in the page (no CSP bypass needed) and fail with its readable report."""
    results = AXE.run(page, context=context)
    assert results.violations_count == 0, results.generate_report()


# A second origin: publishers' pages that embed the widgets (tests/browser/test_embed*.py).


class _QuietHandler(SimpleHTTPRequestHandler):
    def log_message(self, format: str, *args: Any) -> None:  # noqa: A002 - stdlib signature
        pass


class StaticSite:
    """A plain static web server on 127.0.0.1 serving a temporary directory: another origin."""

    def __init__(self, root: Path) -> None:
        self.root = root
        handler = functools.partial(_QuietHandler, directory=str(root))
        self.server = ThreadingHTTPServer(("127.0.0.1", 0), handler)
        self.url = f"http://127.0.0.1:{self.server.server_address[1]}"
        self.thread = threading.Thread(target=self.server.serve_forever, daemon=True)
        self.thread.start()

    def page(self, name: str, body: str, title: str = "Publisher page") -> str:
        (self.root / name).write_text(
            "<!doctype html>\n<html lang='en'><head><meta charset='utf-8'>"
            f"<title>{title}</title><link rel='icon' href='data:,'></head>"
            f"<body><main><h1>{title}</h1>\n{body}\n</main></body></html>\n"
        )
        return f"{self.url}/{name}"

    def close(self) -> None:
        self.server.shutdown()
        self.server.server_close()


@pytest.fixture
def host_site(tmp_path: Path) -> Iterator[StaticSite]:
    site = StaticSite(tmp_path / "host")
    site.root.mkdir()
    yield site
    site.close()


@pytest.fixture
def attacker_site(tmp_path: Path) -> Iterator[StaticSite]:
    site = StaticSite(tmp_path / "attacker")
    site.root.mkdir()
    yield site
    site.close()
