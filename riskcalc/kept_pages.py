"""Rendered pages kept for their next reader: :func:`kept_response`.

A page that is a pure function of a short key (its route, language, query and the version of
the data it shows) can be rendered once and served from a cache to everyone who asks for the
same thing: the regional restrictions index and a place's answer, a calculator's shared
result link and its deferred analysis. Each caller says what its key is and when there is
none (a page that must be rendered every time); this module keeps and serves the page.

The only part of such a page that differs per request is its CSP nonce (in the
``Content-Security-Policy`` header and in the ``<script>`` and ``<style>`` tags). A kept page
stores :data:`NONCE_PLACEHOLDER` where the nonce was and each response gets its request's own
nonce there, so the page and its header always agree. A response that is personal (it
touched the session, minted a CSRF token or set a cookie: :func:`riskcalc.http.is_personal`)
or not a plain 200 is never kept.
"""

from __future__ import annotations

from collections.abc import Callable

from django.core.cache.backends.base import BaseCache
from django.http import HttpRequest, HttpResponse
from django.middleware.csp import get_nonce

from riskcalc.http import is_personal

__all__ = ["NONCE_PLACEHOLDER", "kept_response"]

NONCE_PLACEHOLDER = "kept-page-csp-nonce"
"""Stands in for the request's CSP nonce in a kept page; swapped for the next request's own."""


def request_nonce(request: HttpRequest) -> str:
    """This request's CSP nonce, generated now if nothing used it yet; ``""`` without the CSP
    middleware (then nothing is kept: a page without its nonce could not be served again)."""
    lazy_nonce = get_nonce(request)  # falsy until generated, so test it against None
    return "" if lazy_nonce is None else str(lazy_nonce)


def kept_response(
    request: HttpRequest,
    key: str | None,
    render_page: Callable[[], tuple[HttpResponse, bool]],
    *,
    store: BaseCache,
    timeout: int,
) -> HttpResponse:
    """The page ``render_page()`` renders, from ``store`` when it keeps one under ``key``.

    ``render_page`` returns the response and whether it may be kept (a calculator keeps only
    a result its inputs validated); ``key`` is ``None`` for a request whose page is never
    kept. A rendered page is kept for ``timeout`` seconds at most; callers put the version of
    their data in ``key``, so a change is shown at once and the timeout only bounds how long
    an entry nobody asks for takes space.
    """
    if key is None:
        return render_page()[0]
    # The page's absolute links (hreflang alternates) name the host it was asked on.
    key = f"{request.scheme}://{request.get_host()}/{key}"
    nonce = request_nonce(request)
    kept = store.get(key)
    if kept is not None:
        return HttpResponse(kept.replace(NONCE_PLACEHOLDER, nonce))
    response, keep = render_page()
    if (
        keep
        and nonce
        and response.status_code == 200
        and not response.streaming
        and not is_personal(request, response)
    ):
        store.set(key, response.content.decode().replace(nonce, NONCE_PLACEHOLDER), timeout)
    return response
