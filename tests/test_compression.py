"""Pages and partials are compressed for clients that accept gzip (GZipMiddleware)."""

from __future__ import annotations

import gzip

from django.test import Client


def test_a_calculator_page_is_gzipped_when_the_client_accepts_it() -> None:
    response = Client().get("/calculators/liquidation/", HTTP_ACCEPT_ENCODING="gzip, br")
    assert response.status_code == 200
    assert response["Content-Encoding"] == "gzip"
    assert "Accept-Encoding" in response["Vary"]
    page = gzip.decompress(response.content)
    assert b"<html" in page
    assert len(response.content) < len(page) / 2


def test_a_client_that_does_not_ask_gets_the_page_uncompressed() -> None:
    response = Client().get("/calculators/liquidation/")
    assert not response.has_header("Content-Encoding")
    assert b"<html" in response.content
