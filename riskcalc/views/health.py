"""The health check load balancers, Docker and the compose file poll: ``GET /healthz``."""

from __future__ import annotations

import secrets

from django.core.cache import cache
from django.db import DatabaseError, connection
from django.http import HttpRequest, JsonResponse
from django.views.decorators.cache import never_cache
from django.views.decorators.http import require_safe


@never_cache
@require_safe
def healthz(request: HttpRequest) -> JsonResponse:
    """200 ``{"status": "ok"}`` when the database answers ``SELECT 1`` and the cache reads
    back what it stored; 503 ``{"status": "unavailable"}`` when the database does not (the
    app cannot serve most pages without it). A failing cache alone gives 200 ``"degraded"``:
    pages still work, and taking every app server out of the balancer over it would turn a
    partial failure into a total one. Error details are reduced to the exception's class."""
    checks: dict[str, str] = {}
    try:
        with connection.cursor() as cursor:
            cursor.execute("SELECT 1")
            cursor.fetchone()
        checks["database"] = "ok"
    except DatabaseError as error:
        checks["database"] = f"unavailable ({type(error).__name__})"

    probe = secrets.token_hex(8)
    key = f"healthz:{probe}"  # one key per check, so concurrent checks cannot disagree
    try:
        cache.set(key, probe, timeout=30)
        read_back = cache.get(key)
        cache.delete(key)
        checks["cache"] = "ok" if read_back == probe else "unavailable (read back another value)"
    except Exception as error:  # noqa: BLE001 - any backend's failure is a failed check
        checks["cache"] = f"unavailable ({type(error).__name__})"

    if checks["database"] != "ok":
        status, code = "unavailable", 503
    elif checks["cache"] != "ok":
        status, code = "degraded", 200
    else:
        status, code = "ok", 200
    return JsonResponse({"status": status, "checks": checks}, status=code)
