"""API GET results revalidate: a weak ETag from ``cacheable_get`` and a 304 for a match."""

from __future__ import annotations

import json

import pytest
from django.test import Client

from riskcalc.api import ENDPOINTS

GOLDEN = dict(ENDPOINTS["liquidation"].example)


@pytest.mark.parametrize("slug", list(ENDPOINTS))
def test_get_results_carry_an_etag_and_revalidate_with_304(client: Client, slug: str) -> None:
    path, query = ENDPOINTS[slug].path, dict(ENDPOINTS[slug].example)
    ok = client.get(path, query)
    assert ok.status_code == 200
    assert ok["Cache-Control"] == "public, max-age=300"
    assert ok["ETag"].startswith('W/"')
    again = client.get(path, query, headers={"If-None-Match": ok["ETag"]})
    assert again.status_code == 304
    assert again.content == b""


def test_post_results_and_errors_stay_uncached(client: Client) -> None:
    posted = client.post("/api/v1/liquidation", json.dumps(GOLDEN), content_type="application/json")
    assert posted.status_code == 200
    assert posted["Cache-Control"] == "no-store" and not posted.has_header("ETag")
    error = client.get("/api/v1/liquidation", {**GOLDEN, "leverage": "0"})
    assert error["Cache-Control"] == "no-store" and not error.has_header("ETag")


def test_the_body_is_the_json_it_was(client: Client) -> None:
    # The shared encoder writes what JsonResponse wrote: default separators, ASCII escapes.
    body = client.get("/api/v1/liquidation", GOLDEN).content
    assert body == json.dumps(json.loads(body)).encode()
    assert b'"liquidation_price": "19700"' in body
