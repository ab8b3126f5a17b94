"""Lighthouse mobile scores of the calculator pages on the production-settings server.

    uv run python benchmarks/lighthouse.py [PATH ...] [--base-url URL] [--no-static]

Without ``--base-url`` it collects static files and starts gunicorn with production settings
(``benchmarks/pages_server.py``). Each path is audited once by Lighthouse 12.8.2 (``npx``
caches it outside the checkout; Lighthouse 13 needs Node 22) in Debian's Chromium, with
Lighthouse's defaults: mobile form factor, simulated throttling (slow 4G, 4x CPU slowdown).
Performance depends on the machine's load (total blocking time is measured on this CPU), so
the run records the load average beside the scores.

Writes each report to ``benchmarks/out/lighthouse/<page>.json``, a summary to
``benchmarks/out/lighthouse.json`` and prints the scores and every failing audit. Targets
(issue 5): performance at least 90, accessibility 100, best practices at least 95.
"""

from __future__ import annotations

import argparse
import datetime
import json
import os
import re
import subprocess
import sys
from pathlib import Path
from typing import Any

if __package__ in (None, ""):  # run as a script: make `benchmarks` importable
    sys.path.insert(0, str(Path(__file__).resolve().parent.parent))

from benchmarks.pages_server import (  # noqa: E402
    CALCULATORS,
    OUT,
    load_average,
    run_on_server,
)

LIGHTHOUSE = "lighthouse@12.8.2"
CHROME_FLAGS = "--headless=new --no-sandbox --disable-gpu"
CATEGORIES = ("performance", "accessibility", "best-practices", "seo")
TARGETS = {"performance": 90, "accessibility": 100, "best-practices": 95}


def slug(path: str) -> str:
    return re.sub(r"[^a-z0-9]+", "-", path.lower()).strip("-") or "home"


def audit(url: str, report: Path) -> dict[str, Any]:
    """Run Lighthouse on one URL; return its JSON report."""
    report.parent.mkdir(parents=True, exist_ok=True)
    command = [
        "npx",
        "--yes",
        LIGHTHOUSE,
        url,
        "--quiet",
        f"--chrome-flags={CHROME_FLAGS}",
        "--output=json",
        f"--output-path={report}",
    ]
    env = {**os.environ, "CHROME_PATH": "/usr/bin/chromium", "NPM_CONFIG_LOGLEVEL": "error"}
    subprocess.run(command, check=True, env=env, stdout=subprocess.DEVNULL)
    return json.loads(report.read_text())


def summary(report: dict[str, Any]) -> dict[str, Any]:
    """Scores (0-100) per category and the failing audits that count towards a category."""
    scores = {
        name: round(report["categories"][name]["score"] * 100)
        for name in CATEGORIES
        if report["categories"].get(name, {}).get("score") is not None
    }
    failing: dict[str, list[str]] = {}
    for name in CATEGORIES:
        for ref in report["categories"].get(name, {}).get("auditRefs", []):
            result = report["audits"][ref["id"]]
            mode = result.get("scoreDisplayMode")
            score = result["score"] or 0
            # Binary and savings audits fail below 1; a metric counts once it leaves "good".
            if (mode in {"binary", "metricSavings"} and score < 1) or (
                mode == "numeric" and ref.get("weight", 0) > 0 and score < 0.9
            ):
                shown = result.get("displayValue", "")
                failing.setdefault(name, []).append(ref["id"] + (f" ({shown})" if shown else ""))
    metrics = {
        key: report["audits"][key].get("displayValue", "")
        for key in (
            "first-contentful-paint",
            "largest-contentful-paint",
            "total-blocking-time",
            "cumulative-layout-shift",
            "speed-index",
        )
        if key in report["audits"]
    }
    return {"scores": scores, "failing": failing, "metrics": metrics}


def table(results: dict[str, dict[str, Any]]) -> str:
    lines = [
        "| page | performance | accessibility | best practices | SEO | FCP / LCP / TBT / CLS |",
        "|---|---:|---:|---:|---:|---|",
    ]
    for path, result in results.items():
        cells = []
        for name in CATEGORIES:
            score = result["scores"].get(name)
            missed = name in TARGETS and score is not None and score < TARGETS[name]
            cells.append("–" if score is None else f"**{score}**" if missed else str(score))
        m = result["metrics"]
        timing = " / ".join(
            m.get(key, "–")
            for key in (
                "first-contentful-paint",
                "largest-contentful-paint",
                "total-blocking-time",
                "cumulative-layout-shift",
            )
        )
        lines.append(f"| `{path}` | {' | '.join(cells)} | {timing} |")
    return "\n".join(lines)


def run(base: str, paths: list[str]) -> dict[str, dict[str, Any]]:
    return {
        path: summary(audit(base + path, OUT / "lighthouse" / f"{slug(path)}.json"))
        for path in paths
    }


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("paths", nargs="*", default=list(CALCULATORS.values()))
    parser.add_argument("--base-url", help="audit a running server instead of starting one")
    parser.add_argument("--no-static", action="store_true", help="skip collectstatic")
    parser.add_argument("--out", type=Path, default=OUT / "lighthouse.json")
    args = parser.parse_args()
    load_before = load_average()
    results = run_on_server(
        args.base_url, lambda base: run(base, args.paths), static=not args.no_static
    )
    when = datetime.datetime.now().astimezone().isoformat(timespec="seconds")
    load = load_average()
    args.out.parent.mkdir(parents=True, exist_ok=True)
    args.out.write_text(
        json.dumps(
            {
                "date": when,
                "lighthouse": LIGHTHOUSE,
                "load_average_before": load_before,
                "load_average_after": load,
                "pages": results,
            },
            indent=2,
        )
    )
    print(f"{when}; {LIGHTHOUSE} mobile; load average before {load_before}, after {load}\n")
    print(table(results))
    for path, result in results.items():
        for name, audits in result["failing"].items():
            print(f"\n{path} {name}: {', '.join(audits)}")
    print(f"\nJSON: {os.path.relpath(args.out)}; reports in benchmarks/out/lighthouse/")


if __name__ == "__main__":
    main()
