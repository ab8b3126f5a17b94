"""/embed.js: the loader at a stable URL, small, cacheable and loadable from any site."""

from __future__ import annotations

from pathlib import Path

import pytest
from django.conf import settings
from django.test import Client

LOADER = Path(settings.BASE_DIR) / "static" / "js" / "embed-loader.js"
FRAME = Path(settings.BASE_DIR) / "static" / "js" / "embed-frame.js"


def test_loader_is_under_5_kb_raw() -> None:
    assert LOADER.stat().st_size < 5 * 1024


def test_loader_is_served_at_a_stable_url_without_redirect(client: Client) -> None:
    response = client.get("/embed.js")

    assert response.status_code == 200
    assert response.content == LOADER.read_bytes()
    assert response.headers["Content-Type"] == "text/javascript; charset=utf-8"
    assert response.headers["Cache-Control"] == "public, max-age=86400"
    assert response.headers["Access-Control-Allow-Origin"] == "*"
    assert response.headers["Cross-Origin-Resource-Policy"] == "cross-origin"
    assert response.headers["X-Content-Type-Options"] == "nosniff"
    assert "Set-Cookie" not in response.headers


def test_loader_revalidates_with_its_etag(client: Client) -> None:
    etag = client.get("/embed.js").headers["ETag"]

    again = client.get("/embed.js", HTTP_IF_NONE_MATCH=etag)
    assert again.status_code == 304
    assert again.content == b""


def test_loader_has_no_dependencies_and_checks_messages() -> None:
    source = LOADER.read_text()

    assert "import " not in source and "require(" not in source
    assert "event.origin !== origin" in source
    assert "frame.contentWindow !== event.source" in source
    assert "isFinite(height)" in source
    assert 'setAttribute("loading", "lazy")' in source
    assert "window.riskcalcEmbed" in source  # guard against double inclusion


def test_frame_posts_heights_only_to_the_origin_it_was_given() -> None:
    source = FRAME.read_text()

    assert "postMessage(" in source
    assert '"*"' not in source
    assert "parentOrigin);" in source


@pytest.mark.parametrize("method", ["post", "put", "delete"])
def test_loader_answers_get_and_head_only(client: Client, method: str) -> None:
    assert getattr(client, method)("/embed.js").status_code == 405
