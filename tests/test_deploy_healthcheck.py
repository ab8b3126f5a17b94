"""deploy/healthcheck.py, the container's HEALTHCHECK, asks the port gunicorn really listens on."""

from __future__ import annotations

import os
import subprocess
import sys
from pathlib import Path
from typing import Any

import pytest

from tests.pg import free_port

SCRIPT = Path(__file__).resolve().parent.parent / "deploy" / "healthcheck.py"


def run_healthcheck(bind: str) -> subprocess.CompletedProcess[str]:
    env = {**os.environ, "GUNICORN_BIND": bind, "DJANGO_ALLOWED_HOSTS": "localhost,.example"}
    return subprocess.run(
        [sys.executable, str(SCRIPT)], env=env, capture_output=True, text=True, timeout=30
    )


@pytest.mark.django_db(transaction=True)
def test_healthy_when_healthz_answers_200_on_the_bound_port(live_server: Any) -> None:
    port = live_server.url.rsplit(":", 1)[1]
    result = run_healthcheck(f"127.0.0.1:{port}")
    assert result.returncode == 0, result.stderr


@pytest.mark.django_db(transaction=True)
def test_a_wildcard_bind_is_asked_on_loopback(live_server: Any) -> None:
    port = live_server.url.rsplit(":", 1)[1]
    assert run_healthcheck(f"0.0.0.0:{port},unix:/nonexistent.sock").returncode == 0


def test_unhealthy_when_nothing_listens_on_the_bound_port() -> None:
    result = run_healthcheck(f"0.0.0.0:{free_port()}")
    assert result.returncode == 1
    assert "healthcheck:" in result.stderr


def test_unhealthy_on_a_missing_unix_socket(tmp_path: Path) -> None:
    result = run_healthcheck(f"unix:{tmp_path / 'gunicorn.sock'}")
    assert result.returncode == 1
