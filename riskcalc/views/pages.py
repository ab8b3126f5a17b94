"""Site pages that are not calculators, content or API: the home page and error pages."""

from __future__ import annotations

from django.http import HttpRequest, HttpResponse
from django.shortcuts import render
from django.views.decorators.http import require_safe

from riskcalc.views import api


@require_safe
def home(request: HttpRequest) -> HttpResponse:
    return render(request, "pages/home.html")


def page_not_found(request: HttpRequest, exception: Exception) -> HttpResponse:
    """The 404 page; under ``/api/`` the API's JSON error instead, as every API error is."""
    if request.path_info.startswith("/api/"):
        return api.not_found(request)
    return render(request, "404.html", status=404)
