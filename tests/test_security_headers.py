"""Every page carries the site's security headers: a strict CSP, no framing, nosniff and a
Referrer-Policy. The embed routes' own framing rules are tested with the embeds."""

from __future__ import annotations

import pytest
from django.test import Client

from tests.browser.routes import argument_free_paths

# Pages that can list secret links (a teacher's own dashboards) send no referrer to other
# sites at all: a stricter policy than the site's default.
SECRET_LINK_PAGES = {"/classroom/started/"}


def csp_directives(header: str) -> dict[str, list[str]]:
    directives: dict[str, list[str]] = {}
    for part in header.split(";"):
        name, *values = part.split()
        directives[name] = values
    return directives


@pytest.mark.django_db
@pytest.mark.parametrize("path", [p for p in argument_free_paths() if not p.startswith("/embed")])
def test_page_sends_strict_csp_and_denies_framing(client: Client, path: str) -> None:
    response = client.get(path)

    directives = csp_directives(response.headers["Content-Security-Policy"])
    assert "'unsafe-inline'" not in directives["script-src"]
    assert "'unsafe-eval'" not in directives["script-src"]
    assert any(value.startswith("'nonce-") for value in directives["script-src"])
    assert directives["frame-ancestors"] == ["'none'"]
    assert response.headers["X-Frame-Options"] == "DENY"
    assert response.headers["X-Content-Type-Options"] == "nosniff"
    expected = "same-origin" if path in SECRET_LINK_PAGES else "strict-origin-when-cross-origin"
    assert response.headers["Referrer-Policy"] == expected


@pytest.mark.django_db
def test_missing_page_is_a_styled_404_with_the_same_headers(client: Client) -> None:
    response = client.get("/no-such-page/")

    assert response.status_code == 404
    assert b"Page not found" in response.content
    assert "frame-ancestors 'none'" in response.headers["Content-Security-Policy"]
    assert response.headers["X-Frame-Options"] == "DENY"


def test_inline_scripts_carry_the_nonce(client: Client) -> None:
    response = client.get("/")
    nonce = csp_directives(response.headers["Content-Security-Policy"])["script-src"][1][7:-1]
    html = response.content.decode()

    assert f'nonce="{nonce}"' in html
    for chunk in html.split("<script")[1:]:
        tag = chunk.split(">", 1)[0]
        assert " src=" in tag or f'nonce="{nonce}"' in tag, tag
