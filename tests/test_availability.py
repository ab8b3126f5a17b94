"""A database outage gives a clear 503 (page or JSON), never a cached error, and /healthz
reports the database and cache. The real stop-and-restart of PostgreSQL against a running
gunicorn is tests/system/test_database_outage.py."""

from __future__ import annotations

import sys
from unittest import mock

import pytest
from django.db import InterfaceError, OperationalError
from django.http import HttpRequest, HttpResponse
from django.test import Client, RequestFactory, override_settings
from django.urls import path

from riskcalc import availability


def database_down_view(request: HttpRequest) -> HttpResponse:
    raise OperationalError('connection to server at "127.0.0.1", port 5432 failed')


def connection_closed_view(request: HttpRequest) -> HttpResponse:
    raise InterfaceError("connection already closed")


def broken_view(request: HttpRequest) -> HttpResponse:
    raise ValueError("a bug, not an outage")


urlpatterns = [
    path("needs-db/", database_down_view),
    path("api/v1/needs-db", database_down_view),
    path("closed/", connection_closed_view),
    path("bug/", broken_view),
]


@pytest.fixture
def outage_client() -> Client:
    with override_settings(ROOT_URLCONF=__name__):
        yield Client(raise_request_exception=False)


def test_page_needing_an_unreachable_database_is_a_clear_503(outage_client: Client) -> None:
    response = outage_client.get("/needs-db/")

    assert response.status_code == 503
    assert b"briefly unavailable" in response.content
    assert response.headers["Retry-After"] == "10"
    assert "no-store" in response.headers["Cache-Control"]
    # The site's security headers still apply to the error page.
    assert "frame-ancestors 'none'" in response.headers["Content-Security-Policy"]


def test_closed_connection_is_treated_as_an_outage(outage_client: Client) -> None:
    assert outage_client.get("/closed/").status_code == 503


def test_api_outage_answers_json(outage_client: Client) -> None:
    response = outage_client.get("/api/v1/needs-db")

    assert response.status_code == 503
    assert response.json()["status"] == "unavailable"
    assert response.headers["Retry-After"] == "10"


def test_api_outage_says_so_in_the_accept_language_language(outage_client: Client) -> None:
    response = outage_client.get("/api/v1/needs-db", headers={"Accept-Language": "es"})

    assert response.json()["error"] == (
        "La base de datos no está disponible; vuelve a intentarlo en unos instantes."
    )


def test_other_errors_stay_500(outage_client: Client) -> None:
    response = outage_client.get("/bug/")

    assert response.status_code == 500
    assert b"Something went wrong" in response.content


def test_handler500_turns_a_database_error_raised_outside_a_view_into_503() -> None:
    request = RequestFactory().get("/")
    try:
        raise OperationalError("server closed the connection unexpectedly")
    except OperationalError:
        response = availability.server_error(request)
    assert sys.exc_info() == (None, None, None)

    assert response.status_code == 503
    assert b"briefly unavailable" in response.content


@pytest.mark.django_db
def test_healthz_reports_database_and_cache_ok_and_is_never_cached(client: Client) -> None:
    response = client.get("/healthz")

    assert response.status_code == 200
    assert response.json() == {"status": "ok", "checks": {"database": "ok", "cache": "ok"}}
    assert "no-store" in response.headers["Cache-Control"]


@pytest.mark.django_db
def test_healthz_is_503_when_the_database_does_not_answer(client: Client) -> None:
    with mock.patch("riskcalc.views.health.connection") as connection:
        connection.cursor.side_effect = OperationalError("connection refused")
        response = client.get("/healthz")

    assert response.status_code == 503
    assert response.json()["status"] == "unavailable"
    assert response.json()["checks"]["database"] == "unavailable (OperationalError)"


@pytest.mark.django_db
def test_healthz_is_degraded_but_200_when_only_the_cache_fails(client: Client) -> None:
    with mock.patch("riskcalc.views.health.cache") as cache:
        cache.set.side_effect = ConnectionError("redis is down")
        response = client.get("/healthz")

    assert response.status_code == 200
    assert response.json()["status"] == "degraded"
    assert response.json()["checks"]["cache"] == "unavailable (ConnectionError)"


@pytest.mark.django_db
def test_healthz_is_exempt_from_the_https_redirect(client: Client) -> None:
    with override_settings(SECURE_SSL_REDIRECT=True):
        assert client.get("/healthz").status_code == 200
        assert client.get("/").status_code == 301
