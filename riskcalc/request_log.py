"""One log line per request, as JSON in production, and the formatter that writes it.

:class:`RequestLogMiddleware` is the outermost middleware, so it sees every response,
the 503s and static files included, and times the whole stack. It logs to
``riskcalc.request`` at INFO with these fields:

    method, path, status, duration_ms, request_id, client

``client`` is the client's address as :func:`riskcalc.client_address.client_address` reads it
(behind a trusted proxy, from ``X-Forwarded-For``), the same address the rate limits count.

``path`` is ``request.path``: the query string is never logged (calculator inputs are a
visitor's position sizes; a token in a link would leak into logs). ``request_id`` is taken
from an incoming ``X-Request-ID`` when it looks like one (nginx's ``$request_id``, see
deploy/nginx.conf) so proxy and app lines join up, else generated, and is sent back in the
response's ``X-Request-ID``.

Settings choose the format with ``DJANGO_LOG_FORMAT`` (``json`` or ``plain``); see
``LOGGING`` in settings.py.
"""

from __future__ import annotations

import datetime
import json
import logging
import re
import time
import uuid
from collections.abc import Callable
from typing import Any

from django.http import HttpRequest, HttpResponseBase

from riskcalc.client_address import client_address

logger = logging.getLogger("riskcalc.request")

REQUEST_ID_HEADER = "X-Request-ID"
VALID_REQUEST_ID = re.compile(r"^[A-Za-z0-9._-]{8,128}$")

# Attributes every LogRecord has; anything else on a record came from ``extra=`` and is logged.
_STANDARD_ATTRIBUTES = frozenset(
    logging.LogRecord("", 0, "", 0, "", None, None).__dict__.keys() | {"message", "asctime"}
)


class RequestLogMiddleware:
    def __init__(self, get_response: Callable[[HttpRequest], HttpResponseBase]) -> None:
        self.get_response = get_response

    def __call__(self, request: HttpRequest) -> HttpResponseBase:
        started = time.perf_counter()
        incoming = request.headers.get(REQUEST_ID_HEADER, "")
        request_id = incoming if VALID_REQUEST_ID.match(incoming) else uuid.uuid4().hex
        request.request_id = request_id  # type: ignore[attr-defined]
        response = self.get_response(request)
        response[REQUEST_ID_HEADER] = request_id
        duration_ms = round((time.perf_counter() - started) * 1000, 1)
        logger.info(
            "%s %s %s %.1fms",
            request.method,
            request.path,
            response.status_code,
            duration_ms,
            extra={
                "method": request.method,
                "path": request.path,
                "status": response.status_code,
                "duration_ms": duration_ms,
                "request_id": request_id,
                "client": client_address(request),
            },
        )
        return response


class JsonFormatter(logging.Formatter):
    """One JSON object per line: time (UTC, ISO 8601), level, logger, message, the record's
    ``extra`` fields, and the traceback as ``exception`` when there is one."""

    def format(self, record: logging.LogRecord) -> str:
        entry: dict[str, Any] = {
            "time": datetime.datetime.fromtimestamp(record.created, tz=datetime.UTC).isoformat(
                timespec="milliseconds"
            ),
            "level": record.levelname,
            "logger": record.name,
            "message": record.getMessage(),
        }
        for key, value in record.__dict__.items():
            # Django's loggers attach the HttpRequest itself; its repr holds the query string.
            if key not in _STANDARD_ATTRIBUTES and not key.startswith("_") and key != "request":
                entry[key] = value
        if record.exc_info:
            entry["exception"] = self.formatException(record.exc_info)
        return json.dumps(entry, default=str)
