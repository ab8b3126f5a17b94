"""The page benchmarks stay runnable: their parsing and tables work on canned data, the
worked-example link they read is still on the calculator pages, and the CPU accounting of
the server's workers reads /proc right. No server, browser or timed assertion."""

from __future__ import annotations

import os
import signal
import subprocess
import sys

from django.test import Client

from benchmarks import lighthouse, page_weight, partial_speed
from benchmarks.api_load import workers_cpu_seconds
from benchmarks.pages_server import CALCULATORS, EXAMPLE_LINK


def test_page_weight_sums_the_first_view_and_keeps_plotly_apart() -> None:
    R = page_weight.Response
    responses = [
        R("http://h/calculators/liquidation/", 200, "text/html", "", 5000, 25000, "first view"),
        R("http://h/static/site.css", 200, "text/css", "br", 1000, 4000, "first view"),
        R("data:image/svg+xml,x", 200, "image/svg+xml", "", 0, 100, "first view"),
        R("http://h/calculators/liquidation/?q", 200, "text/html", "gzip", 9000, 45000, "example"),
        R(
            "http://h/static/vendor/plotly/p.js",
            200,
            "text/javascript",
            "br",
            300_000,
            1,
            "example",
        ),
    ]
    result = page_weight.PageWeight(path="/calculators/liquidation/", charts_drawn=2)
    result = page_weight.summarise(result, responses, "h")
    assert (result.first_view, result.first_view_requests, result.document) == (6000, 2, 5000)
    assert result.plotly == 300_000 and result.with_charts == 315_000
    assert result.uncompressed_text == ["/calculators/liquidation/ (25000 B)"]
    assert "`/calculators/liquidation/` | 5.9 (2)" in page_weight.table([result])


def test_lighthouse_summary_reads_scores_and_failing_audits() -> None:
    report = {
        "categories": {
            "performance": {"score": 0.88, "auditRefs": [{"id": "tbt", "weight": 30}]},
            "best-practices": {"score": 1, "auditRefs": [{"id": "errors", "weight": 1}]},
        },
        "audits": {
            "tbt": {"score": 0.5, "scoreDisplayMode": "numeric", "displayValue": "400 ms"},
            "errors": {"score": 1, "scoreDisplayMode": "binary"},
            "total-blocking-time": {"displayValue": "400 ms"},
        },
    }
    result = lighthouse.summary(report)
    assert result["scores"] == {"performance": 88, "best-practices": 100}
    assert result["failing"] == {"performance": ["tbt (400 ms)"]}
    assert "| **88** |" in lighthouse.table({"/x/": result})
    assert lighthouse.slug("/calculators/position-size/") == "calculators-position-size"


def test_partial_speed_tables_mark_ratios_over_the_target() -> None:
    urls = {"bare": "/__bare__", "pnl": "/calculators/pnl/?side=long"}
    inprocess = {
        "urls": urls,
        "median_us": {"bare": 300, "pnl": 1200},
        "ratio": {"bare": 1.0, "pnl": 4.0},
        "median_cpu_us": {"bare": 250, "pnl": 700},
        "ratio_cpu": {"bare": 1.0, "pnl": 2.8},
    }
    assert "| pnl | 1200 | **4.00** | 700 | 2.80 |" in partial_speed.inprocess_table(inprocess)
    under_wrk = {**inprocess, "rps": {"bare": 600, "pnl": 300}, "p50_ms": {"bare": 5, "pnl": 9}}
    under_wrk["ratio"] = {"bare": 1.0, "pnl": 2.0}
    under_wrk["cpu_us"] = {"bare": 600, "pnl": 1900}
    under_wrk["ratio_cpu"] = {"bare": 1.0, "pnl": 1900 / 600}
    assert "| pnl | 300 | 9.00 | 2.00 | 1900 | **3.17** |" in partial_speed.wrk_table(under_wrk)
    paths = partial_speed.partial_paths(lambda path: "a=1" if "pnl" in path else None)
    assert paths == {"pnl": "/calculators/pnl/?a=1"}


def test_the_liquidation_page_still_links_its_worked_example() -> None:
    """partial_speed.py times each partial with the query this link carries."""
    page = Client().get(CALCULATORS["liquidation"]).content.decode()
    match = EXAMPLE_LINK.search(page)
    assert match and "entry_price=" in match.group(1)


def test_partial_speed_varies_the_entry_price_exactly() -> None:
    url = "/calculators/pnl/?side=long&entry_price=20000&exit_price=20200"
    assert partial_speed.varied(url, 0) == url
    assert partial_speed.varied(url, 123) == url.replace("20000", "20001.23")
    margin = "/calculators/margin/?quantity=1&price=31967.27"
    assert partial_speed.varied(margin, 5) == margin.replace("31967.27", "31967.32")


# A stand-in for gunicorn's master: it starts one "worker" that burns 0.3 s of CPU and then
# sleeps, says so, and waits. Its own CPU (start-up) is not its children's.
MASTER = """
import subprocess, sys
busy = (
    "import time\\n"
    "end = time.process_time() + 0.3\\n"
    "while time.process_time() < end: pass\\n"
    "print(flush=True)\\n"
    "time.sleep(60)"
)
worker = subprocess.Popen([sys.executable, "-c", busy], stdout=subprocess.PIPE)
worker.stdout.readline()
print(flush=True)
worker.wait()
"""


def test_workers_cpu_seconds_counts_the_cpu_of_a_master_process_children() -> None:
    """partial_speed.py divides the gunicorn workers' CPU by the requests served."""
    master = subprocess.Popen(
        [sys.executable, "-c", MASTER], stdout=subprocess.PIPE, start_new_session=True
    )
    try:
        assert master.stdout is not None
        master.stdout.readline()  # the worker has burnt its 0.3 s of CPU and now sleeps
        used = workers_cpu_seconds(master.pid)
        # The 0.3 s burnt, less a clock tick or two of sampling, plus the worker's start-up.
        assert 0.28 <= used < 1
    finally:
        os.killpg(master.pid, signal.SIGKILL)
        master.wait()
