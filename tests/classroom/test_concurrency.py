"""Many students answering at once lose no answer, and the answers outlive the server.

This runs the site as production does, in separate processes: gunicorn (two worker processes,
four threads each) over a file-based SQLite database in a temporary directory. Twenty students
join over HTTP and send 200 answers from 20 parallel clients, plus repeated submissions of
some of them (a double-click sends the same idempotency key twice). Then the server is stopped,
a fresh ``manage.py shell`` process counts the rows, and a restarted server exports them.
"""

from __future__ import annotations

import http.cookiejar
import re
import socket
import subprocess
import sys
import time
import urllib.error
import urllib.parse
import urllib.request
from collections.abc import Iterator
from concurrent.futures import ThreadPoolExecutor
from pathlib import Path

import pytest

from tests.classroom.conftest import ROOT

LESSON = "liquidation-distance"
EXERCISES = (
    "margin-wipe-move",
    "liquidation-price-long",
    "liquidation-distance",
    "liquidation-price-short",
)
STUDENTS = 20
ANSWERS_EACH = 10
DUPLICATES = 25


def free_port() -> int:
    with socket.socket() as sock:
        sock.bind(("127.0.0.1", 0))
        return int(sock.getsockname()[1])


class Server:
    def __init__(self, env: dict[str, str], config: Path) -> None:
        self.port = free_port()
        self.url = f"http://127.0.0.1:{self.port}"
        self.process = subprocess.Popen(
            [
                sys.executable,
                "-m",
                "gunicorn",
                "riskcalc.wsgi:application",
                "--config",
                str(config),  # empty: ignore any gunicorn.conf.py in the checkout
                "--bind",
                f"127.0.0.1:{self.port}",
                "--workers",
                "2",
                "--threads",
                "4",
            ],
            cwd=ROOT,
            env=env,
            stdout=subprocess.DEVNULL,
            stderr=subprocess.PIPE,
        )
        deadline = time.monotonic() + 30
        while time.monotonic() < deadline:
            try:
                with socket.create_connection(("127.0.0.1", self.port), timeout=0.2):
                    return
            except OSError:
                if self.process.poll() is not None:
                    message = self.process.stderr.read().decode()  # type: ignore[union-attr]
                    raise RuntimeError(message) from None
                time.sleep(0.1)
        raise RuntimeError("gunicorn did not start")

    def stop(self) -> None:
        self.process.terminate()
        self.process.wait(timeout=30)


@pytest.fixture
def server_factory(site_env: dict[str, str], tmp_path: Path) -> Iterator[object]:
    config = tmp_path / "gunicorn.conf.py"
    config.write_text("")
    started: list[Server] = []

    def start() -> Server:
        server = Server(site_env, config)
        started.append(server)
        return server

    yield start
    for server in started:
        if server.process.poll() is None:
            server.stop()


class NoRedirect(urllib.request.HTTPRedirectHandler):
    def redirect_request(self, *args: object, **kwargs: object) -> None:
        return None


class Browser:
    """One client with its own cookies (a student's or the teacher's browser)."""

    def __init__(self, base: str) -> None:
        self.base = base
        self.jar = http.cookiejar.CookieJar()
        self.opener = urllib.request.build_opener(
            urllib.request.HTTPCookieProcessor(self.jar), NoRedirect()
        )

    def get(self, path: str) -> tuple[int, str, dict[str, str]]:
        return self._open(urllib.request.Request(self.base + path))

    def post(self, path: str, data: dict[str, str]) -> tuple[int, str, dict[str, str]]:
        token = next((c.value for c in self.jar if c.name == "csrftoken"), "")
        request = urllib.request.Request(
            self.base + path,
            data=urllib.parse.urlencode(data).encode(),
            headers={"X-CSRFToken": token or "", "HX-Request": "true"},
        )
        return self._open(request)

    def _open(self, request: urllib.request.Request) -> tuple[int, str, dict[str, str]]:
        try:
            with self.opener.open(request, timeout=60) as response:
                return response.status, response.read().decode(), dict(response.headers)
        except urllib.error.HTTPError as error:
            return error.code, error.read().decode(), dict(error.headers)


def shell(env: dict[str, str], code: str) -> str:
    result = subprocess.run(
        [sys.executable, "manage.py", "shell", "-c", code],
        cwd=ROOT,
        env=env,
        check=True,
        capture_output=True,
        text=True,
    )
    return result.stdout.strip().splitlines()[-1]  # after shell's "objects imported" note


def test_200_parallel_answers_are_all_stored_and_survive_a_restart(
    site_env: dict[str, str], server_factory: object, record_property: object
) -> None:
    server = server_factory()  # type: ignore[operator]
    teacher = Browser(server.url)
    teacher.get(f"/classroom/{LESSON}/?seed=1")  # the CSRF cookie
    status, _, headers = teacher.post(f"/classroom/{LESSON}/sessions/", {})
    assert status == 302
    dashboard = headers["Location"]
    _, page, _ = teacher.get(dashboard)
    code = re.search(r'class="join-code"[^>]*>(\w{6})<', page).group(1)  # type: ignore[union-attr]

    students = []
    for number in range(STUDENTS):
        browser = Browser(server.url)
        browser.get("/classroom/join/")
        status, body, headers = browser.post(
            "/classroom/join/", {"code": code, "nickname": f"student {number}"}
        )
        assert status == 302, body
        students.append((browser, headers["Location"].rstrip("/") + "/answer/"))

    jobs = []
    for index, (browser, answer_path) in enumerate(students):
        for n in range(ANSWERS_EACH):
            data = {
                "exercise": EXERCISES[n % len(EXERCISES)],
                "answer": f"{19000 + index * 10 + n:,}.5",  # e.g. "19,000.5": read, judged
                "idempotency_key": f"s{index}-a{n}",
            }
            jobs.append((browser, answer_path, data))
    # Double-clicks: the same form (same idempotency key) sent twice, side by side in the
    # queue, so both copies are in flight at once.
    for i in reversed(range(DUPLICATES)):
        jobs.insert(i * 7 + 1, jobs[i * 7])

    def send(job: tuple[Browser, str, dict[str, str]]) -> int:
        browser, path, data = job
        return browser.post(path, data)[0]

    started = time.perf_counter()
    with ThreadPoolExecutor(max_workers=STUDENTS) as pool:
        statuses = list(pool.map(send, jobs))
    elapsed = time.perf_counter() - started
    assert statuses == [200] * len(jobs)
    expected = STUDENTS * ANSWERS_EACH
    record_property("parallel_answers", len(jobs))  # type: ignore[operator]
    record_property("parallel_seconds", round(elapsed, 2))  # type: ignore[operator]

    server.stop()
    # A fresh process, after the server is gone, reads every answer from the database file.
    count = shell(
        site_env,
        "from riskcalc.models import Submission; "
        "print(Submission.objects.count(), Submission.objects.values('student', "
        "'idempotency_key').distinct().count())",
    )
    assert count == f"{expected} {expected}"

    restarted = server_factory()  # type: ignore[operator]
    status, body, _ = Browser(restarted.url).get(dashboard + "export.csv")
    assert status == 200
    assert len(body.strip().splitlines()) == expected + 1  # header + one line per answer
    _, page, _ = Browser(restarted.url).get(dashboard + "stats/")
    assert f'data-stat="submissions">{expected}<' in page
