"""A clear 503 page while the database is unreachable, and recovery without a restart.

When PostgreSQL is stopped, restarted or fails over, a query raises
``django.db.OperationalError`` (cannot connect) or ``InterfaceError`` (connection already
closed). Instead of a 500 "something went wrong", the visitor gets a 503 that says the site
is briefly unavailable, with ``Retry-After`` and ``Cache-Control: no-store`` so neither the
browser nor a CDN keeps the error. Nothing has to be restarted: Django drops a connection
that failed (``close_if_unusable_or_obsolete`` at the end of each request, and
``CONN_HEALTH_CHECKS`` before reusing one), so the first request after the database is back
connects afresh.

Two ways in: :class:`DatabaseUnavailableMiddleware` turns a database error raised by a view
(or while rendering its template) into the 503; :func:`server_error`, the ``handler500``,
does the same for one raised inside another middleware (a session saved after the view), and
otherwise renders the ordinary 500 page.
"""

from __future__ import annotations

import logging
import sys
from collections.abc import Callable

from django.db import InterfaceError, OperationalError
from django.http import HttpRequest, HttpResponse, JsonResponse
from django.template import loader
from django.utils import translation
from django.utils.cache import add_never_cache_headers
from django.utils.translation import gettext
from django.views import defaults

from riskcalc.languages import accept_language

logger = logging.getLogger(__name__)

DATABASE_ERRORS = (OperationalError, InterfaceError)
RETRY_AFTER_SECONDS = 10


def service_unavailable(request: HttpRequest, error: BaseException) -> HttpResponse:
    """The 503 response: JSON for the API and health check, the styled page for the rest."""
    logger.warning(
        "database unavailable: %s: %s",
        type(error).__name__,
        str(error).strip().splitlines()[0] if str(error).strip() else "",
        extra={"path": request.path},
    )
    response: HttpResponse
    if request.path.startswith(("/api/", "/healthz")):
        with translation.override(accept_language(request)):  # as the API's other errors
            error_text = gettext("The database is unavailable; please retry shortly.")
        response = JsonResponse({"status": "unavailable", "error": error_text}, status=503)
    else:
        # Rendered without the request: no context processor may touch the database.
        response = HttpResponse(loader.render_to_string("503.html"), status=503)
    response["Retry-After"] = str(RETRY_AFTER_SECONDS)
    add_never_cache_headers(response)
    return response


class DatabaseUnavailableMiddleware:
    """Answer 503 (not 500) when a view fails because the database is unreachable."""

    def __init__(self, get_response: Callable[[HttpRequest], HttpResponse]) -> None:
        self.get_response = get_response

    def __call__(self, request: HttpRequest) -> HttpResponse:
        return self.get_response(request)

    def process_exception(self, request: HttpRequest, exception: Exception) -> HttpResponse | None:
        if isinstance(exception, DATABASE_ERRORS):
            return service_unavailable(request, exception)
        return None


def server_error(request: HttpRequest) -> HttpResponse:
    """handler500: a database error raised outside a view still gets the 503 page."""
    error = sys.exc_info()[1]
    if isinstance(error, DATABASE_ERRORS):
        return service_unavailable(request, error)
    return defaults.server_error(request)
