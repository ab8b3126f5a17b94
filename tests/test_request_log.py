"""One structured log line per request: method, path (never the query string), status,
duration and a request id that is echoed back to the client."""

from __future__ import annotations

import json
import logging

import pytest
from django.test import Client

from riskcalc.request_log import JsonFormatter


def request_records(caplog: pytest.LogCaptureFixture) -> list[logging.LogRecord]:
    return [r for r in caplog.records if r.name == "riskcalc.request"]


@pytest.mark.django_db
def test_each_request_logs_one_line_without_the_query_string(
    client: Client, caplog: pytest.LogCaptureFixture
) -> None:
    with caplog.at_level(logging.INFO, logger="riskcalc.request"):
        response = client.get("/?token=secret-value&size=5")

    [record] = request_records(caplog)
    assert record.method == "GET"  # type: ignore[attr-defined]
    assert record.path == "/"  # type: ignore[attr-defined]
    assert record.status == 200  # type: ignore[attr-defined]
    assert isinstance(record.duration_ms, float)  # type: ignore[attr-defined]
    assert record.request_id == response.headers["X-Request-ID"]  # type: ignore[attr-defined]
    assert "secret-value" not in JsonFormatter().format(record)


@pytest.mark.django_db
def test_a_proxy_request_id_is_kept_and_a_malformed_one_replaced(
    client: Client, caplog: pytest.LogCaptureFixture
) -> None:
    with caplog.at_level(logging.INFO, logger="riskcalc.request"):
        kept = client.get("/", headers={"X-Request-ID": "a1b2c3d4e5f6a7b8"})
        replaced = client.get("/", headers={"X-Request-ID": "bad id\nforged line"})

    assert kept.headers["X-Request-ID"] == "a1b2c3d4e5f6a7b8"
    assert len(replaced.headers["X-Request-ID"]) == 32
    assert [r.request_id for r in request_records(caplog)] == [  # type: ignore[attr-defined]
        "a1b2c3d4e5f6a7b8",
        replaced.headers["X-Request-ID"],
    ]


@pytest.mark.django_db
def test_missing_pages_are_logged_too(client: Client, caplog: pytest.LogCaptureFixture) -> None:
    with caplog.at_level(logging.INFO, logger="riskcalc.request"):
        client.get("/no-such-page/")

    assert [r.status for r in request_records(caplog)] == [404]  # type: ignore[attr-defined]


def test_json_formatter_writes_one_object_per_line_with_extra_fields() -> None:
    record = logging.LogRecord("riskcalc.request", logging.INFO, "x.py", 1, "GET / 200", None, None)
    record.status = 200
    record.request = object()  # Django attaches the HttpRequest; its repr has the query string

    line = JsonFormatter().format(record)

    assert "\n" not in line
    entry = json.loads(line)
    assert entry["level"] == "INFO"
    assert entry["logger"] == "riskcalc.request"
    assert entry["message"] == "GET / 200"
    assert entry["status"] == 200
    assert "request" not in entry
    assert entry["time"].endswith("+00:00")


def test_json_formatter_includes_the_traceback() -> None:
    try:
        raise RuntimeError("boom")
    except RuntimeError:
        import sys

        record = logging.LogRecord("x", logging.ERROR, "x.py", 1, "failed", None, sys.exc_info())

    assert "RuntimeError: boom" in json.loads(JsonFormatter().format(record))["exception"]
