"""Docker HEALTHCHECK: exit 0 when GET /healthz on this container answers 200.

Asks the address gunicorn listens on (the first of ``GUNICORN_BIND``, as gunicorn.conf.py
reads it: ``HOST:PORT`` or ``unix:PATH``; a wildcard host means loopback), sending the first
of DJANGO_ALLOWED_HOSTS as the Host header (Django refuses other hosts); /healthz is exempt
from the HTTPS redirect. Standard library only.
"""

import http.client
import os
import socket
import sys


class UnixHTTPConnection(http.client.HTTPConnection):
    """An HTTP connection over a Unix socket (``GUNICORN_BIND=unix:/run/riskcalc.sock``)."""

    def __init__(self, path: str, timeout: float) -> None:
        super().__init__("localhost", timeout=timeout)
        self.socket_path = path

    def connect(self) -> None:
        self.sock = socket.socket(socket.AF_UNIX, socket.SOCK_STREAM)
        self.sock.settimeout(self.timeout)
        self.sock.connect(self.socket_path)


def connection_to(bind: str, timeout: float = 4) -> http.client.HTTPConnection:
    """A connection to gunicorn's first bind address."""
    address = bind.split(",")[0].strip()
    if address.startswith("unix:"):
        return UnixHTTPConnection(address.removeprefix("unix:"), timeout)
    host, _, port = address.rpartition(":")
    host = host.strip("[]")
    if host in ("", "0.0.0.0", "::"):
        host = "127.0.0.1" if host != "::" else "::1"
    return http.client.HTTPConnection(host, int(port or 8000), timeout=timeout)


def main() -> int:
    host = os.environ.get("DJANGO_ALLOWED_HOSTS", "localhost").split(",")[0].strip()
    host = host.lstrip(".") or "localhost"
    try:
        connection = connection_to(os.environ.get("GUNICORN_BIND", "0.0.0.0:8000"))
        connection.request("GET", "/healthz", headers={"Host": host})
        status = connection.getresponse().status
    except (OSError, ValueError) as error:
        sys.stderr.write(f"healthcheck: {error}\n")
        return 1
    if status != 200:
        sys.stderr.write(f"healthcheck: /healthz answered {status}\n")
    return 0 if status == 200 else 1


if __name__ == "__main__":
    sys.exit(main())
