"""The registry is the only list of calculators: a calculator added to it gets a page, an API
endpoint, an OpenAPI entry, an embed, a card on the index and a place in the widget builder."""

from __future__ import annotations

import dataclasses
import importlib
from collections.abc import Iterator

import pytest
from django.test import Client
from django.urls import clear_url_caches, converters, reverse

import riskcalc.urls
from riskcalc.calculators import CALCULATORS, Calculator

pytestmark = pytest.mark.django_db

PNL = CALCULATORS["pnl"]
TOY = dataclasses.replace(
    PNL,
    slug="toy-pnl",
    title="Toy PnL",
    overview="A sixth calculator registered by a test, to show what one registry line makes.",
    summary="Toy PnL summary",
)
"""A calculator made of the PnL calculator's form, display and template under its own slug,
title and summary: what registering a sixth calculator looks like."""


def _reload_urls() -> None:
    """Import ``riskcalc/urls.py`` again, as a new process would with the registry as it is.

    Its path converters are registered once per process, so they are forgotten first."""
    for name, converter in list(converters.REGISTERED_CONVERTERS.items()):
        if converter.__module__.startswith("riskcalc."):
            del converters.REGISTERED_CONVERTERS[name]
    importlib.reload(riskcalc.urls)
    clear_url_caches()


@pytest.fixture
def toy_registered(monkeypatch: pytest.MonkeyPatch) -> Iterator[Calculator]:
    monkeypatch.setitem(CALCULATORS, TOY.slug, TOY)
    _reload_urls()
    yield TOY
    monkeypatch.undo()
    _reload_urls()


def test_every_registered_calculator_has_its_routes_named_after_its_slug() -> None:
    for calculator in CALCULATORS.values():
        assert reverse(calculator.page) == f"/calculators/{calculator.slug}/"
        assert reverse(calculator.embed) == f"/embed/{calculator.slug}/"
        assert reverse(calculator.api) == calculator.path == f"/api/v1/{calculator.slug}"


def test_a_registered_calculator_gets_a_page_and_a_card_on_the_index(
    client: Client, toy_registered: Calculator
) -> None:
    page = client.get("/calculators/toy-pnl/", dict(PNL.example))
    assert page.status_code == 200
    assert page.context["result"].pnl == 200
    index = client.get(reverse("calculators")).content.decode()
    assert 'href="/calculators/toy-pnl/"' in index
    assert "Toy PnL" in index


def test_a_registered_calculator_gets_an_api_endpoint_and_an_openapi_entry(
    client: Client, toy_registered: Calculator
) -> None:
    response = client.get("/api/v1/toy-pnl", dict(PNL.example))
    assert response.status_code == 200
    assert response.json()["pnl"] == "200"
    document = client.get(reverse("openapi_schema")).json()
    operation = document["paths"]["/api/v1/toy-pnl"]["get"]
    assert operation["summary"] == "Toy PnL summary"
    assert operation["operationId"] == "toy_pnl_get"
    docs = client.get(reverse("api_docs")).content.decode()
    assert 'id="toy-pnl"' in docs


def test_a_registered_calculator_gets_an_embed_and_a_place_in_the_widget_builder(
    client: Client, toy_registered: Calculator
) -> None:
    embed = client.get("/embed/toy-pnl/", dict(PNL.example))
    assert embed.status_code == 200
    assert "Toy PnL calculator" in embed.content.decode()
    builder = client.get(reverse("widgets"), {"calculator": "toy-pnl"}).content.decode()
    assert '<option value="toy-pnl" selected>Toy PnL calculator</option>' in builder
    assert 'data-riskcalc="toy-pnl"' in builder


def test_a_calculator_leaves_no_route_behind_when_it_is_unregistered(client: Client) -> None:
    assert client.get("/calculators/toy-pnl/").status_code == 404
    assert client.get("/embed/toy-pnl/").status_code == 404
    assert "/api/v1/toy-pnl" not in client.get(reverse("openapi_schema")).json()["paths"]
