"""Calculator results and embeds are cacheable by browsers and CDNs, revalidate with 304,
never become public when they carry something personal, and hashed static files are
immutable."""

from __future__ import annotations

import re

import pytest
from django.http import HttpRequest, HttpResponse
from django.middleware.csrf import get_token
from django.template import engines
from django.templatetags.static import static
from django.test import Client, override_settings
from django.urls import path

from riskcalc.http import cacheable_get

PAGE = engines["django"].from_string(
    '<script src="/static/x.js" {% csp_nonce_attr %}></script><p>{{ request.GET.q }}</p>'
)


@cacheable_get(max_age=120)
def pure_view(request: HttpRequest) -> HttpResponse:
    str(request._csp_nonce)  # type: ignore[attr-defined]  # use the nonce, as base.html does
    return HttpResponse(PAGE.render({"csp_nonce": request._csp_nonce}, request))  # type: ignore[attr-defined]


@cacheable_get(max_age=120)
def session_view(request: HttpRequest) -> HttpResponse:
    request.session.get("anything")
    return HttpResponse("depends on the visitor")


@cacheable_get(max_age=120)
def csrf_view(request: HttpRequest) -> HttpResponse:
    return HttpResponse(f"<form><input name=csrfmiddlewaretoken value={get_token(request)}>")


@cacheable_get(max_age=120)
def missing_view(request: HttpRequest) -> HttpResponse:
    return HttpResponse("no such thing", status=404)


urlpatterns = [
    path("pure/", pure_view),
    path("session/", session_view),
    path("csrf/", csrf_view),
    path("missing/", missing_view),
]


@pytest.fixture
def caching_client() -> Client:
    with override_settings(ROOT_URLCONF=__name__):
        yield Client()


def test_pure_get_is_public_varies_on_htmx_and_has_a_weak_etag(caching_client: Client) -> None:
    response = caching_client.get("/pure/?q=1")

    assert response.status_code == 200
    assert set(response.headers["Cache-Control"].split(", ")) == {"public", "max-age=120"}
    assert "HX-Request" in response.headers["Vary"]
    assert re.fullmatch(r'W/"[0-9a-f]{32}"', response.headers["ETag"])


def test_etag_ignores_the_csp_nonce_so_revalidation_gives_304(caching_client: Client) -> None:
    first = caching_client.get("/pure/?q=1")
    second = caching_client.get("/pure/?q=1")
    assert first.content != second.content, "each response has its own nonce"
    assert first.headers["ETag"] == second.headers["ETag"]

    revalidated = caching_client.get("/pure/?q=1", headers={"If-None-Match": first.headers["ETag"]})

    assert revalidated.status_code == 304
    assert revalidated.content == b""
    # The browser keeps the stored CSP header, whose nonce matches the stored body.
    assert "Content-Security-Policy" not in revalidated.headers
    assert caching_client.get("/pure/?q=2").headers["ETag"] != first.headers["ETag"]


@pytest.mark.django_db
@pytest.mark.parametrize("path", ["/session/", "/csrf/"])
def test_a_response_touching_session_or_csrf_stays_private(
    caching_client: Client, path: str
) -> None:
    response = caching_client.get(path)

    assert "public" not in response.headers["Cache-Control"]
    assert "private" in response.headers["Cache-Control"]


def test_errors_are_not_made_cacheable(caching_client: Client) -> None:
    response = caching_client.get("/missing/")

    assert response.status_code == 404
    assert "public" not in response.headers.get("Cache-Control", "")


@pytest.mark.django_db  # closing the response closes old database connections
@pytest.mark.parametrize("name", ["css/site.css", "vendor/bootstrap/bootstrap.min.css"])
def test_hashed_static_files_are_immutable(client: Client, name: str) -> None:
    url = static(name)
    assert re.search(r"\.[0-9a-f]{12}\.", url), f"{url} is not a hashed name"

    response = client.get(url)

    assert response.status_code == 200
    # WhiteNoise gives files with a hash in their name ten years and `immutable`.
    assert response.headers["Cache-Control"] == "max-age=315360000, public, immutable"
    response.close()


@pytest.mark.django_db
def test_unhashed_static_names_get_the_shorter_max_age(client: Client) -> None:
    response = client.get("/static/css/site.css")

    assert response.status_code == 200
    assert response.headers["Cache-Control"] == "max-age=31536000, public"
    response.close()


@pytest.mark.django_db
@pytest.mark.parametrize("htmx", [False, True])
def test_embeds_are_publicly_cacheable_and_revalidate(client: Client, htmx: bool) -> None:
    url = "/embed/liquidation/?side=long&entry_price=20000&quantity=1&leverage=50"
    headers = {"HX-Request": "true"} if htmx else {}
    response = client.get(url, headers=headers)

    assert response.status_code == 200
    assert "public" in response.headers["Cache-Control"]
    assert "max-age=300" in response.headers["Cache-Control"]
    assert "HX-Request" in response.headers["Vary"]
    assert "Set-Cookie" not in response.headers
    again = client.get(url, headers={**headers, "If-None-Match": response.headers["ETag"]})
    assert again.status_code == 304


@pytest.mark.django_db
@pytest.mark.parametrize("htmx", [False, True])
@pytest.mark.parametrize(
    "path", ["liquidation", "margin", "position-size", "pnl", "adl"], ids=lambda p: p
)
def test_calculator_results_are_publicly_cacheable(client: Client, path: str, htmx: bool) -> None:
    from django.urls import reverse

    names = {"position-size": "position_size_page"}
    url = reverse(names.get(path, f"{path}_page"))
    headers = {"HX-Request": "true"} if htmx else {}
    response = client.get(url, headers=headers)

    assert response.status_code == 200
    assert set(response.headers["Cache-Control"].split(", ")) == {"public", "max-age=300"}
    assert "HX-Request" in response.headers["Vary"]
    assert "Set-Cookie" not in response.headers
    again = client.get(url, headers={**headers, "If-None-Match": response.headers["ETag"]})
    assert again.status_code == 304
