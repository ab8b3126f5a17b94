"""CPU per request of the API and of a bare view, in one process, without a server.

Calls the benchmark WSGI application (``benchmarks.bench_wsgi``: the site's settings,
middleware stack and URL resolver plus the bare JSON view at /__bare__) directly with a
WSGI environ, ``--number`` times per URL, and reports this process's CPU time per request
(``time.process_time``), best of ``--repeat``. Background load distorts this much less than
wall-clock throughput (``api_load.py``), so it is the figure to compare changes with.

    uv run python benchmarks/api_cpu.py [--number 3000] [--repeat 5] [--profile api.prof]

``--profile FILE`` also writes a cProfile of one API loop to FILE (read it with
``python -m pstats FILE``). Figures go in benchmarks/README.md under "API throughput".
"""

from __future__ import annotations

import argparse
import io
import os
import secrets
import sys
import time
from collections.abc import Callable, Iterable
from pathlib import Path
from typing import Any

ROOT = Path(__file__).resolve().parent.parent
sys.path.insert(0, str(ROOT))

API_PATH, API_QUERY = (
    "/api/v1/liquidation",
    "side=long&entry_price=20000&quantity=1&leverage=50&maintenance_margin_rate=0.005"
    "&mm_basis=entry",
)
BARE_PATH = "/__bare__"


def environ(path: str, query: str = "") -> dict[str, Any]:
    """A minimal GET environ for 127.0.0.1, as gunicorn would pass it."""
    return {
        "REQUEST_METHOD": "GET",
        "PATH_INFO": path,
        "QUERY_STRING": query,
        "SERVER_NAME": "127.0.0.1",
        "SERVER_PORT": "8000",
        "SERVER_PROTOCOL": "HTTP/1.1",
        "HTTP_HOST": "127.0.0.1",
        "REMOTE_ADDR": "127.0.0.1",
        "wsgi.input": io.BytesIO(b""),
        "wsgi.errors": sys.stderr,
        "wsgi.url_scheme": "http",
        "wsgi.version": (1, 0),
        "wsgi.multithread": False,
        "wsgi.multiprocess": True,
        "wsgi.run_once": False,
    }


def loop(application: Callable[..., Iterable[bytes]], path: str, query: str, number: int) -> None:
    statuses: list[str] = []

    def start_response(status: str, headers: list[tuple[str, str]], *_: Any) -> None:
        statuses.append(status)

    for _ in range(number):
        response = application(environ(path, query), start_response)
        b"".join(response)
        close = getattr(response, "close", None)
        if close is not None:
            close()
    if any(not status.startswith("200") for status in statuses):
        raise SystemExit(f"{path}?{query} answered {sorted(set(statuses))}")


def cpu_per_request(
    application: Callable[..., Iterable[bytes]], path: str, query: str, number: int, repeat: int
) -> float:
    """Best-of-``repeat`` CPU seconds per request over ``number`` requests."""
    best = float("inf")
    for _ in range(repeat):
        start = time.process_time()
        loop(application, path, query, number)
        best = min(best, (time.process_time() - start) / number)
    return best


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--number", type=int, default=3000, help="requests per measurement")
    parser.add_argument("--repeat", type=int, default=5)
    parser.add_argument("--profile", type=Path, help="write a cProfile of one API loop here")
    args = parser.parse_args()
    os.environ.update(
        {
            "DJANGO_SECRET_KEY": secrets.token_urlsafe(50),
            "DJANGO_DEBUG": "false",
            "DJANGO_HTTPS": "false",
            "DJANGO_ALLOWED_HOSTS": "127.0.0.1",
            "DJANGO_LOG_LEVEL": "ERROR",
        }
    )
    from benchmarks.bench_wsgi import application

    for path, query in ((BARE_PATH, ""), (API_PATH, API_QUERY)):  # warm caches and imports
        loop(application, path, query, 50)
    bare = cpu_per_request(application, BARE_PATH, "", args.number, args.repeat)
    api = cpu_per_request(application, API_PATH, API_QUERY, args.number, args.repeat)
    print("| URL | CPU µs per request |")
    print("|---|---:|")
    print(f"| `{BARE_PATH}` | {bare * 1e6:.0f} |")
    print(f"| `{API_PATH}?…` (golden query) | {api * 1e6:.0f} |")
    print(
        f"\nCPU-bound ratio bare/API = {bare / api:.2f} (number={args.number}, best of "
        f"{args.repeat}, load average {' / '.join(f'{x:.1f}' for x in os.getloadavg())})"
    )
    if args.profile:
        import cProfile

        profiler = cProfile.Profile()
        profiler.runcall(loop, application, API_PATH, API_QUERY, args.number)
        profiler.dump_stats(args.profile)
        print(f"profile of {args.number} API requests: {args.profile}")


if __name__ == "__main__":
    main()
