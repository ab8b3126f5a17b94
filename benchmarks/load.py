"""Load and fault figures: wrk against gunicorn on PostgreSQL, then PostgreSQL stopped mid-run.

    uv run python benchmarks/load.py                         # make bench-load: 60 s x 50 conns
    uv run python benchmarks/load.py --duration 10 --skip-fault   # a quick look

Setup: a throwaway PostgreSQL 15 cluster (tests/pg.py), migrated, restriction facts loaded;
gunicorn with the production gunicorn.conf.py, ``--workers`` sync workers (default 2, the
machine's cores), worker recycling off so memory growth shows, serving
``benchmarks.bench_wsgi:application``: the site plus ``/__bare__`` (a Django view returning a
tiny JSON body through the same middleware), shared with benchmarks/api_load.py.

Load: for each target, ``wrk -t<threads> -c<connections> -d<duration>s --latency`` after a
3-second warm-up, in this order: bare view, home page, calculator partial (``HX-Request``),
API, restrictions table. Reported: req/s, p50, p99, errors (socket errors plus non-2xx) and
req/s as a fraction of the bare view's. Each worker's RSS is read from /proc before the first
and after the last measurement.

Fault: wrk (``--fault-connections``, default 10, so the probe is not starved) keeps loading
the restrictions table (a database read) and a probe requests it
every 100 ms, while simulated students submit classroom answers (POST, idempotency key,
retrying on 503 or a dropped connection, as the lesson page's script does); PostgreSQL is
stopped (``pg_ctl stop -m fast``) after ``--fault-before`` seconds and started again
``--fault-outage`` seconds later. Reported: status counts per phase, time from the stop to
the first 503 and from the start to the first 200, 5xx other than 503, and answers sent,
retried and stored (read back from PostgreSQL) with duplicates.

Prints Markdown for benchmarks/README.md ("Load and faults").
"""

from __future__ import annotations

import argparse
import os
import re
import shutil
import subprocess
import sys
import threading
import time
from collections import Counter
from dataclasses import dataclass, field
from pathlib import Path

ROOT = Path(__file__).resolve().parent.parent
sys.path.insert(0, str(ROOT))

from tests.appserver import (  # noqa: E402
    AppServer,
    HttpClient,
    manage,
    prepare_database,
    production_environment,
)
from tests.pg import TemporaryPostgres  # noqa: E402

CALCULATOR_QUERY = (
    "side=long&entry_price=20000&quantity=1&leverage=50&margin_mode=isolated"
    "&maintenance_margin_rate=0.005&mm_basis=entry"
)
TARGETS: list[tuple[str, str, dict[str, str]]] = [
    ("bare Django view `/__bare__`", "/__bare__", {}),
    ("home page `/`", "/", {}),
    (
        "calculator partial `/calculators/liquidation/?…` + `HX-Request`",
        f"/calculators/liquidation/?{CALCULATOR_QUERY}",
        {"HX-Request": "true"},
    ),
    (
        "API `/api/v1/liquidation?…`",
        "/api/v1/liquidation?side=long&entry_price=20000&quantity=1&leverage=50"
        "&maintenance_margin_rate=0.005&mm_basis=entry",
        {},
    ),
    ("restrictions table `/learn/restrictions/`", "/learn/restrictions/", {}),
]
LESSON = "liquidation-distance"
EXERCISES = ("margin-wipe-move", "liquidation-price-long", "liquidation-distance")
UNITS = {"us": 0.001, "ms": 1.0, "s": 1000.0}


@dataclass
class WrkResult:
    requests: int
    rps: float
    p50_ms: float
    p99_ms: float
    non_2xx: int
    socket_errors: int
    command: str

    @property
    def errors(self) -> int:
        return self.non_2xx + self.socket_errors


def wrk(
    url: str, headers: dict[str, str], duration: int, connections: int, threads: int
) -> WrkResult:
    # A 10 s timeout (wrk's default is 2 s) so a slow page shows in p99 rather than as errors.
    command = [
        "wrk",
        f"-t{threads}",
        f"-c{connections}",
        f"-d{duration}s",
        "--timeout",
        "10s",
        "--latency",
    ]
    for name, value in headers.items():
        command += ["-H", f"{name}: {value}"]
    command.append(url)
    output = subprocess.run(command, check=True, capture_output=True, text=True).stdout
    latency = {}
    for percent in ("50", "99"):
        match = re.search(rf"^\s+{percent}(?:\.000)?%\s+([\d.]+)(us|ms|s)\s*$", output, re.M)
        assert match, output
        latency[percent] = float(match.group(1)) * UNITS[match.group(2)]
    non_2xx = re.search(r"Non-2xx or 3xx responses:\s+(\d+)", output)
    socket = re.search(
        r"Socket errors: connect (\d+), read (\d+), write (\d+), timeout (\d+)", output
    )
    return WrkResult(
        requests=int(re.search(r"(\d+) requests in", output).group(1)),  # type: ignore[union-attr]
        rps=float(re.search(r"Requests/sec:\s+([\d.]+)", output).group(1)),  # type: ignore[union-attr]
        p50_ms=latency["50"],
        p99_ms=latency["99"],
        non_2xx=int(non_2xx.group(1)) if non_2xx else 0,
        socket_errors=sum(int(n) for n in socket.groups()) if socket else 0,
        command=" ".join(
            c if " " not in c else f"'{c}'" for c in command[:-1] + ["http://127.0.0.1:PORT…"]
        ),
    )


def rss_kib(pid: int) -> int:
    for line in Path(f"/proc/{pid}/status").read_text().splitlines():
        if line.startswith("VmRSS:"):
            return int(line.split()[1])
    raise RuntimeError(f"no VmRSS for {pid}")


# --- fault run ------------------------------------------------------------------------------


@dataclass
class Probe:
    """GETs one URL every 100 ms and records (time, status)."""

    url: str
    samples: list[tuple[float, int]] = field(default_factory=list)
    stop: threading.Event = field(default_factory=threading.Event)

    def run(self) -> None:
        client = HttpClient()
        while not self.stop.is_set():
            try:
                status = client.get(self.url, timeout=10).status
            except OSError:
                status = 0  # connection refused or reset
            self.samples.append((time.monotonic(), status))
            time.sleep(0.1)


@dataclass
class Student:
    """Joins a class and submits answers one after another, retrying each until stored."""

    base_url: str
    answer_path: str
    client: HttpClient
    number: int
    answers: int
    stop_after: float
    sent: int = 0
    attempts: int = 0
    statuses: Counter[int] = field(default_factory=Counter)

    def run(self) -> None:
        for n in range(self.answers):
            data = {
                "exercise": EXERCISES[n % len(EXERCISES)],
                "answer": f"{19000 + n}.5",
                "idempotency_key": f"student{self.number}-{n}",
            }
            while True:
                self.attempts += 1
                try:
                    status = self.client.post(
                        self.base_url + self.answer_path,
                        data,
                        headers={"HX-Request": "true"},
                        timeout=10,
                    ).status
                except OSError:
                    status = 0
                self.statuses[status] += 1
                if status == 200:
                    self.sent += 1
                    break
                time.sleep(0.5)
            time.sleep(0.25)


def start_class(base_url: str, students: int) -> tuple[str, list[tuple[HttpClient, str]]]:
    teacher = HttpClient()
    teacher.get(f"{base_url}/classroom/{LESSON}/?seed=1")
    dashboard = teacher.post(f"{base_url}/classroom/{LESSON}/sessions/", {}).headers["Location"]
    page = teacher.get(base_url + dashboard).text
    code = re.search(r'class="join-code"[^>]*>(\w{6})<', page).group(1)  # type: ignore[union-attr]
    joined = []
    for number in range(students):
        client = HttpClient()
        client.get(base_url + "/classroom/join/")
        response = client.post(
            base_url + "/classroom/join/", {"code": code, "nickname": f"student {number}"}
        )
        joined.append((client, response.headers["Location"].rstrip("/") + "/answer/"))
    return dashboard, joined


def phase_counts(samples: list[tuple[float, int]], start: float, end: float) -> str:
    counts = Counter(status for t, status in samples if start <= t < end)
    return ", ".join(f"{status or 'no answer'}: {n}" for status, n in sorted(counts.items()))


def fault_run(pg: TemporaryPostgres, app: AppServer, args: argparse.Namespace) -> list[str]:
    url = app.base_url + "/learn/restrictions/"
    total = args.fault_before + args.fault_outage + args.fault_after
    _, joined = start_class(app.base_url, args.students)
    students = [
        Student(app.base_url, path, client, n, args.answers, total)
        for n, (client, path) in enumerate(joined)
    ]
    probe = Probe(url)
    workers_before = app.worker_pids()
    wrk_result: list[WrkResult] = []
    load = threading.Thread(
        target=lambda: wrk_result.append(wrk(url, {}, total, args.fault_connections, args.threads))
    )
    threads = [
        threading.Thread(target=probe.run),
        *(threading.Thread(target=s.run) for s in students),
    ]
    started = time.monotonic()
    load.start()
    for thread in threads:
        thread.start()
    time.sleep(args.fault_before)
    stopped_at = time.monotonic()
    pg.stop_server("fast")
    time.sleep(args.fault_outage)
    restart_began = time.monotonic()
    pg.start_server()
    restarted_at = time.monotonic()
    load.join()
    for student in students:
        student.stop_after = 0
    for thread in threads[1:]:
        thread.join(timeout=120)
    probe.stop.set()
    threads[0].join()
    ended = time.monotonic()

    stored = pg.psql(
        "SELECT count(*), count(DISTINCT (student_id, idempotency_key)) FROM riskcalc_submission",
        database="riskcalc",
    ).strip()
    samples = probe.samples
    first_503 = next((t for t, s in samples if t >= stopped_at and s == 503), None)
    first_200 = next((t for t, s in samples if t >= restarted_at and s == 200), None)
    other_5xx = sum(1 for _, s in samples if s >= 500 and s != 503)
    answer_statuses: Counter[int] = sum((s.statuses for s in students), Counter())
    sent = sum(s.sent for s in students)
    w = wrk_result[0]
    lines = [
        f"Fault run: `{w.command}` on `/learn/restrictions/` for {total} s; PostgreSQL stopped "
        f"(`pg_ctl stop -m fast`) at {stopped_at - started:.1f} s, `pg_ctl start` issued at "
        f"{restart_began - started:.1f} s and accepting at {restarted_at - started:.1f} s; a "
        f"probe GET every 100 ms; {len(students)} students each submitting {args.answers} "
        "answers, retrying on 503 every 0.5 s.",
        "",
        "| measure | value |",
        "|---|---|",
        f"| wrk requests (all phases) | {w.requests} ({w.non_2xx} non-2xx, "
        f"{w.socket_errors} socket errors) |",
        f"| probe before the stop | {phase_counts(samples, 0, stopped_at)} |",
        f"| probe during the outage | {phase_counts(samples, stopped_at, restarted_at)} |",
        f"| probe after the restart | {phase_counts(samples, restarted_at, ended + 1)} |",
        f"| stop → first 503 | "
        f"{'%.2f s' % (first_503 - stopped_at) if first_503 else 'none seen'} |",
        f"| PostgreSQL accepting → first 200 | "
        f"{'%.2f s' % (first_200 - restarted_at) if first_200 else 'none seen'} |",
        f"| 5xx other than 503 (probe) | {other_5xx} |",
        f"| app restarted? | "
        f"{'no: same worker pids' if app.worker_pids() == workers_before else 'workers changed'} |",
        f"| classroom answers sent / acknowledged | {len(students) * args.answers} / {sent} |",
        f"| answer attempts by status | "
        f"{', '.join(f'{k or "no answer"}: {v}' for k, v in sorted(answer_statuses.items()))} |",
        f"| answers stored in PostgreSQL (rows, distinct keys) | {stored.replace('|', ', ')} |",
    ]
    return lines


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--duration", type=int, default=60, help="seconds per target")
    parser.add_argument("--connections", type=int, default=50)
    parser.add_argument("--threads", type=int, default=2)
    parser.add_argument("--workers", type=int, default=2, help="gunicorn sync workers")
    parser.add_argument("--skip-fault", action="store_true")
    parser.add_argument("--fault-before", type=int, default=10)
    parser.add_argument("--fault-outage", type=int, default=10)
    parser.add_argument("--fault-after", type=int, default=15)
    parser.add_argument("--fault-connections", type=int, default=10)
    parser.add_argument("--students", type=int, default=5)
    parser.add_argument("--answers", type=int, default=12)
    args = parser.parse_args()
    if shutil.which("wrk") is None:
        raise SystemExit("wrk is not installed: apt-get install -y wrk")

    with TemporaryPostgres() as pg:
        prepare_database(pg.url)
        env = production_environment(pg.url, GUNICORN_MAX_REQUESTS="0")
        manage("load_restrictions", env=env)
        app = AppServer(
            env, workers=args.workers, wsgi="benchmarks.bench_wsgi:application", audit_writes=False
        )
        with app:
            base = app.base_url
            for _, path, headers in TARGETS:
                probe = HttpClient().get(base + path, headers=headers)
                if probe.status != 200:
                    raise SystemExit(f"{path} answered {probe.status}:\n{probe.text[:500]}")
                wrk(base + path, headers, 3, args.connections, args.threads)
            pids = app.worker_pids()
            rss_before = {pid: rss_kib(pid) for pid in pids}
            results = []
            rss_trace: list[dict[int, int | None]] = []  # after each target, per worker
            for label, path, headers in TARGETS:
                results.append(
                    (
                        label,
                        wrk(base + path, headers, args.duration, args.connections, args.threads),
                    )
                )
                alive = set(app.worker_pids())
                rss_trace.append({pid: rss_kib(pid) if pid in alive else None for pid in pids})
            rss_after = {pid: rss_kib(pid) for pid in app.worker_pids()}
            load_average = os.getloadavg()
            fault = [] if args.skip_fault else fault_run(pg, app, args)
            server_errors = [line for line in app.log().splitlines() if '"status": 500' in line]
        version = pg.psql("SHOW server_version").strip()

    bare = results[0][1].rps
    print(
        f"{time.strftime('%Y-%m-%d')}, {os.cpu_count()} CPUs shared with the load generator, "
        f"PostgreSQL {version}, gunicorn {args.workers} sync workers (max_requests 0), "
        f"load average after the runs {load_average[0]:.1f}/{load_average[1]:.1f}/"
        f"{load_average[2]:.1f}. Each row: `{results[0][1].command}`.\n"
    )
    print("| target | req/s | p50 ms | p99 ms | errors | vs bare |")
    print("|---|---:|---:|---:|---:|---:|")
    for label, r in results:
        print(
            f"| {label} | {r.rps:,.0f} | {r.p50_ms:.1f} | {r.p99_ms:.1f} | {r.errors} "
            f"| {r.rps / bare:.2f} |"
        )
    print("\n| worker | RSS before (MiB) | RSS after (MiB) | growth |")
    print("|---|---:|---:|---:|")
    for n, pid in enumerate(pids, 1):
        before, after = rss_before[pid], rss_after.get(pid)
        if after is None:
            print(f"| {n} | {before / 1024:.1f} | (replaced) | – |")
        else:
            print(
                f"| {n} | {before / 1024:.1f} | {after / 1024:.1f} | "
                f"{(after - before) / before:+.1%} |"
            )
    print("\nRSS (MiB) after each target, in order (a leak grows step by step; the allocator's")
    print("arenas and caches filled by one request type move it up or down by a few MiB):\n")
    print("| worker | before | " + " | ".join(label.split(" `")[0] for label, _ in results) + " |")
    print("|---|---:|" + "---:|" * len(results))
    for n, pid in enumerate(pids, 1):
        trace = [row.get(pid) for row in rss_trace]
        cells = ["–" if kib is None else f"{kib / 1024:.1f}" for kib in trace]
        print(f"| {n} | {rss_before[pid] / 1024:.1f} | " + " | ".join(cells) + " |")
    if fault:
        print()
        print("\n".join(fault))
    print(f"\nHTTP 500 lines in the server log: {len(server_errors)}")


if __name__ == "__main__":
    main()
