"""Site pages that are not calculators, content or API: the home page and error pages."""

from __future__ import annotations

from django.conf import settings
from django.http import HttpRequest, HttpResponse, HttpResponseRedirect
from django.shortcuts import render
from django.urls import reverse
from django.utils import translation
from django.utils.cache import patch_vary_headers
from django.views.decorators.http import require_safe

from riskcalc.languages import supported_language
from riskcalc.views import api


@require_safe
def home(request: HttpRequest) -> HttpResponse:
    """The home page; at ``/`` a reader who picked another language in the switcher (its
    cookie) is sent to that language's home, so the choice is remembered."""
    if translation.get_language() == settings.LANGUAGE_CODE:
        chosen = supported_language(request.COOKIES.get(settings.LANGUAGE_COOKIE_NAME))
        if chosen is not None and chosen != settings.LANGUAGE_CODE:
            with translation.override(chosen):
                response: HttpResponse = HttpResponseRedirect(reverse("home"))
        else:
            response = render(request, "pages/home.html")
        patch_vary_headers(response, ("Cookie",))
        return response
    return render(request, "pages/home.html")


def page_not_found(request: HttpRequest, exception: Exception) -> HttpResponse:
    """The 404 page; under ``/api/`` the API's JSON error instead, as every API error is."""
    if request.path_info.startswith("/api/"):
        return api.not_found(request)
    return render(request, "404.html", status=404)
