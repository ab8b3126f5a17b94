"""URLconf for the API load benchmark only: the site's routes plus a bare view at /__bare__.

Loaded by ``benchmarks/bench_wsgi.py`` and nothing else; the production entry point
(``riskcalc.wsgi``) never sees it, so /__bare__ does not exist on the site.
"""

from django.http import HttpRequest, JsonResponse
from django.urls import path

from riskcalc.urls import handler404
from riskcalc.urls import urlpatterns as site_urlpatterns

__all__ = ["handler404", "urlpatterns"]


def bare(request: HttpRequest) -> JsonResponse:
    """The cheapest JSON answer Django can give through the full middleware stack."""
    return JsonResponse({"ok": True})


urlpatterns = [path("__bare__", bare, name="bare"), *site_urlpatterns]
