"""Server time of each calculator's htmx partial against a bare Django view, in the same run.

    uv run python benchmarks/partial_speed.py [--mode inprocess|wrk|both] [--requests 300]
                                              [--duration 10] [--rounds 2] [--no-static]
                                              [--vary]

The partial is ``GET /calculators/<name>/?<worked example>`` with ``HX-Request: true`` (the
result block htmx swaps in as someone types); the worked example is the query string the
empty page's "try the worked example" link carries, read from the page itself, so the inputs
follow the templates. The bare view is ``/__bare__`` from ``benchmarks/bench_urls.py`` (a
``JsonResponse({"ok": true})`` through the same settings, middleware and URL resolver; only
``benchmarks/bench_wsgi.py`` serves it, never production). Both send
``Accept-Encoding: gzip, br`` as a browser does, so compressing the partial is counted.

- **inprocess**: Django's test ``Client`` in this process with production settings
  (``benchmarks/pages_server.py``), requests interleaved, one of each URL per round in a
  shuffled order (fixed seed), so background load and Python's garbage collections fall on
  all alike (in a fixed order, the collections fell in step with one URL's slot and moved
  its median by a fifth); ``time.perf_counter`` (wall) and ``time.process_time``
  (this process's CPU) around each request; median per URL and the ratio partial / bare. On
  a loaded machine the wall ratio is inflated: a request longer than the bare one is more
  often preempted mid-way and waits for its next time slice, so read the CPU ratio there.
  The request log is written to /dev/null (formatted, as in production, but not printed).
  ``--vary`` gives every partial request a distinct input (the entry price, or the margin
  page's price, raised by 0.01 per request), so nothing a process may keep between requests
  can answer a repeated URL: the cold figure. The full page and the deferred analysis of a
  valid query are kept per process (``kept_key`` in riskcalc/views/calculators.py), so for
  those two rows the same-URL figure is a kept page (a cache hit) and the ``--vary`` figure
  a page rendered from scratch (a miss); the typing partials are never kept, so theirs agree.
- **wrk**: gunicorn with production settings, 2 sync workers (``api_load.start_server``),
  ``wrk -t1 -c10 -d<duration>s --latency`` per URL, the bare view and every partial in turn
  for ``--rounds`` rounds. Two figures, medians over rounds:

  - **worker CPU per request**: the CPU time (user + system, from /proc) the gunicorn
    workers used during the run, divided by the requests wrk counted: the server's own time
    per request, HTTP parsing and writing included, and the client's share of the two cores
    left out. This is the target's figure.
  - **throughput ratio**: with 10 connections on 2 workers the server is saturated, so
    bare req/s / partial req/s is the ratio of mean wall times per request. wrk runs on the
    same 2 cores and takes a larger share of them from the faster URL, which pulls this
    ratio towards 1: read it as a check on the CPU figure, not instead of it.

Writes ``benchmarks/out/partial_speed.json`` and prints Markdown tables. Target (issue 5):
partial / bare at most 3, in server time: the wrk run's worker CPU per request.
"""

from __future__ import annotations

import argparse
import datetime
import gzip
import html
import json
import logging
import os
import random
import secrets
import statistics
import sys
import time
import urllib.parse
from decimal import Decimal
from pathlib import Path
from typing import Any

if __package__ in (None, ""):  # run as a script: make `benchmarks` importable
    sys.path.insert(0, str(Path(__file__).resolve().parent.parent))

from benchmarks.api_load import wrk  # noqa: E402
from benchmarks.pages_server import (  # noqa: E402
    CALCULATORS,
    EXAMPLE_LINK,
    OUT,
    environment,
    example_query,
    load_average,
    prepare,
    serve_process,
)

BARE = "/__bare__"
HTMX = {"HX-Request": "true", "Accept-Encoding": "gzip, br"}
TARGET = 3.0
# The liquidation result defers its scenario table and charts to a second htmx request
# (HX-Target: analysis) made once that block is on screen: measured as its own row.
ANALYSIS = "liquidation analysis"
# The whole liquidation page with its result, as a shared link opens (no htmx; issue 14).
PAGE = "liquidation page"
HEADERS = {ANALYSIS: {**HTMX, "HX-Target": "analysis"}, PAGE: {"Accept-Encoding": "gzip, br"}}


def headers_for(name: str) -> dict[str, str]:
    return HEADERS.get(name, HTMX)


def with_analysis(urls: dict[str, str]) -> dict[str, str]:
    """``urls`` plus the liquidation analysis request and the full liquidation page (the
    same URL), right after liquidation."""
    out: dict[str, str] = {}
    for name, url in urls.items():
        out[name] = url
        if name == "liquidation":
            out[ANALYSIS] = url
            out[PAGE] = url
    return out


def partial_paths(fetch_page: Any) -> dict[str, str]:
    """name -> partial URL with the page's worked example; skips pages without one."""
    paths = {}
    for name, path in CALCULATORS.items():
        query = fetch_page(path)
        if query:
            paths[name] = f"{path}?{query}"
    return paths


VARIED = ("entry_price", "price")  # the first of these in a partial's query is varied


def varied(url: str, index: int) -> str:
    """``url`` with its entry price (or price) raised by ``index`` hundredths, exactly."""
    path, _, query = url.partition("?")
    pairs = urllib.parse.parse_qsl(query, keep_blank_values=True)
    names = [name for name, _ in pairs]
    field = next(name for name in VARIED if name in names)
    pairs = [
        (name, str(Decimal(value) + Decimal(index) / 100) if name == field else value)
        for name, value in pairs
    ]
    return f"{path}?{urllib.parse.urlencode(pairs)}"


def in_process(requests: int, warmup: int = 20, *, vary: bool = False) -> dict[str, Any]:
    os.environ.update(environment())
    os.environ["DJANGO_ALLOWED_HOSTS"] = "127.0.0.1,testserver"
    os.environ.setdefault("DJANGO_SECRET_KEY", secrets.token_urlsafe(50))
    import django
    from django.conf import settings

    settings.ROOT_URLCONF = "benchmarks.bench_urls"  # as benchmarks/bench_wsgi.py does
    django.setup()
    from django.test import Client

    devnull = open(os.devnull, "w")  # noqa: SIM115  # lives as long as the process
    for handler in logging.getLogger().handlers:
        if isinstance(handler, logging.StreamHandler):
            handler.setStream(devnull)

    client = Client()

    def fetch_page(path: str) -> str | None:
        match = EXAMPLE_LINK.search(client.get(path).content.decode())
        return html.unescape(match.group(1)) if match else None

    urls = with_analysis({"bare": BARE, **partial_paths(fetch_page)})
    for name, url in urls.items():
        response = client.get(url, headers=headers_for(name))
        body = response.content
        assert response.status_code == 200, (url, response.status_code)
        if name not in ("bare", PAGE):
            assert b"<html" not in body and response["Content-Encoding"] == "gzip", url
        if vary and name != "bare":  # the last varied input still gives a result
            last = client.get(varied(url, warmup + requests - 1), headers=headers_for(name))
            marker = b"scenario-table" if name in (ANALYSIS, PAGE) else b"data-key-figure"
            assert marker in gzip.decompress(last.content), varied(url, 0)
    wall: dict[str, list[float]] = {name: [] for name in urls}
    cpu: dict[str, list[float]] = {name: [] for name in urls}
    order = list(urls.items())
    shuffle = random.Random(5).shuffle  # fixed seed: the same orders on every run
    for index in range(warmup + requests):
        shuffle(order)
        for name, url in order:
            if vary and name != "bare":
                url = varied(url, index)
            start, start_cpu = time.perf_counter(), time.process_time()
            client.get(url, headers=headers_for(name))
            if index >= warmup:
                wall[name].append((time.perf_counter() - start) * 1e6)
                cpu[name].append((time.process_time() - start_cpu) * 1e6)
    median = {name: statistics.median(values) for name, values in wall.items()}
    median_cpu = {name: statistics.median(values) for name, values in cpu.items()}
    return {
        "requests": requests,
        "vary": vary,
        "urls": urls,
        "median_us": median,
        "ratio": {name: value / median["bare"] for name, value in median.items()},
        "median_cpu_us": median_cpu,
        "ratio_cpu": {name: value / median_cpu["bare"] for name, value in median_cpu.items()},
    }


def under_wrk(duration: int, rounds: int, connections: int = 10) -> dict[str, Any]:
    with serve_process() as (base, server):
        urls = with_analysis(
            {"bare": BARE, **partial_paths(lambda path: example_query(base, path))}
        )

        def headers(name: str) -> tuple[str, ...]:
            return tuple(f"{k}: {v}" for k, v in headers_for(name).items())

        for name, url in urls.items():  # warm both workers
            wrk(base + url, 2, connections, 1, headers(name))
        runs: dict[str, list[dict[str, float]]] = {name: [] for name in urls}
        for _ in range(rounds):
            for name, url in urls.items():
                runs[name].append(
                    wrk(base + url, duration, connections, 1, headers(name), workers_of=server.pid)
                )
    rps = {name: statistics.median(r["rps"] for r in values) for name, values in runs.items()}
    p50 = {name: statistics.median(r["p50"] for r in values) for name, values in runs.items()}
    cpu = {name: statistics.median(r["cpu_us"] for r in values) for name, values in runs.items()}
    return {
        "duration": duration,
        "rounds": rounds,
        "connections": connections,
        "urls": urls,
        "runs": runs,
        "rps": rps,
        "p50_ms": p50,
        "ratio": {name: rps["bare"] / value for name, value in rps.items()},
        "cpu_us": cpu,
        "ratio_cpu": {name: value / cpu["bare"] for name, value in cpu.items()},
    }


def mark(ratio: float) -> str:
    return f"{ratio:.2f}" if ratio <= TARGET else f"**{ratio:.2f}**"


def inprocess_table(result: dict[str, Any]) -> str:
    lines = [
        "| URL | median wall µs | ratio to bare | median CPU µs | CPU ratio to bare |",
        "|---|---:|---:|---:|---:|",
    ]
    for name in result["urls"]:
        lines.append(
            f"| {name} | {result['median_us'][name]:.0f} | {mark(result['ratio'][name])} "
            f"| {result['median_cpu_us'][name]:.0f} | {mark(result['ratio_cpu'][name])} |"
        )
    return "\n".join(lines)


def wrk_table(result: dict[str, Any]) -> str:
    lines = [
        "| URL | req/s (median of rounds) | p50 ms | ratio (bare req/s ÷ req/s) "
        "| worker CPU µs per request | CPU ratio to bare |",
        "|---|---:|---:|---:|---:|---:|",
    ]
    for name in result["urls"]:
        lines.append(
            f"| {name} | {result['rps'][name]:.0f} | {result['p50_ms'][name]:.2f} "
            f"| {mark(result['ratio'][name])} | {result['cpu_us'][name]:.0f} "
            f"| {mark(result['ratio_cpu'][name])} |"
        )
    return "\n".join(lines)


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--mode", choices=("inprocess", "wrk", "both"), default="both")
    parser.add_argument("--requests", type=int, default=300, help="in-process, per URL")
    parser.add_argument("--duration", type=int, default=10, help="wrk seconds per URL")
    parser.add_argument("--rounds", type=int, default=2, help="wrk rounds over all URLs")
    parser.add_argument("--no-static", action="store_true", help="skip collectstatic")
    parser.add_argument(
        "--vary", action="store_true", help="in-process: a distinct input on every request"
    )
    parser.add_argument("--out", type=Path, default=OUT / "partial_speed.json")
    args = parser.parse_args()
    prepare(static=not args.no_static)
    report: dict[str, Any] = {}
    if args.mode in ("wrk", "both"):  # first: gunicorn workers fork from a clean process
        report["wrk"] = under_wrk(args.duration, args.rounds)
        report["wrk"]["load_average"] = load_average()
    if args.mode in ("inprocess", "both"):
        report["inprocess"] = in_process(args.requests, vary=args.vary)
        report["inprocess"]["load_average"] = load_average()
    report["date"] = datetime.datetime.now().astimezone().isoformat(timespec="seconds")
    args.out.parent.mkdir(parents=True, exist_ok=True)
    args.out.write_text(json.dumps(report, indent=2))
    print(f"{report['date']}; HX-Request: true, Accept-Encoding: gzip, br\n")
    if "wrk" in report:
        r = report["wrk"]
        print(
            f"wrk -t1 -c{r['connections']} -d{r['duration']}s, {r['rounds']} rounds, gunicorn 2 "
            f"sync workers; load average {r['load_average']}\n"
        )
        print(wrk_table(r) + "\n")
    if "inprocess" in report:
        r = report["inprocess"]
        inputs = "a distinct entry price every request (--vary)" if r["vary"] else "same URL"
        print(
            f"In process (test Client), {r['requests']} requests per URL, interleaved, "
            f"{inputs}; load average {r['load_average']}\n"
        )
        print(inprocess_table(r) + "\n")
    for name, url in next(iter(v["urls"] for k, v in report.items() if k != "date")).items():
        print(f"{name}: {url}")
    print(f"\nJSON: {os.path.relpath(args.out)}")


if __name__ == "__main__":
    main()
