"""What the bundled tier snapshots cost: first load in a fresh process, then each lookup.

    uv run python benchmarks/tier_tables.py [--runs 5] [--lookups 20000]

Cold figures come from ``--runs`` fresh Python processes (the core only, no Django), each
timing with ``time.process_time`` (its own CPU, so other processes on the machine inflate it
less than wall time):

- **import**: ``import riskcalc.calc.profiles``;
- **first lookup**: the first ``tier_table("binance_usdm", "BTCUSDT")``: reads the 345-table
  Binance file, parses its JSON, validates the one table asked for. This is what the first
  request of a worker that uses a Binance preset pays;
- **one more symbol**: the first lookup of another symbol (only that table is validated);
- **all tables**: ``bundled_tables`` for every exchange, i.e. every table validated, as the
  system check (``manage.py check``) does once at deploy.

Warm figures are best-of-5 means over ``--lookups`` calls in this process: ``tier_table`` of a
cached table and ``symbols`` of the Binance file. Per request: the median CPU time of
``--requests`` API liquidation requests with a Binance preset (Django's test client, production
settings, a throwaway SQLite database), with the stored-table lookup of
``riskcalc/exchange_data.py`` registered as in production and without it, 3 rounds. Figures go to
benchmarks/README.md ("Tier snapshots").
"""

from __future__ import annotations

import argparse
import json
import os
import secrets
import statistics
import subprocess
import sys
import tempfile
import time
from pathlib import Path

ROOT = Path(__file__).resolve().parent.parent
if str(ROOT) not in sys.path:  # run as a script, sys.path[0] is benchmarks/
    sys.path.insert(0, str(ROOT))

COLD = """
import json, time
t0 = time.process_time()
from riskcalc.calc.profiles import bundled_tables, list_profiles, tier_table
t1 = time.process_time()
tier_table("binance_usdm", "BTCUSDT")
t2 = time.process_time()
tier_table("binance_usdm", "SOLUSDT")
t3 = time.process_time()
for p in list_profiles():
    bundled_tables(p.name)
t4 = time.process_time()
print(json.dumps({"import": t1 - t0, "first lookup": t2 - t1, "one more symbol": t3 - t2,
                  "all tables": t4 - t3}))
"""


def cold(runs: int) -> dict[str, float]:
    """Median milliseconds of each cold step over ``runs`` fresh processes."""
    samples: dict[str, list[float]] = {}
    for _ in range(runs):
        out = subprocess.run(
            [sys.executable, "-c", COLD], cwd=ROOT, check=True, capture_output=True, text=True
        ).stdout
        for name, seconds in json.loads(out).items():
            samples.setdefault(name, []).append(seconds * 1000)
    return {name: statistics.median(values) for name, values in samples.items()}


def warm(lookups: int) -> dict[str, float]:
    """Best-of-5 mean microseconds per warm ``tier_table`` and ``symbols`` call."""
    from riskcalc.calc.profiles import symbols, tier_table

    tier_table("binance_usdm", "BTCUSDT")
    results = {}
    for name, call in (
        ("tier_table (cached)", lambda: tier_table("binance_usdm", "BTCUSDT")),
        ("symbols (345)", lambda: symbols("binance_usdm")),
    ):
        best = float("inf")
        for _ in range(5):
            start = time.process_time()
            for _ in range(lookups):
                call()
            best = min(best, time.process_time() - start)
        results[name] = best / lookups * 1e6
    return results


PER_REQUEST = """
import os, statistics, sys, time
import django
django.setup()
from django.core.management import call_command
from django.test import Client
from riskcalc.calc.profiles import set_table_source
from riskcalc.exchange_data import stored_tables_source
call_command("migrate", verbosity=0)
call_command("createcachetable")
client = Client(HTTP_HOST="localhost")
url = ("/api/v1/liquidation?side=long&entry_price=60000&quantity=1&leverage=10"
       "&exchange=binance_usdm&symbol=BTCUSDT")
for _ in range(50):
    client.get(url)
def run(n):
    samples = []
    for _ in range(n):
        start = time.process_time()
        response = client.get(url)
        samples.append(time.process_time() - start)
    assert response.status_code == 200, response.content
    return statistics.median(samples) * 1e6
results = {}
for _ in range(3):
    set_table_source(stored_tables_source)
    results.setdefault("stored tables", []).append(run(int(sys.argv[1])))
    set_table_source(None)
    results.setdefault("bundled only", []).append(run(int(sys.argv[1])))
for name, values in results.items():
    print(f"{name:<22} {statistics.median(values):8.0f} µs (API request, median of 3 rounds)")
"""


def per_request(requests: int) -> str:
    """CPU per API request with a Binance preset, with the stored-table lookup registered
    (production) and without it (bundled only), on a throwaway SQLite database."""
    with tempfile.TemporaryDirectory() as folder:
        env = {
            **os.environ,
            "DJANGO_SETTINGS_MODULE": "riskcalc.settings",
            "DJANGO_DEBUG": "false",
            "DJANGO_SECRET_KEY": secrets.token_urlsafe(50),
            "DJANGO_HTTPS": "false",
            "DJANGO_REQUEST_LOG": "false",
            "DATABASE_URL": f"sqlite:///{folder}/bench.sqlite3",
        }
        return subprocess.run(
            [sys.executable, "-c", PER_REQUEST, str(requests)],
            cwd=ROOT,
            env=env,
            check=True,
            capture_output=True,
            text=True,
        ).stdout


def main(argv: list[str] | None = None) -> None:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--runs", type=int, default=5)
    parser.add_argument("--lookups", type=int, default=20000)
    parser.add_argument("--requests", type=int, default=400, help="0 skips the API figure")
    args = parser.parse_args(argv)
    size = (ROOT / "riskcalc" / "calc" / "data" / "tiers" / "binance_usdm.json").stat().st_size
    print(f"binance_usdm.json: {size / 1024:.0f} KiB")
    for name, ms in cold(args.runs).items():
        print(f"{name:<22} {ms:8.1f} ms (median of {args.runs} processes)")
    for name, us in warm(args.lookups).items():
        print(f"{name:<22} {us:8.2f} µs")
    if args.requests:
        print(per_request(args.requests), end="")


if __name__ == "__main__":
    main()
