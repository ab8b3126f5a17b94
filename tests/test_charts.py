"""Chart figure dicts: valid for Plotly, markers at the right prices, JSON-ready values."""

from __future__ import annotations

import json
from decimal import Decimal

import plotly.graph_objects as go

from riskcalc import charts


def valid(figure: dict[str, object]) -> dict[str, object]:
    go.Figure(figure)  # raises on any property Plotly does not know
    json.dumps(figure)  # plain JSON: no Decimal, no NaN objects
    return figure


def test_price_ladder_puts_each_level_at_its_price_and_skips_missing_ones() -> None:
    figure = valid(
        charts.price_ladder(
            levels=[
                ("Entry", Decimal(20000)),
                ("Stop", None),
                ("Liquidation", Decimal(19700)),
                ("Bankruptcy", Decimal(19600)),
            ],
            unit="USDT",
        )
    )
    levels = {trace["name"]: trace["y"][0] for trace in figure["data"]}
    assert levels == {"Entry": 20000.0, "Liquidation": 19700.0, "Bankruptcy": 19600.0}
    assert [shape["y0"] for shape in figure["layout"]["shapes"]] == [20000.0, 19700.0, 19600.0]


def test_pnl_curve_marks_liquidation_and_adds_roe_axis() -> None:
    figure = valid(
        charts.pnl_curve(
            prices=[Decimal(19000), Decimal(20000), Decimal(21000)],
            pnl=[Decimal(-1000), Decimal(0), Decimal(1000)],
            roe=[Decimal("-2.5"), Decimal(0), Decimal("2.5")],
            unit="USDT",
            marks=[("Entry", Decimal(20000)), ("Liquidation", Decimal(19700))],
            price_format=",.1f",
            amount_format="+,.2f",
        )
    )
    assert [shape["x0"] for shape in figure["layout"]["shapes"]] == [20000.0, 19700.0]
    assert figure["data"][1]["yaxis"] == "y2" and figure["data"][1]["y"][0] == -250.0


def test_leverage_curve_leaves_gaps_and_marks_the_users_leverage() -> None:
    figure = valid(
        charts.leverage_curve(
            leverages=[Decimal(1), Decimal(20), Decimal(500)],
            distances=[Decimal("0.9"), Decimal("0.045"), None],
            user_leverage=Decimal(20),
            user_distance=Decimal("0.045"),
        )
    )
    assert figure["data"][0]["y"] == [90.0, 4.5, None]
    assert figure["data"][1]["x"] == [20.0] and figure["data"][1]["y"] == [4.5]


def test_touch_curve_and_adl_distribution_are_valid() -> None:
    valid(
        charts.touch_curve(
            horizons_days=[Decimal("0.25"), Decimal(1)],
            probabilities=[Decimal("0.01"), Decimal("0.2")],
            marked_days=Decimal(1),
        )
    )
    figure = valid(
        charts.adl_distribution(scores=[Decimal(1), Decimal(2)], user_score=Decimal("1.5"))
    )
    assert figure["layout"]["shapes"][0]["x0"] == 1.5


def test_price_ladder_puts_close_levels_labels_on_opposite_sides() -> None:
    # Liquidation and bankruptcy 0.1% apart: their labels must not share a side.
    figure = valid(
        charts.price_ladder(
            levels=[
                ("Entry", Decimal(20000)),
                ("Mark", Decimal(19990)),
                ("Liquidation", Decimal(19720)),
                ("Bankruptcy", Decimal(19700)),
            ],
            unit="USDT",
        )
    )
    side = {trace["name"]: (trace["x"][0], trace["textposition"]) for trace in figure["data"]}
    assert side["Liquidation"] != side["Bankruptcy"]
    assert side["Entry"] != side["Mark"]
    assert {side["Liquidation"], side["Bankruptcy"]} == {(0, "middle right"), (1, "middle left")}


def test_adl_distribution_counts_bins_itself_for_the_basic_bundle() -> None:
    scores = [Decimal(x) for x in ("0.05", "0.1", "0.12", "0.18", "0.22", "0.3", "0.5")]
    figure = valid(charts.adl_distribution(scores=scores, user_score=Decimal("0.2")))
    bars = figure["data"][0]
    assert bars["type"] == "bar"  # plotly-basic has no histogram trace
    assert sum(bars["y"]) == len(scores) and len(bars["y"]) == 5
    edges = [edge for pair in bars["customdata"] for edge in pair]
    assert edges[0] == 0.05 and edges[-1] == 0.5
    same = valid(charts.adl_distribution(scores=[Decimal(1)] * 3, user_score=Decimal(1)))
    assert sum(same["data"][0]["y"]) == 3


def test_exchange_comparison_puts_each_exchange_on_its_own_row_closest_first() -> None:
    figure = valid(
        charts.exchange_comparison(
            entry=Decimal(60000),
            rows=[
                ("Hyperliquid BTC", Decimal("57721.52"), Decimal(57000)),
                ("BitMEX XBTUSD", Decimal("57416.27"), None),
            ],
            unit="USD",
            price_format=",.2f",
        )
    )
    liquidation, bankruptcy = figure["data"]
    assert liquidation["name"] == "Liquidation" and liquidation["x"] == [57721.52, 57416.27]
    assert liquidation["marker"]["symbol"] != bankruptcy["marker"]["symbol"]
    assert bankruptcy["y"] == ["Hyperliquid BTC"]  # no bankruptcy price, no marker
    # Categories are drawn bottom-up: reversed, so the closest liquidation is on top.
    assert figure["layout"]["yaxis"]["categoryarray"] == ["BitMEX XBTUSD", "Hyperliquid BTC"]
    assert figure["layout"]["shapes"][0]["x0"] == 60000.0


def test_every_chart_uses_trace_types_of_the_basic_bundle() -> None:
    # static/js/charts.js loads vendor/plotly/plotly-basic: scatter, bar and pie only.
    figures = [
        charts.price_ladder(levels=[("Entry", Decimal(1))], unit="USDT"),
        charts.pnl_curve(
            prices=[Decimal(1), Decimal(2)],
            pnl=[Decimal(0), Decimal(1)],
            unit="X",
            price_format=",.2f",
            amount_format="+,.6~g",
        ),
        charts.leverage_curve(
            leverages=[Decimal(1)],
            distances=[Decimal("0.5")],
            user_leverage=None,
            user_distance=None,
        ),
        charts.touch_curve(horizons_days=[Decimal(1)], probabilities=[Decimal("0.1")]),
        charts.adl_distribution(scores=[Decimal(1)], user_score=Decimal(2)),
        charts.exchange_comparison(
            entry=Decimal(2), rows=[("X", Decimal(1), None)], unit="USD", price_format=",.2f"
        ),
    ]
    types = {trace["type"] for figure in figures for trace in figure["data"]}
    assert types <= {"scatter", "bar", "pie"}


def test_chart_percentages_and_scores_have_the_places_the_page_gives_them() -> None:
    from riskcalc.templatetags.riskcalc import num, pct, pct_hover_format

    assert pct_hover_format() == charts.PERCENT
    assert format(Decimal("12.5"), charts.PERCENT) + "%" == pct(Decimal("0.125"))
    assert format(Decimal("0.008"), charts.SCORE) == num(Decimal("0.008"), 4)
