"""Weight and throughput of the restriction pages against a bare Django view, in the same run.

    uv run python benchmarks/restrictions_speed.py [--duration 10] [--rounds 2]

Starts gunicorn with production settings (``benchmarks/pages_server.py``: 2 sync workers,
collected static files, a SQLite database with the restriction data loaded) and measures:

- **HTML size** of each page, as served (decoded) and gzip-compressed as a browser asks for
  it (``Accept-Encoding: gzip, br``); the target (issue 17) is at most 100 KB of HTML for the
  default restrictions page.
- **Throughput ratio**: ``wrk -t1 -c10`` on the bare view (``/__bare__``, served only by
  ``benchmarks/bench_wsgi.py``) and on each page in turn, ``--rounds`` times; the median
  req/s of a page divided by the bare view's. Target: at least 0.25 for the default page.
  Beside it, the gunicorn workers' CPU per request (``api_load.workers_cpu_seconds``), which
  the two cores' sharing with wrk does not distort.

Writes ``benchmarks/out/restrictions_speed.json`` and prints a Markdown table. Lighthouse is
``benchmarks/lighthouse.py /learn/restrictions/``.
"""

from __future__ import annotations

import argparse
import datetime
import json
import statistics
import sys
import urllib.request
from pathlib import Path
from typing import Any

if __package__ in (None, ""):  # run as a script: make `benchmarks` importable
    sys.path.insert(0, str(Path(__file__).resolve().parent.parent))

from benchmarks.api_load import BARE_PATH, wrk  # noqa: E402
from benchmarks.pages_server import OUT, load_average, prepare, serve_process  # noqa: E402

PAGES = {
    "restrictions index (default)": "/learn/restrictions/",
    "index answering for Germany": "/learn/restrictions/?where=Germany",
    "copy-trading page": "/learn/restrictions/copy-trading/",
    "map figure (fetched when in view)": "/learn/restrictions/map.json",
}


def html_size(url: str) -> dict[str, int]:
    """Decoded and gzip-transferred bytes of one response body."""
    plain = urllib.request.urlopen(urllib.request.Request(url)).read()
    request = urllib.request.Request(url, headers={"Accept-Encoding": "gzip"})
    with urllib.request.urlopen(request) as response:
        sent = response.read()
    return {"decoded": len(plain), "gzip": len(sent)}


def measure(duration: int, rounds: int) -> dict[str, Any]:
    prepare()
    with serve_process() as (base, server):
        urls = {"bare view": BARE_PATH, **PAGES}
        sizes = {name: html_size(base + path) for name, path in PAGES.items()}
        for path in urls.values():  # warm both workers and the caches
            wrk(base + path, 2, 10, 1)
        runs: dict[str, list[dict[str, float]]] = {name: [] for name in urls}
        for _ in range(rounds):
            for name, path in urls.items():
                runs[name].append(wrk(base + path, duration, 10, 1, workers_of=server.pid))
    rps = {name: statistics.median(r["rps"] for r in values) for name, values in runs.items()}
    cpu = {name: statistics.median(r["cpu_us"] for r in values) for name, values in runs.items()}
    return {
        "when": datetime.datetime.now(datetime.UTC).isoformat(timespec="minutes"),
        "load": load_average(),
        "duration": duration,
        "rounds": rounds,
        "sizes": sizes,
        "rps": rps,
        "cpu_us": cpu,
        "ratio": {name: value / rps["bare view"] for name, value in rps.items()},
    }


def table(result: dict[str, Any]) -> str:
    lines = [
        "| page | HTML (decoded) | gzip | req/s | of bare | worker CPU per request |",
        "|---|---|---|---|---|---|",
    ]
    for name, rps in result["rps"].items():
        size = result["sizes"].get(name)
        decoded = f"{size['decoded'] / 1000:.1f} KB" if size else "-"
        sent = f"{size['gzip'] / 1000:.1f} KB" if size else "-"
        lines.append(
            f"| {name} | {decoded} | {sent} | {rps:.0f} | {result['ratio'][name]:.2f} "
            f"| {result['cpu_us'][name] / 1000:.2f} ms |"
        )
    return "\n".join(lines)


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--duration", type=int, default=10)
    parser.add_argument("--rounds", type=int, default=2)
    args = parser.parse_args()
    result = measure(args.duration, args.rounds)
    (OUT / "restrictions_speed.json").write_text(json.dumps(result, indent=2), encoding="utf-8")
    print(f"{result['when']}, load {result['load']}")  # noqa: T201
    print(table(result))  # noqa: T201


if __name__ == "__main__":
    main()
