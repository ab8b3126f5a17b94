"""HTTP caching for pages that are a pure function of their URL: :func:`cacheable_get`.

A calculator result (and its embed) depends on the query string only, so browsers and a CDN
may keep it::

    @require_safe
    @cacheable_get(max_age=CALCULATOR_MAX_AGE)
    def liquidation_page(request): ...

gives a 200 GET/HEAD response ``Cache-Control: public, max-age=<n>``, ``Vary: HX-Request``
(the full page and the htmx partial share a URL) and a weak ``ETag``, so that
``ConditionalGetMiddleware`` answers a revalidation with 304 and no body.

Two details make this safe:

- **Only responses that are the same for everyone become public.** If producing the response
  touched the session (``Vary: Cookie``), minted a CSRF token, or set a cookie, it is left
  ``private``: a shared cache must never hand one visitor's token to another.
  ``tests/test_http_caching.py`` checks that the calculators and embeds stay public.
- **The ETag ignores the CSP nonce.** Each response carries a fresh nonce in its
  ``Content-Security-Policy`` header and in its ``<script>`` tags, so hashing the raw body
  would give every response a new ETag and no revalidation would ever succeed. The ETag is
  the hash of the body with the nonce taken out; a 304 does not carry the CSP header
  (Django's ``_not_modified`` drops it), so the browser keeps the stored body *and* the
  stored header, whose nonces match.
"""

from __future__ import annotations

import hashlib
from collections.abc import Callable
from functools import wraps
from typing import Any

from django.http import HttpRequest, HttpResponse
from django.middleware.csp import get_nonce
from django.utils.cache import has_vary_header, patch_cache_control, patch_vary_headers

# Five minutes: long enough for a CDN to absorb a spike on a shared link, short enough that a
# corrected formula or tier table reaches readers quickly after a deploy.
CALCULATOR_MAX_AGE = 300


def is_personal(request: HttpRequest, response: HttpResponse) -> bool:
    """Whether the response may differ per visitor (session, CSRF token or cookies)."""
    session = getattr(request, "session", None)
    return bool(
        (session is not None and session.accessed)
        or request.META.get("CSRF_COOKIE_NEEDS_UPDATE")
        or response.cookies
        or has_vary_header(response, "Cookie")
        or has_vary_header(response, "*")
    )


def nonce_free_etag(request: HttpRequest, response: HttpResponse) -> str:
    content = response.content
    nonce = get_nonce(request)
    if nonce:  # a LazyNonce is truthy only once generated, i.e. used in this response
        content = content.replace(str(nonce).encode(), b"")
    return f'W/"{hashlib.md5(content, usedforsecurity=False).hexdigest()}"'


def cacheable_get[V: Callable[..., HttpResponse]](*, max_age: int) -> Callable[[V], V]:
    """Mark a view's successful GET/HEAD responses cacheable by browsers and shared caches."""

    def decorator(view: V) -> V:
        @wraps(view)
        def wrapped(request: HttpRequest, *args: Any, **kwargs: Any) -> HttpResponse:
            response = view(request, *args, **kwargs)
            if request.method not in ("GET", "HEAD") or response.status_code != 200:
                return response
            patch_vary_headers(response, ("HX-Request",))
            if is_personal(request, response):
                patch_cache_control(response, private=True)
                return response
            patch_cache_control(response, public=True, max_age=max_age)
            if not response.streaming and not response.has_header("ETag"):
                response["ETag"] = nonce_free_etag(request, response)
            return response

        return wrapped  # type: ignore[return-value]

    return decorator
