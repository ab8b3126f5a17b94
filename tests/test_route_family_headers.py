"""Security headers on one route of every family: pages, calculators, learn, API, embeds,
classroom, admin, static files and the health check. Only embeds may be framed."""

from __future__ import annotations

import pytest
from django.templatetags.static import static
from django.test import Client, override_settings

CALCULATOR_QUERY = "side=long&entry_price=20000&quantity=1&leverage=50&maintenance_margin_rate=0.005&mm_basis=entry"
NOT_FRAMEABLE = {
    "page": "/",
    "calculator": f"/calculators/liquidation/?{CALCULATOR_QUERY}",
    "learn": "/learn/",
    "restrictions": "/learn/restrictions/",
    "api": f"/api/v1/liquidation?{CALCULATOR_QUERY}",
    "classroom": "/classroom/",
    "admin": "/admin/login/",
    "healthz": "/healthz",
}
EMBED = f"/embed/liquidation/?{CALCULATOR_QUERY}"


FAMILIES = sorted([*NOT_FRAMEABLE, "embed", "static"])


def family_paths() -> dict[str, str]:
    """Called inside tests: the hashed static name exists only once collectstatic has run."""
    return {**NOT_FRAMEABLE, "embed": EMBED, "static": static("css/site.css")}


def get(client: Client, path: str, **kwargs: object):  # type: ignore[no-untyped-def]
    response = client.get(path, **kwargs)  # type: ignore[arg-type]
    assert response.status_code == 200, (path, response.status_code)
    if response.streaming:
        b"".join(response.streaming_content)
    return response


@pytest.mark.django_db
@pytest.mark.parametrize("family", FAMILIES)
def test_every_family_sends_the_baseline_headers(client: Client, family: str) -> None:
    response = get(client, family_paths()[family])

    assert response.headers["X-Content-Type-Options"] == "nosniff"
    assert response.headers["Referrer-Policy"] == "strict-origin-when-cross-origin"
    assert response.headers["Cross-Origin-Opener-Policy"] == "same-origin"
    assert response.headers["X-Request-ID"]


@pytest.mark.django_db
@pytest.mark.parametrize("family", sorted(NOT_FRAMEABLE))
def test_only_embeds_may_be_framed(client: Client, family: str) -> None:
    response = get(client, NOT_FRAMEABLE[family])

    assert response.headers["X-Frame-Options"] == "DENY"
    assert "frame-ancestors 'none'" in response.headers["Content-Security-Policy"]


@pytest.mark.django_db
def test_embeds_allow_framing_by_the_configured_origins(client: Client) -> None:
    response = get(client, EMBED)

    assert "X-Frame-Options" not in response.headers
    csp = response.headers["Content-Security-Policy"]
    ancestors = csp.split("frame-ancestors", 1)[1].split(";", 1)[0].split()
    assert "'none'" not in ancestors
    assert "*" in ancestors  # RISKCALC_EMBED_FRAME_ANCESTORS defaults to any site
    assert "'unsafe-inline'" not in csp.split("script-src", 1)[1].split(";", 1)[0]


@pytest.mark.django_db
@pytest.mark.parametrize("family", FAMILIES)
def test_every_family_sends_hsts_over_https_in_production(client: Client, family: str) -> None:
    with override_settings(
        SECURE_SSL_REDIRECT=True,
        SECURE_HSTS_SECONDS=31536000,
        SECURE_HSTS_INCLUDE_SUBDOMAINS=True,
        SECURE_HSTS_PRELOAD=True,
    ):
        response = get(client, family_paths()[family], secure=True)

    assert (
        response.headers["Strict-Transport-Security"]
        == "max-age=31536000; includeSubDomains; preload"
    )
