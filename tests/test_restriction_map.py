"""The restrictions map figure: countries coloured by their most restrictive fact, labelled
in words, self-hosted map data, and every undrawable jurisdiction named in the caption."""

from __future__ import annotations

import datetime

from django.conf import settings

from riskcalc.models import Jurisdiction, Restriction
from riskcalc.restriction_map import countries_on_the_map, restrictions_map


def fact(jurisdiction: Jurisdiction, kind: str, subject: str = "Binance") -> Restriction:
    return Restriction(
        jurisdiction=jurisdiction,
        jurisdiction_wording=jurisdiction.name,
        subject=subject,
        subject_kind="exchange",
        product="all",
        kind=kind,
        source_url="https://example.org/",
        source_date_text="n.d.",
        confidence="high",
        reviewed_on=datetime.date(2026, 11, 21),
    )


CANADA = Jurisdiction(code="CA", name="Canada", kind="country", iso_alpha3="CAN")
JAPAN = Jurisdiction(code="JP", name="Japan", kind="country", iso_alpha3="JPN")
ONTARIO = Jurisdiction(code="CA-ON", name="Ontario (Canada)", kind="subdivision")
SINGAPORE = Jurisdiction(code="SG", name="Singapore", kind="country", iso_alpha3="SGP")


def test_country_takes_the_colour_of_its_most_restrictive_fact() -> None:
    figure = restrictions_map(
        [
            fact(CANADA, "allowed_with_license"),
            fact(CANADA, "blocked"),
            fact(JAPAN, "leverage_cap", "FSA"),
        ]
    ).figure

    traces = {trace["name"]: trace for trace in figure["data"]}
    assert {name: trace["locations"] for name, trace in traces.items()} == {
        "Blocked": ["CAN"],
        "Leverage cap": ["JPN"],
    }
    assert {trace["type"] for trace in traces.values()} == {"choropleth"}
    assert {trace["locationmode"] for trace in traces.values()} == {"ISO-3"}


def test_legend_and_hover_text_say_the_restriction_in_words() -> None:
    figure = restrictions_map([fact(CANADA, "blocked"), fact(JAPAN, "restricted")]).figure

    assert [trace["name"] for trace in figure["data"]] == ["Blocked", "Restricted"]
    assert all(trace["showlegend"] and not trace["showscale"] for trace in figure["data"])
    assert figure["layout"]["legend"]["title"]["text"] == "Most restrictive fact"
    assert "Most restrictive: Blocked" in figure["data"][0]["text"][0]
    assert "Binance: Blocked (all products)" in figure["data"][0]["text"][0]


def test_map_data_is_fetched_from_our_own_static_files() -> None:
    figure = restrictions_map([]).figure

    assert figure["config"]["topojsonURL"] == settings.STATIC_URL + "vendor/topojson/"
    assert "CAN" in countries_on_the_map()


def test_jurisdictions_the_map_cannot_draw_are_named_for_the_caption() -> None:
    drawn = restrictions_map(
        [fact(CANADA, "blocked"), fact(ONTARIO, "blocked"), fact(SINGAPORE, "blocked")]
    )

    assert drawn.not_drawn == ["Ontario (Canada) (CA-ON)", "Singapore (SG)"]
    assert drawn.countries_by_kind == [("Blocked", 1)]
    assert drawn.countries_drawn == 1


def test_figure_is_plain_json_data() -> None:
    import json

    json.dumps(restrictions_map([fact(CANADA, "blocked")]).figure)
