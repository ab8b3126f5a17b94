"""Plotly figure dicts for the calculator pages: plain data, no HTML, no Plotly import.

Each function takes figures the calculator core has already computed and returns a
``{"data": [...], "layout": {...}}`` dict that ``static/js/charts.js`` hands to
``Plotly.react``. Numbers cross to ``float`` here, at the edge, because Plotly reads JSON
numbers; no arithmetic is done on them. Colours come from the Okabe-Ito palette (safe for
colour-blind readers) and every series also differs by marker, dash or label, so no meaning
rests on colour alone. Tests check every figure with ``plotly.graph_objects.Figure``.

Hover text follows the site's one formatting rule (``riskcalc/templatetags/riskcalc.py``):
a price or an amount comes with the d3 format its caller takes from ``price_hover_format``
or ``amount_hover_format`` (it depends on the symbol's tick or the unit); a percentage has
2 places (``PERCENT``, as ``pct``), a leverage the multiplication sign (``20×``).
"""

from __future__ import annotations

import math
from collections.abc import Sequence
from decimal import Decimal

from django.utils.translation import gettext, gettext_noop, pgettext

from riskcalc.templatetags.riskcalc import separators

__all__ = [
    "adl_distribution",
    "exchange_comparison",
    "leverage_curve",
    "pnl_curve",
    "price_ladder",
    "touch_curve",
]

BLUE = "#0072B2"
VERMILLION = "#D55E00"
ORANGE = "#E69F00"
GREEN = "#009E73"
PURPLE = "#CC79A7"
GREY = "#7F7F7F"

# Ladder levels: label -> (colour, marker symbol, dash). Symbols differ so colour is optional.
_LEVEL_STYLE = {
    "Take-profit": (GREEN, "triangle-up", "dot"),
    "Entry": (BLUE, "circle", "solid"),
    "Stop": (ORANGE, "square", "dash"),
    "Liquidation": (VERMILLION, "x", "dashdot"),
    "Bankruptcy": (PURPLE, "diamond", "longdash"),
}

_LEVEL_NAMES = {
    "Take-profit": gettext_noop("Take-profit"),
    "Entry": gettext_noop("Entry"),
    "Stop": gettext_noop("Stop"),
    "Liquidation": gettext_noop("Liquidation"),
    "Bankruptcy": gettext_noop("Bankruptcy"),
    "Mark": gettext_noop("Mark"),
    "Exit": gettext_noop("Exit"),
    "Target": gettext_noop("Target"),
}
"""The levels' names, marked: callers name a level by its English key (which picks its style)
and the chart shows it in the active language (:func:`_name`)."""

_MARGIN = {"l": 64, "r": 16, "t": 16, "b": 48}

PERCENT = ",.2f"
"""d3 format of a percentage in hover text (the value already in percent): 2 places, as the
``pct`` filter; ``pct_hover_format()`` gives the same and a test holds the two together."""
SCORE = ",.4f"
"""d3 format of an ADL ranking score: 4 places, as the page shows it (``num:4``)."""


def _f(value: Decimal | int) -> float:
    """Decimal -> float for JSON, at the display edge only."""
    return float(value)


def _name(level: str) -> str:
    """A level's name in the active language (a key it does not know: as given)."""
    return gettext(_LEVEL_NAMES[level]) if level in _LEVEL_NAMES else level


def _price_title(unit: str) -> str:
    return gettext("Price (%(unit)s)") % {"unit": unit}


def _base_layout(*, x_title: str, y_title: str, height: int = 320) -> dict[str, object]:
    """The layout every chart starts from: titles, size, and hover and tick figures with the
    active language's decimal mark and grouping (Plotly's ``separators``: decimal first)."""
    group, decimal_mark = separators()
    return {
        "separators": decimal_mark + group,
        "height": height,
        "margin": dict(_MARGIN),
        "showlegend": False,
        "hovermode": "closest",
        "xaxis": {"title": {"text": x_title}, "automargin": True},
        "yaxis": {"title": {"text": y_title}, "automargin": True},
    }


def price_ladder(
    *, levels: Sequence[tuple[str, Decimal | None]], unit: str, value_format: str = ",.2f"
) -> dict[str, object]:
    """Entry, stop, take-profit, liquidation and bankruptcy prices on one vertical axis.

    ``levels`` pairs a label from ``Entry``/``Stop``/``Take-profit``/``Liquidation``/
    ``Bankruptcy`` with its price; ``None`` prices (no such level) are left out.
    """
    shown = [(label, value) for label, value in levels if value is not None and value > 0]
    # Labels alternate sides in price order, so two close levels (liquidation and bankruptcy
    # are often a fraction of a percent apart) never print their names over each other.
    by_price = sorted(range(len(shown)), key=lambda i: shown[i][1], reverse=True)
    right_side = {index: rank % 2 == 1 for rank, index in enumerate(by_price)}
    data: list[dict[str, object]] = []
    shapes: list[dict[str, object]] = []
    for index, (key, value) in enumerate(shown):
        colour, symbol, dash = _LEVEL_STYLE.get(key, (GREY, "circle", "solid"))
        label = _name(key)
        y = _f(value)
        right = right_side[index]
        data.append(
            {
                "type": "scatter",
                "mode": "markers+text",
                "name": label,
                "x": [1 if right else 0],
                "y": [y],
                "text": [label],
                "textposition": "middle left" if right else "middle right",
                "marker": {"color": colour, "symbol": symbol, "size": 12},
                "hovertemplate": f"{label}: %{{y:{value_format}}} {unit}<extra></extra>",
            }
        )
        shapes.append(
            {
                "type": "line",
                "xref": "paper",
                "x0": 0,
                "x1": 1,
                "y0": y,
                "y1": y,
                "line": {"color": colour, "width": 1.5, "dash": dash},
            }
        )
    layout = _base_layout(x_title="", y_title=_price_title(unit), height=300)
    layout["xaxis"] = {"visible": False, "range": [-0.15, 1.15], "fixedrange": True}
    layout["yaxis"] = {
        "title": {"text": _price_title(unit)},
        "automargin": True,
        "tickformat": value_format,
        "fixedrange": True,
    }
    layout["shapes"] = shapes
    return {"data": data, "layout": layout}


def pnl_curve(
    *,
    prices: Sequence[Decimal],
    pnl: Sequence[Decimal],
    unit: str,
    marks: Sequence[tuple[str, Decimal | None]] = (),
    roe: Sequence[Decimal] | None = None,
    title_pnl: str | None = None,
    price_format: str,
    amount_format: str,
) -> dict[str, object]:
    """PnL against the exit price, with vertical markers (entry, liquidation, …).

    ``price_format`` and ``amount_format`` are the d3 formats of the exit price and of the
    signed PnL in hover text (the site's formatting rule). ``roe`` (fractions) adds the return on margin as a second y axis; it is a rescaling of
    the same curve, drawn dotted so the two lines are told apart without colour.
    """
    title_pnl = title_pnl or gettext("PnL")
    at_price = gettext("price %(price)s") % {"price": f"%{{x:{price_format}}}"}
    xs = [_f(p) for p in prices]
    data: list[dict[str, object]] = [
        {
            "type": "scatter",
            "mode": "lines",
            "name": title_pnl,
            "x": xs,
            "y": [_f(v) for v in pnl],
            "line": {"color": BLUE, "width": 2.5},
            "hovertemplate": (
                f"{at_price}<br>{title_pnl} %{{y:{amount_format}}} {unit}<extra></extra>"
            ),
        }
    ]
    layout = _base_layout(x_title=gettext("Exit price"), y_title=f"{title_pnl} ({unit})")
    if roe is not None:
        data.append(
            {
                "type": "scatter",
                "mode": "lines",
                "name": "ROE",
                "x": xs,
                "y": [_f(v * 100) for v in roe],
                "yaxis": "y2",
                "line": {"color": ORANGE, "width": 1.5, "dash": "dot"},
                "hovertemplate": f"{at_price}<br>ROE %{{y:+{PERCENT}}}%<extra></extra>",
            }
        )
        layout["yaxis2"] = {
            "title": {"text": gettext("ROE (%), dotted")},
            "overlaying": "y",
            "side": "right",
            "showgrid": False,
            "automargin": True,
        }
        layout["showlegend"] = True
        layout["legend"] = {"orientation": "h", "x": 0, "y": 1.02, "yanchor": "bottom"}
    layout["margin"] = {**_MARGIN, "t": 40}
    layout["shapes"], layout["annotations"] = _vertical_marks(marks)
    return {"data": data, "layout": layout}


def _vertical_marks(
    marks: Sequence[tuple[str, Decimal | None]],
) -> tuple[list[dict[str, object]], list[dict[str, object]]]:
    shapes: list[dict[str, object]] = []
    notes: list[dict[str, object]] = []
    for index, (key, value) in enumerate(marks):
        if value is None or value <= 0:
            continue
        colour, _, dash = _LEVEL_STYLE.get(key, (GREY, "circle", "dot"))
        x = _f(value)
        shapes.append(
            {
                "type": "line",
                "xref": "x",
                "yref": "paper",
                "x0": x,
                "x1": x,
                "y0": 0,
                "y1": 1,
                "line": {"color": colour, "width": 1.5, "dash": dash},
            }
        )
        notes.append(
            {
                "x": x,
                "xref": "x",
                "yref": "paper",
                "y": 1 - 0.09 * index,
                "text": _name(key),
                "showarrow": False,
                "xanchor": "left",
                "bgcolor": "rgba(127,127,127,0.15)",
            }
        )
    return shapes, notes


def leverage_curve(
    *,
    leverages: Sequence[Decimal],
    distances: Sequence[Decimal | None],
    user_leverage: Decimal | None,
    user_distance: Decimal | None,
) -> dict[str, object]:
    """Distance to liquidation (percent of entry) against leverage, log scale, user marked.

    A ``None`` distance (leverage not allowed, or no liquidation price) leaves a gap.
    """
    data: list[dict[str, object]] = [
        {
            "type": "scatter",
            "mode": "lines+markers",
            "name": gettext("Distance to liquidation"),
            "x": [_f(lev) for lev in leverages],
            "y": [None if d is None else _f(d * 100) for d in distances],
            "connectgaps": False,
            "line": {"color": BLUE, "width": 2},
            "marker": {"size": 6},
            "hovertemplate": gettext("%(leverage)s: liquidation %(distance)s away")
            % {"leverage": "%{x}×", "distance": f"%{{y:{PERCENT}}}%"}
            + "<extra></extra>",
        }
    ]
    if user_leverage is not None and user_distance is not None:
        data.append(
            {
                "type": "scatter",
                "mode": "markers+text",
                "name": gettext("Your leverage"),
                "x": [_f(user_leverage)],
                "y": [_f(user_distance * 100)],
                "text": [
                    pgettext("a chart label", "your %(leverage)s")
                    % {"leverage": f"{user_leverage.normalize():f}×"}
                ],
                "textposition": "top right",
                "marker": {"color": VERMILLION, "symbol": "star", "size": 16},
                "hovertemplate": gettext("your %(leverage)s: %(distance)s away")
                % {"leverage": "%{x}×", "distance": f"%{{y:{PERCENT}}}%"}
                + "<extra></extra>",
            }
        )
    leverage_title = gettext("Leverage (×, log scale)")
    distance_title = gettext("Distance to liquidation (%, log)")
    layout = _base_layout(x_title=leverage_title, y_title=distance_title)
    layout["xaxis"] = {
        "title": {"text": leverage_title},
        "type": "log",
        "automargin": True,
        "tickvals": [1, 2, 5, 10, 20, 50, 100, 200, 500],
    }
    layout["yaxis"] = {
        "title": {"text": distance_title},
        "type": "log",
        "automargin": True,
        "tickvals": [0.1, 0.2, 0.5, 1, 2, 5, 10, 20, 50, 100],
        "ticktext": ["0.1%", "0.2%", "0.5%", "1%", "2%", "5%", "10%", "20%", "50%", "100%"],
    }
    return {"data": data, "layout": layout}


def touch_curve(
    *,
    horizons_days: Sequence[Decimal],
    probabilities: Sequence[Decimal],
    marked_days: Decimal | None = None,
) -> dict[str, object]:
    """Model probability of touching the liquidation price within each horizon (log x)."""
    data: list[dict[str, object]] = [
        {
            "type": "scatter",
            "mode": "lines+markers",
            "name": gettext("Chance of touching liquidation"),
            "x": [_f(h) for h in horizons_days],
            "y": [_f(p * 100) for p in probabilities],
            "line": {"color": VERMILLION, "width": 2},
            "marker": {"size": 6, "symbol": "square"},
            "hovertemplate": gettext("within %(days)s days: %(chance)s")
            % {"days": "%{x}", "chance": f"%{{y:{PERCENT}}}%"}
            + "<extra></extra>",
        }
    ]
    horizon_title = gettext("Horizon (days, log scale)")
    chance_title = gettext("Chance of touching (%, model)")
    layout = _base_layout(x_title=horizon_title, y_title=chance_title)
    layout["xaxis"] = {
        "title": {"text": horizon_title},
        "type": "log",
        "automargin": True,
        "tickvals": [_f(h) for h in horizons_days],
        "ticktext": [f"{h.normalize():f}" for h in horizons_days],
    }
    layout["yaxis"] = {
        "title": {"text": chance_title},
        "range": [0, 100],
        "automargin": True,
    }
    if marked_days is not None:
        layout["shapes"] = [
            {
                "type": "line",
                "xref": "x",
                "yref": "paper",
                "x0": _f(marked_days),
                "x1": _f(marked_days),
                "y0": 0,
                "y1": 1,
                "line": {"color": GREY, "width": 1, "dash": "dot"},
            }
        ]
    return {"data": data, "layout": layout}


def adl_distribution(
    *, scores: Sequence[Decimal], user_score: Decimal, title: str | None = None
) -> dict[str, object]:
    """Histogram of the sample's ranking scores with the user's score marked.

    The bins are counted here, in Decimal, and drawn as bars: the calculator pages load
    Plotly's basic bundle, which has no histogram trace. Between 5 and 20 equal bins span the
    sample and the user's score; a bin holds scores from its left edge up to (not including)
    its right edge, the last bin both edges.
    """
    title = title or gettext("ADL ranking score")
    low = min([*scores, user_score])
    high = max([*scores, user_score])
    count = min(20, max(5, math.isqrt(max(len(scores) - 1, 0)) + 1))
    width = (high - low) / count if high > low else max(abs(low), Decimal(1)) / 10
    if high == low:
        low -= width * count / 2
    counts = [0] * count
    for score in scores:
        counts[min(int((score - low) / width), count - 1)] += 1
    edges = [low + width * i for i in range(count + 1)]
    data: list[dict[str, object]] = [
        {
            "type": "bar",
            "name": gettext("Other positions"),
            "x": [_f(left + width / 2) for left in edges[:-1]],
            "y": counts,
            "width": [_f(width)] * count,
            "customdata": [[_f(a), _f(b)] for a, b in zip(edges[:-1], edges[1:], strict=True)],
            "marker": {"color": BLUE, "line": {"color": "#ffffff", "width": 0.5}},
            "hovertemplate": gettext("score %(low)s to %(high)s<br>%(count)s positions")
            % {
                "low": f"%{{customdata[0]:{SCORE}}}",
                "high": f"%{{customdata[1]:{SCORE}}}",
                "count": "%{y}",
            }
            + "<extra></extra>",
        }
    ]
    sample_title = gettext("Positions in the sample")
    layout = _base_layout(x_title=title, y_title=sample_title)
    layout["bargap"] = 0
    layout["yaxis"] = {
        "title": {"text": sample_title},
        "automargin": True,
        "rangemode": "tozero",
        "tickformat": "d",
        "dtick": max(1, -(-max(counts) // 5)),  # whole positions only
    }
    x = _f(user_score)
    layout["shapes"] = [
        {
            "type": "line",
            "xref": "x",
            "yref": "paper",
            "x0": x,
            "x1": x,
            "y0": 0,
            "y1": 1,
            "line": {"color": VERMILLION, "width": 2.5, "dash": "dash"},
        }
    ]
    layout["annotations"] = [
        {
            "x": x,
            "xref": "x",
            "yref": "paper",
            "y": 1,
            "text": gettext("your position"),
            "showarrow": False,
            "xanchor": "left",
            "bgcolor": "rgba(127,127,127,0.15)",
        }
    ]
    return {"data": data, "layout": layout}


def exchange_comparison(
    *,
    entry: Decimal,
    rows: Sequence[tuple[str, Decimal | None, Decimal | None]],
    unit: str,
    price_format: str,
) -> dict[str, object]:
    """One line per exchange (``rows``: label, liquidation price, bankruptcy price, closest
    liquidation first), the prices as markers on a shared price axis and the entry as a
    vertical line: how far each exchange lets the price run before it liquidates.

    Liquidation and bankruptcy differ by marker shape and by name, not by colour alone;
    a ``None`` price (no such level) is left out.
    """
    labels = [label for label, _, _ in rows]
    data: list[dict[str, object]] = []
    for name, word, index, (colour, symbol, _) in (
        (
            _name("Liquidation"),
            pgettext("a chart's hover text", "liquidation"),
            1,
            _LEVEL_STYLE["Liquidation"],
        ),
        (
            _name("Bankruptcy"),
            pgettext("a chart's hover text", "bankruptcy"),
            2,
            _LEVEL_STYLE["Bankruptcy"],
        ),
    ):
        shown = [(row[0], row[index]) for row in rows if row[index] is not None]
        data.append(
            {
                "type": "scatter",
                "mode": "markers",
                "name": name,
                "x": [_f(price) for _, price in shown if price is not None],
                "y": [label for label, _ in shown],
                "marker": {"color": colour, "symbol": symbol, "size": 12},
                "hovertemplate": (f"%{{y}}<br>{word} %{{x:{price_format}}} {unit}<extra></extra>"),
            }
        )
    layout = _base_layout(
        x_title=_price_title(unit), y_title="", height=max(200, 64 + 44 * len(labels))
    )
    layout["showlegend"] = True
    layout["legend"] = {"orientation": "h", "x": 0, "y": 1.02, "yanchor": "bottom"}
    layout["margin"] = {**_MARGIN, "t": 40}
    layout["yaxis"] = {
        "type": "category",
        "categoryorder": "array",
        "categoryarray": list(reversed(labels)),
        "automargin": True,
        "fixedrange": True,
    }
    layout["xaxis"] = {
        "title": {"text": _price_title(unit)},
        "automargin": True,
        "tickformat": ",.0f",
    }
    layout["shapes"] = [
        {
            "type": "line",
            "yref": "paper",
            "x0": _f(entry),
            "x1": _f(entry),
            "y0": 0,
            "y1": 1,
            "line": {"color": _LEVEL_STYLE["Entry"][0], "width": 1.5, "dash": "solid"},
        }
    ]
    layout["annotations"] = [
        {
            "x": _f(entry),
            "y": 1,
            "yref": "paper",
            "text": _name("Entry"),
            "showarrow": False,
            "yanchor": "bottom",
        }
    ]
    return {"data": data, "layout": layout}
