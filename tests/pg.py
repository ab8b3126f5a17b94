"""A throwaway PostgreSQL cluster for tests, benchmarks and CI, from the installed binaries.

Command line (``uv run python -m tests.pg``):

    run -- CMD...   start a cluster, run CMD with DATABASE_URL set to it, stop and remove it
                    (on success, failure, Ctrl-C or SIGTERM); exits with CMD's status
    start           start a cluster, print ``DATABASE_URL=...`` and ``PGCLUSTER=<dir>``, leave it
    stop DIR        stop the cluster started by ``start`` and remove its directory

In Python, :class:`TemporaryPostgres` does the same and can also stop and restart the server
in place (same port, same data), which the database-outage tests need.

The cluster lives in a fresh temporary directory, listens on a free loopback port and on a
Unix socket inside that directory only, and trusts loopback connections (it is reachable
from this machine only and holds test data only). Durability is switched off
(``fsync=off``): the data is thrown away, and the tests run faster. ``initdb`` refuses to run
as root, so as root the server runs as the ``postgres`` OS user (Debian's PostgreSQL package
creates it), which owns the directory.
"""

from __future__ import annotations

import os
import pwd
import shutil
import signal
import socket
import subprocess
import sys
import tempfile
import time
from dataclasses import dataclass, field
from pathlib import Path
from types import FrameType

ROLE = "riskcalc"
PASSWORD = "riskcalc"  # loopback-only throwaway cluster; the server trusts loopback anyway
DATABASE = "riskcalc"
SERVER_SETTINGS = (
    "fsync=off",
    "synchronous_commit=off",
    "full_page_writes=off",
    "max_connections=200",
)


def postgres_bin_dir() -> Path | None:
    """The newest installed PostgreSQL's bin directory (Debian layout), or PG_BINDIR."""
    if os.environ.get("PG_BINDIR"):
        return Path(os.environ["PG_BINDIR"])
    candidates = sorted(
        Path("/usr/lib/postgresql").glob("*/bin/initdb"),
        key=lambda p: int(p.parent.parent.name) if p.parent.parent.name.isdigit() else 0,
    )
    if candidates:
        return candidates[-1].parent
    initdb = shutil.which("initdb")
    return Path(initdb).parent if initdb else None


def free_port() -> int:
    with socket.socket() as sock:
        sock.bind(("127.0.0.1", 0))
        return int(sock.getsockname()[1])


@dataclass
class TemporaryPostgres:
    """A PostgreSQL server in a temporary directory; use as a context manager."""

    bin_dir: Path | None = None
    port: int = 0
    directory: Path = field(default=Path(), init=False)
    _owner: str | None = field(default=None, init=False)

    def __post_init__(self) -> None:
        self.bin_dir = self.bin_dir or postgres_bin_dir()
        if self.bin_dir is None or not (self.bin_dir / "initdb").exists():
            raise RuntimeError(
                "PostgreSQL binaries not found (looked in /usr/lib/postgresql/*/bin and PATH); "
                "`make postgres` installs Debian's postgresql-15."
            )

    @property
    def url(self) -> str:
        return f"postgres://{ROLE}:{PASSWORD}@127.0.0.1:{self.port}/{DATABASE}"

    def admin_url(self, database: str = "postgres") -> str:
        return f"postgres://{self._superuser}@127.0.0.1:{self.port}/{database}"

    @property
    def _superuser(self) -> str:
        return self._owner or pwd.getpwuid(os.getuid()).pw_name

    @property
    def data_dir(self) -> Path:
        return self.directory / "data"

    def _run(self, *args: str, check: bool = True) -> subprocess.CompletedProcess[str]:
        command = [str(self.bin_dir / args[0]), *args[1:]]
        if self._owner:
            command = ["runuser", "-u", self._owner, "--", *command]
        return subprocess.run(
            command, check=check, capture_output=True, text=True, cwd=self.directory
        )

    def tool(self, name: str) -> str:
        """The path of a client program (pg_dump, psql, ...) from the same installation."""
        return str(self.bin_dir / name)  # type: ignore[operator]

    def start(self) -> TemporaryPostgres:
        self.directory = Path(tempfile.mkdtemp(prefix="riskcalc-pg-"))
        if os.getuid() == 0:
            self._owner = "postgres"
            try:
                user = pwd.getpwnam(self._owner)
            except KeyError as error:
                raise RuntimeError(
                    "running as root needs the `postgres` OS user for initdb "
                    "(Debian's postgresql package creates it)"
                ) from error
            os.chown(self.directory, user.pw_uid, user.pw_gid)
        self.port = self.port or free_port()
        try:
            self._run(
                "initdb",
                "--pgdata",
                str(self.data_dir),
                "--auth=trust",
                "--encoding=UTF8",
                "--locale=C.UTF-8",
                "--no-sync",
            )
            self.start_server()
            self.psql(f"CREATE ROLE {ROLE} LOGIN CREATEDB PASSWORD '{PASSWORD}'")
            self.psql(f"CREATE DATABASE {DATABASE} OWNER {ROLE}")
        except BaseException:
            self.remove()
            raise
        return self

    def start_server(self) -> None:
        """Start (or restart after :meth:`stop_server`) the server and wait until it accepts."""
        options = " ".join(
            [
                f"-p {self.port}",
                "-c listen_addresses=127.0.0.1",
                f"-c unix_socket_directories={self.directory}",
                *(f"-c {setting}" for setting in SERVER_SETTINGS),
            ]
        )
        result = self._run(
            "pg_ctl",
            "start",
            "--pgdata",
            str(self.data_dir),
            "--wait",
            "--timeout=60",
            "--log",
            str(self.directory / "server.log"),
            "-o",
            options,
            check=False,
        )
        if result.returncode != 0:
            log = (self.directory / "server.log").read_text(errors="replace")[-2000:]
            raise RuntimeError(f"pg_ctl start failed: {result.stdout}{result.stderr}\n{log}")

    def stop_server(self, mode: str = "fast") -> None:
        """Stop the server, keeping the data (``fast`` disconnects clients, like a restart)."""
        self._run("pg_ctl", "stop", "--pgdata", str(self.data_dir), "-m", mode, "--wait")

    def psql(self, sql: str, database: str = "postgres") -> str:
        result = self._run(
            "psql",
            "-X",
            "-q",
            "-v",
            "ON_ERROR_STOP=1",
            "-h",
            "127.0.0.1",
            "-p",
            str(self.port),
            "-U",
            self._superuser,
            "-d",
            database,
            "-At",
            "-c",
            sql,
        )
        return result.stdout

    def remove(self) -> None:
        if self.directory == Path() or not self.directory.exists():
            return
        if (self.data_dir / "postmaster.pid").exists():
            self._run(
                "pg_ctl", "stop", "--pgdata", str(self.data_dir), "-m", "immediate", check=False
            )
        shutil.rmtree(self.directory, ignore_errors=True)

    def __enter__(self) -> TemporaryPostgres:
        return self.start()

    def __exit__(self, *exc: object) -> None:
        self.remove()


def _raise_keyboard_interrupt(signum: int, frame: FrameType | None) -> None:
    raise KeyboardInterrupt(f"signal {signum}")


def main(argv: list[str]) -> int:
    usage = "usage: python -m tests.pg run -- CMD... | start | stop DIR"
    if not argv:
        sys.stderr.write(usage + "\n")
        return 2
    match argv[0]:
        case "run":
            command = argv[1:]
            if command[:1] == ["--"]:
                command = command[1:]
            if not command:
                sys.stderr.write(usage + "\n")
                return 2
            # SIGTERM (e.g. from CI cancelling the job) tears the cluster down like Ctrl-C.
            signal.signal(signal.SIGTERM, _raise_keyboard_interrupt)
            started = time.monotonic()
            with TemporaryPostgres() as pg:
                version = pg.psql("SHOW server_version").strip()
                sys.stderr.write(
                    f"tests.pg: PostgreSQL {version} on 127.0.0.1:{pg.port} "
                    f"({time.monotonic() - started:.1f} s to start); DATABASE_URL={pg.url}\n"
                )
                sys.stderr.flush()
                try:
                    return subprocess.call(command, env={**os.environ, "DATABASE_URL": pg.url})
                except KeyboardInterrupt:
                    return 130
        case "start":
            pg = TemporaryPostgres().start()
            sys.stdout.write(f"DATABASE_URL={pg.url}\nPGCLUSTER={pg.directory}\n")
            return 0
        case "stop" if len(argv) == 2:
            pg = TemporaryPostgres()
            pg.directory = Path(argv[1])
            if os.getuid() == 0:
                pg._owner = "postgres"
            pg.remove()
            return 0
        case _:
            sys.stderr.write(usage + "\n")
            return 2


if __name__ == "__main__":
    sys.exit(main(sys.argv[1:]))
