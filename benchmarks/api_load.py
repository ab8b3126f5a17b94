"""API throughput: /api/v1/liquidation against a bare Django view, under gunicorn and wrk.

Starts gunicorn (production gunicorn.conf.py, pinned to 2 sync workers on 127.0.0.1, worker
recycling off) serving ``benchmarks.bench_wsgi:application`` — the site plus a bare JSON view
at /__bare__ going through the same middleware — then loads each URL with wrk on loopback
and prints requests/s, p50 and p99 latency and the API/bare throughput ratio as a Markdown
table for benchmarks/README.md, with the workers' CPU per request beside it (user + system
from /proc around each run, divided by the requests wrk counted: the server's own time, wrk's
share of the cores left out). Rounds alternate bare and API so background load hits both.

    uv run python benchmarks/api_load.py [--duration 10] [--connections 10] [--threads 1] [--rounds 3]
"""

from __future__ import annotations

import argparse
import os
import re
import secrets
import shutil
import socket
import statistics
import subprocess
import sys
import time
import urllib.request
from pathlib import Path

ROOT = Path(__file__).resolve().parent.parent
API_PATH = (
    "/api/v1/liquidation?side=long&entry_price=20000&quantity=1&leverage=50"
    "&maintenance_margin_rate=0.005&mm_basis=entry"
)
BARE_PATH = "/__bare__"
UNITS = {"us": 0.001, "ms": 1.0, "s": 1000.0}


def free_port() -> int:
    with socket.socket() as sock:
        sock.bind(("127.0.0.1", 0))
        return int(sock.getsockname()[1])


def start_server(port: int, log: Path) -> subprocess.Popen[bytes]:
    env = {
        **os.environ,
        "DJANGO_SETTINGS_MODULE": "riskcalc.settings",
        "DJANGO_SECRET_KEY": secrets.token_urlsafe(50),
        "DJANGO_DEBUG": "false",
        "DJANGO_HTTPS": "false",
        "DJANGO_ALLOWED_HOSTS": "127.0.0.1",
    }
    command = [
        sys.executable,
        "-m",
        "gunicorn",
        "benchmarks.bench_wsgi:application",
        "--config",
        str(ROOT / "gunicorn.conf.py"),
        "--workers",
        "2",
        "--worker-class",
        "sync",
        "--bind",
        f"127.0.0.1:{port}",
        "--max-requests",
        "0",
    ]
    with log.open("wb") as output:
        server = subprocess.Popen(command, cwd=ROOT, env=env, stdout=output, stderr=output)
    deadline = time.monotonic() + 30
    while time.monotonic() < deadline:
        try:
            with urllib.request.urlopen(f"http://127.0.0.1:{port}{BARE_PATH}") as response:
                if response.status == 200:
                    return server
        except OSError:
            time.sleep(0.2)
    server.terminate()
    raise SystemExit(f"gunicorn did not start; see {log}")


def workers_cpu_seconds(master_pid: int) -> float:
    """CPU time (user + system, seconds) the master's child processes have used so far, from
    /proc (``utime`` and ``stime``, fields 14 and 15 of ``/proc/<pid>/stat``, in clock ticks)."""
    children = Path(f"/proc/{master_pid}/task/{master_pid}/children").read_text().split()
    ticks = 0
    for pid in children:
        stat = Path(f"/proc/{pid}/stat").read_text()
        fields = stat[stat.rindex(")") + 2 :].split()  # after "pid (comm) ": field 3 onwards
        ticks += int(fields[11]) + int(fields[12])
    return ticks / os.sysconf("SC_CLK_TCK")


def wrk(
    url: str,
    duration: int,
    connections: int,
    threads: int,
    headers: tuple[str, ...] = (),
    *,
    workers_of: int | None = None,
) -> dict[str, float]:
    """req/s, p50 and p99 ms and the count of requests of one wrk run; ``headers`` as
    "Name: value" (partial_speed.py). With ``workers_of`` (the gunicorn master's pid), also
    ``cpu_us``: the CPU its workers used during the run per request (:func:`workers_cpu_seconds`)."""
    cpu_before = workers_cpu_seconds(workers_of) if workers_of is not None else 0.0
    sent = [arg for header in headers for arg in ("-H", header)]
    command = ["wrk", f"-t{threads}", f"-c{connections}", f"-d{duration}s", *sent, "--latency", url]
    output = subprocess.run(command, check=True, capture_output=True, text=True).stdout
    if "Non-2xx" in output:
        raise SystemExit(f"wrk saw error responses from {url}:\n{output}")
    rps = float(re.search(r"Requests/sec:\s+([\d.]+)", output).group(1))  # type: ignore[union-attr]
    latency = {}
    for percent in ("50", "99"):
        match = re.search(rf"^\s+{percent}%\s+([\d.]+)(us|ms|s)\s*$", output, re.M)
        assert match, output
        latency[percent] = float(match.group(1)) * UNITS[match.group(2)]
    requests = int(re.search(r"(\d+) requests in", output).group(1))  # type: ignore[union-attr]
    run = {"rps": rps, "p50": latency["50"], "p99": latency["99"], "requests": requests}
    if workers_of is not None:
        run["cpu_us"] = (workers_cpu_seconds(workers_of) - cpu_before) / requests * 1e6
    return run


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--duration", type=int, default=10, help="seconds per measurement")
    parser.add_argument("--connections", type=int, default=10)
    parser.add_argument("--threads", type=int, default=1)
    parser.add_argument("--rounds", type=int, default=3)
    args = parser.parse_args()
    if shutil.which("wrk") is None:
        raise SystemExit("wrk is not installed: apt-get install -y wrk")
    port = free_port()
    log = Path(os.environ.get("TMPDIR", "/tmp")) / "riskcalc-api-load-gunicorn.log"
    server = start_server(port, log)
    base = f"http://127.0.0.1:{port}"
    results: dict[str, list[dict[str, float]]] = {"bare": [], "api": []}
    try:
        for path in (BARE_PATH, API_PATH):  # warm both workers and caches
            wrk(base + path, 2, args.connections, args.threads)
        for _ in range(args.rounds):
            for name, path in (("bare", BARE_PATH), ("api", API_PATH)):
                results[name].append(
                    wrk(
                        base + path,
                        args.duration,
                        args.connections,
                        args.threads,
                        workers_of=server.pid,
                    )
                )
    finally:
        server.terminate()
        server.wait(timeout=30)
    print(
        f"wrk -t{args.threads} -c{args.connections} -d{args.duration}s --latency, "
        f"gunicorn 2 sync workers, {os.cpu_count()} CPUs, load average "
        f"{os.getloadavg()[0]:.1f}\n"
    )
    print(
        "| round | bare req/s | bare p50 / p99 ms | API req/s | API p50 / p99 ms | API/bare "
        "| worker CPU µs per request, bare / API | bare/API by CPU |"
    )
    print("|---|---:|---:|---:|---:|---:|---:|---:|")
    for number, (bare, api) in enumerate(zip(results["bare"], results["api"], strict=True), 1):
        print(
            f"| {number} | {bare['rps']:.0f} | {bare['p50']:.2f} / {bare['p99']:.2f} "
            f"| {api['rps']:.0f} | {api['p50']:.2f} / {api['p99']:.2f} "
            f"| {api['rps'] / bare['rps']:.2f} | {bare['cpu_us']:.0f} / {api['cpu_us']:.0f} "
            f"| {bare['cpu_us'] / api['cpu_us']:.2f} |"
        )
    bare_median = statistics.median(r["rps"] for r in results["bare"])
    api_median = statistics.median(r["rps"] for r in results["api"])
    bare_cpu = statistics.median(r["cpu_us"] for r in results["bare"])
    api_cpu = statistics.median(r["cpu_us"] for r in results["api"])
    print(
        f"\nMedian req/s: bare {bare_median:.0f}, API {api_median:.0f}; "
        f"ratio API/bare = {api_median / bare_median:.2f}. Median worker CPU per request: "
        f"bare {bare_cpu:.0f} µs, API {api_cpu:.0f} µs; bare/API = {bare_cpu / api_cpu:.2f}"
    )


if __name__ == "__main__":
    main()
