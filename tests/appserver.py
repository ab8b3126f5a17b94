"""Real app servers for system tests and load runs: gunicorn processes with production settings.

:class:`AppServer` starts ``gunicorn -c gunicorn.conf.py`` (the production configuration)
on a free loopback port with DEBUG off and a given ``DATABASE_URL``, waits until
``/healthz`` answers, and stops it with SIGTERM. :class:`HttpClient` is a small urllib
client with a cookie jar that fills in Django's CSRF token, returns 4xx/5xx responses
instead of raising, and never follows redirects.

Run as ``python -m tests.appserver <gunicorn args>`` (what :class:`AppServer` does), gunicorn
runs with a Python audit hook that reports every file the app opens for writing, or any
SQLite database it opens, as a ``riskcalc-write-audit:`` line on stderr; the scale-out test
asserts there are none (the app tier must keep no state on local disk).
"""

from __future__ import annotations

import http.cookiejar
import json
import os
import signal
import subprocess
import sys
import tempfile
import time
import urllib.error
import urllib.parse
import urllib.request
from dataclasses import dataclass, field
from pathlib import Path
from typing import Any

from tests.pg import free_port

ROOT = Path(__file__).resolve().parent.parent
WRITE_AUDIT_PREFIX = "riskcalc-write-audit:"
SECRET_KEY = "system-test-key-of-fifty-or-more-characters-0123456789-abcdefghijklmnop"


def production_environment(database_url: str, **extra: str) -> dict[str, str]:
    """The environment of a production app server, on plain HTTP over loopback."""
    clean = {k: v for k, v in os.environ.items() if not k.startswith(("DJANGO_", "GUNICORN_"))}
    return {
        **clean,
        "DJANGO_SECRET_KEY": SECRET_KEY,
        "DJANGO_DEBUG": "false",
        "DJANGO_HTTPS": "false",
        "DJANGO_ALLOWED_HOSTS": "127.0.0.1,localhost",
        "DJANGO_LOG_FORMAT": "json",
        "DATABASE_URL": database_url,
        "PYTHONDONTWRITEBYTECODE": "1",
        "PYTHONUNBUFFERED": "1",
        **extra,
    }


def manage(*args: str, env: dict[str, str], timeout: int = 300) -> str:
    """Run ``manage.py`` in a subprocess with ``env``; raise with its output if it fails."""
    result = subprocess.run(
        [sys.executable, "manage.py", *args],
        cwd=ROOT,
        env=env,
        capture_output=True,
        text=True,
        timeout=timeout,
    )
    if result.returncode != 0:
        raise RuntimeError(f"manage.py {' '.join(args)} failed:\n{result.stdout}{result.stderr}")
    return result.stdout


def prepare_database(database_url: str) -> None:
    """Migrate an empty database and create the cache table, as a deploy does."""
    env = production_environment(database_url)
    manage("migrate", "--noinput", env=env)
    manage("createcachetable", env=env)


@dataclass
class AppServer:
    """A gunicorn master with ``workers`` sync workers, configured by gunicorn.conf.py."""

    env: dict[str, str]
    workers: int = 1
    wsgi: str = "riskcalc.wsgi:application"
    audit_writes: bool = True
    port: int = 0
    process: subprocess.Popen[bytes] | None = field(default=None, init=False)
    log_path: Path = field(default=Path(), init=False)

    @property
    def base_url(self) -> str:
        return f"http://127.0.0.1:{self.port}"

    def start(self, timeout: float = 60) -> AppServer:
        self.port = self.port or free_port()
        fd, log_name = tempfile.mkstemp(prefix="riskcalc-gunicorn-", suffix=".log")
        self.log_path = Path(log_name)
        env = {
            **self.env,
            "WEB_CONCURRENCY": str(self.workers),
            "GUNICORN_BIND": f"127.0.0.1:{self.port}",
        }
        launcher = ["-m", "tests.appserver"] if self.audit_writes else ["-m", "gunicorn"]
        self.process = subprocess.Popen(
            [sys.executable, *launcher, "--config", "gunicorn.conf.py", self.wsgi],
            cwd=ROOT,
            env=env,
            stdout=fd,
            stderr=fd,
        )
        os.close(fd)
        deadline = time.monotonic() + timeout
        while time.monotonic() < deadline:
            if self.process.poll() is not None:
                raise RuntimeError(f"gunicorn exited at start:\n{self.log()}")
            try:
                with urllib.request.urlopen(self.base_url + "/healthz", timeout=2):
                    pass
            except urllib.error.HTTPError:
                pass  # it answers (maybe 503: the database may be down on purpose)
            except OSError:
                time.sleep(0.1)
                continue
            if len(self.worker_pids()) >= self.workers:
                return self
            time.sleep(0.1)
        self.stop()
        raise RuntimeError(f"gunicorn did not answer within {timeout} s:\n{self.log()}")

    def worker_pids(self) -> list[int]:
        """The master's child processes (its workers), from /proc."""
        if self.process is None:
            return []
        children = Path(f"/proc/{self.process.pid}/task/{self.process.pid}/children")
        try:
            return [int(pid) for pid in children.read_text().split()]
        except OSError:
            return []

    def log(self) -> str:
        return self.log_path.read_text(errors="replace") if self.log_path.exists() else ""

    def write_audit(self) -> list[str]:
        return [line for line in self.log().splitlines() if line.startswith(WRITE_AUDIT_PREFIX)]

    def stop(self) -> None:
        if self.process is not None and self.process.poll() is None:
            self.process.send_signal(signal.SIGTERM)
            try:
                self.process.wait(timeout=40)
            except subprocess.TimeoutExpired:
                self.process.kill()
                self.process.wait()

    def __enter__(self) -> AppServer:
        return self.start()

    def __exit__(self, *exc: object) -> None:
        self.stop()


@dataclass
class Response:
    status: int
    headers: dict[str, str]
    body: bytes

    @property
    def text(self) -> str:
        return self.body.decode("utf-8", errors="replace")

    def json(self) -> Any:
        return json.loads(self.body)


class _NoRedirect(urllib.request.HTTPRedirectHandler):
    def redirect_request(self, *args: Any, **kwargs: Any) -> None:
        return None


class HttpClient:
    """A visitor: one cookie jar, used against any number of app servers on 127.0.0.1."""

    def __init__(self) -> None:
        self.cookies = http.cookiejar.CookieJar()
        self.opener = urllib.request.build_opener(
            urllib.request.HTTPCookieProcessor(self.cookies), _NoRedirect()
        )

    def cookie(self, name: str) -> str | None:
        return next((c.value for c in self.cookies if c.name == name), None)

    def request(
        self,
        url: str,
        *,
        data: dict[str, str] | None = None,
        headers: dict[str, str] | None = None,
        timeout: float = 30,
    ) -> Response:
        body = None
        all_headers = dict(headers or {})
        if data is not None:
            token = self.cookie("csrftoken")
            fields = {"csrfmiddlewaretoken": token, **data} if token else data
            body = urllib.parse.urlencode(fields).encode()
            all_headers["Content-Type"] = "application/x-www-form-urlencoded"
            if token:
                all_headers.setdefault("X-CSRFToken", token)
        request = urllib.request.Request(url, data=body, headers=all_headers)
        try:
            with self.opener.open(request, timeout=timeout) as response:
                return Response(response.status, dict(response.headers.items()), response.read())
        except urllib.error.HTTPError as error:
            return Response(error.code, dict(error.headers.items()), error.read())

    def get(self, url: str, **kwargs: Any) -> Response:
        return self.request(url, **kwargs)

    def post(self, url: str, data: dict[str, str], **kwargs: Any) -> Response:
        return self.request(url, data=data, **kwargs)


def _install_write_audit() -> None:
    """Report to stderr any file opened for writing (outside /dev) and any SQLite database."""
    write_flags = os.O_WRONLY | os.O_RDWR | os.O_CREAT | os.O_APPEND | os.O_TRUNC

    def hook(event: str, args: tuple[Any, ...]) -> None:
        if event == "open":
            path, mode, flags = args
            writing = (isinstance(mode, str) and any(c in mode for c in "wax+")) or (
                isinstance(flags, int) and flags & write_flags
            )
            # An int path re-opens a descriptor whose own open was already audited.
            if writing and isinstance(path, str | bytes | os.PathLike):
                name = os.fsdecode(path)
                if name.startswith(("/dev/", "/proc/")):
                    return
                sys.stderr.write(f"{WRITE_AUDIT_PREFIX} open {name} {mode or flags}\n")
        elif event == "sqlite3.connect":
            sys.stderr.write(f"{WRITE_AUDIT_PREFIX} sqlite3.connect {args[0]!s}\n")

    sys.addaudithook(hook)


if __name__ == "__main__":
    from gunicorn.app.wsgiapp import run

    _install_write_audit()
    sys.argv[0] = "gunicorn"
    sys.exit(run())
