"""The production-settings server the page benchmarks measure (page_weight, partial_speed, lighthouse).

:func:`prepare` runs ``collectstatic`` (hashed files plus WhiteNoise's ``.gz`` and ``.br``) into
``benchmarks/out/static`` and migrates a private SQLite database ``benchmarks/out/pages.sqlite3``
(cache table and restriction facts loaded), so a benchmark run neither reads nor writes the
checkout's ``staticfiles/`` or ``db.sqlite3``. :func:`serve` then starts gunicorn exactly as the
API benchmark does (``benchmarks/api_load.py``'s ``start_server``: production
``gunicorn.conf.py``, 2 sync workers on 127.0.0.1, DEBUG off, a random ``DJANGO_SECRET_KEY``,
``DJANGO_HTTPS=false``) serving ``benchmarks.bench_wsgi:application`` — the real site plus the
bare view at ``/__bare__`` that never exists in production.
"""

from __future__ import annotations

import html
import os
import re
import subprocess
import sys
import urllib.request
from collections.abc import Callable, Iterator
from contextlib import contextmanager
from pathlib import Path

ROOT = Path(__file__).resolve().parent.parent
OUT = ROOT / "benchmarks" / "out"
if str(ROOT) not in sys.path:  # run as a script, sys.path[0] is benchmarks/
    sys.path.insert(0, str(ROOT))

from benchmarks.api_load import free_port, start_server  # noqa: E402

CALCULATORS = {
    "liquidation": "/calculators/liquidation/",
    "margin": "/calculators/margin/",
    "pnl": "/calculators/pnl/",
    "position-size": "/calculators/position-size/",
    "adl": "/calculators/adl/",
}
# What the page benchmarks load by default: every calculator, plus the pages a visitor meets
# first and the embed (the widgets' figure). Any path can be passed on the command line.
DEFAULT_PATHS = [
    *CALCULATORS.values(),
    "/",
    "/calculators/",
    "/learn/",
    "/learn/liquidation/",
    "/embed/liquidation/",
]
# The "try the worked example" link of an empty calculator (templates/calculators/...):
# the first link inside #result whose href is a query string.
EXAMPLE_LINK = re.compile(r'<section id="result".*?<a href="\?([^"]+)"', re.S)


def environment() -> dict[str, str]:
    """Production settings on plain-HTTP loopback, with this benchmark's own files."""
    return {
        "DJANGO_SETTINGS_MODULE": "riskcalc.settings",
        "DJANGO_DEBUG": "false",
        "DJANGO_HTTPS": "false",
        "DJANGO_ALLOWED_HOSTS": "127.0.0.1",
        "DJANGO_STATIC_ROOT": str(OUT / "static"),
        "DATABASE_URL": f"sqlite:///{OUT / 'pages.sqlite3'}",
    }


def prepare(*, static: bool = True) -> None:
    """collectstatic into benchmarks/out/static; migrate benchmarks/out/pages.sqlite3 once."""
    OUT.mkdir(parents=True, exist_ok=True)
    env = {**os.environ, **environment(), "DJANGO_SECRET_KEY": "benchmark-prepare-only"}

    def manage(*args: str) -> None:
        subprocess.run(
            [sys.executable, "manage.py", *args],
            cwd=ROOT,
            env=env,
            check=True,
            stdout=subprocess.DEVNULL,
        )

    if static:
        manage("collectstatic", "--noinput", "--verbosity", "0")
    if not (OUT / "pages.sqlite3").exists():
        manage("migrate", "--noinput", "--verbosity", "0")
        manage("createcachetable")
        manage("load_restrictions")


@contextmanager
def serve() -> Iterator[str]:
    """gunicorn with production settings on a free loopback port; yields its base URL."""
    with serve_process() as (base, _):
        yield base


@contextmanager
def serve_process() -> Iterator[tuple[str, subprocess.Popen[bytes]]]:
    """As :func:`serve`, yielding the gunicorn master process too (its children are the
    workers: ``api_load.workers_cpu_seconds``)."""
    os.environ.update(environment())  # start_server passes os.environ on, adding the key
    port = free_port()
    server = start_server(port, OUT / "gunicorn.log")
    try:
        yield f"http://127.0.0.1:{port}", server
    finally:
        server.terminate()
        server.wait(timeout=30)


def run_on_server[T](base_url: str | None, run: Callable[[str], T], *, static: bool = True) -> T:
    """``run(base URL)`` against ``base_url`` if given, else against a server started here."""
    if base_url:
        return run(base_url.rstrip("/"))
    prepare(static=static)
    with serve() as base:
        return run(base)


def example_query(base: str, path: str) -> str | None:
    """The worked-example query string an empty calculator page links to, if it has one."""
    with urllib.request.urlopen(base + path) as response:
        page = response.read().decode()
    match = EXAMPLE_LINK.search(page)
    return html.unescape(match.group(1)) if match else None


def load_average() -> str:
    one, five, fifteen = os.getloadavg()
    return f"{one:.1f} / {five:.1f} / {fifteen:.1f} (1 / 5 / 15 min), {os.cpu_count()} CPUs"
