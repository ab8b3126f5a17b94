"""The restrictions world map as a Plotly figure dict (plain data; no plotly import).

Each country is coloured by the most restrictive kind of fact recorded for it (blocked, then
restricted, then leverage cap, then licence required). Colour is never the only carrier:
the colour bar has text labels, the hover text names every fact, and the page's table and
caption say the same in words. Facts that cannot be drawn (sub-national areas, EU- or
EEA-wide rules, exchange-wide facts and territories too small for the 1:110m map) are
listed in the caption instead.

The figure is delivered with ``json_script`` and drawn by ``static/js/charts.js``.
"""

from __future__ import annotations

import json
from collections.abc import Iterable
from dataclasses import dataclass, field
from functools import cache
from typing import Any

from django.conf import settings
from django.contrib.staticfiles import finders
from django.utils.translation import gettext, ngettext

from riskcalc.models import Restriction
from riskcalc.models.restrictions import JurisdictionKind, RestrictionKind

TOPOJSON_FOLDER = "vendor/topojson/"
PLOTLY_GEO_BUNDLE = "vendor/plotly/plotly-geo.min.js"

# Most restrictive last; the position is the colour-bar value.
SEVERITY = [
    RestrictionKind.ALLOWED_WITH_LICENSE,
    RestrictionKind.LEVERAGE_CAP,
    RestrictionKind.RESTRICTED,
    RestrictionKind.BLOCKED,
]
# Sequential light-to-dark (ColorBrewer YlOrRd), so the order survives colour blindness and
# greyscale printing.
SEVERITY_COLOURS = ["#fed976", "#fd8d3c", "#e31a1c", "#800026"]
HOVER_FACTS_SHOWN = 8


@cache
def countries_on_the_map() -> frozenset[str]:
    """ISO alpha-3 codes the vendored world_110m.json has shapes for."""
    path = finders.find(TOPOJSON_FOLDER + "world_110m.json")
    if not isinstance(path, str):
        raise FileNotFoundError(TOPOJSON_FOLDER + "world_110m.json")
    with open(path, encoding="utf-8") as handle:
        geometries = json.load(handle)["objects"]["countries"]["geometries"]
    return frozenset(g["id"] for g in geometries if g.get("id"))


@dataclass
class CountryFacts:
    iso_alpha3: str
    name: str
    facts: list[Restriction] = field(default_factory=list)

    @property
    def severity(self) -> int:
        return max(SEVERITY.index(RestrictionKind(f.kind)) for f in self.facts) + 1

    @property
    def hover_text(self) -> str:
        most = SEVERITY[self.severity - 1].label
        lines = [
            f"{f.subject}: {f.get_kind_display()} ({f.get_product_display().lower()})"
            for f in self.facts[:HOVER_FACTS_SHOWN]
        ]
        hidden = len(self.facts) - HOVER_FACTS_SHOWN
        if hidden > 0:
            lines.append(
                ngettext(
                    "… and %(count)s more in the table", "… and %(count)s more in the table", hidden
                )
                % {"count": hidden}
            )
        count = ngettext("%(count)s fact", "%(count)s facts", len(self.facts)) % {
            "count": len(self.facts)
        }
        most_line = gettext("Most restrictive: %(kind)s (%(count)s)") % {
            "kind": most,
            "count": count,
        }
        return f"<b>{self.name}</b><br>{most_line}<br>" + "<br>".join(lines)


@dataclass(frozen=True)
class RestrictionsMap:
    """The figure plus what the caption needs to describe it in words."""

    figure: dict[str, Any]
    countries_by_kind: list[tuple[str, int]]
    not_drawn: list[str]

    @property
    def countries_drawn(self) -> int:
        return sum(count for _, count in self.countries_by_kind)


def restrictions_map(facts: Iterable[Restriction]) -> RestrictionsMap:
    drawable = countries_on_the_map()
    countries: dict[str, CountryFacts] = {}
    not_drawn: dict[str, str] = {}
    for fact in facts:
        jurisdiction = fact.jurisdiction
        code = jurisdiction.iso_alpha3
        if jurisdiction.kind == JurisdictionKind.COUNTRY and code in drawable:
            countries.setdefault(code, CountryFacts(code, jurisdiction.name)).facts.append(fact)
        else:
            not_drawn[jurisdiction.code] = jurisdiction.name
    ordered = sorted(countries.values(), key=lambda c: c.name)
    counts = [
        (kind.label, sum(1 for c in ordered if c.severity == index + 1))
        for index, kind in enumerate(SEVERITY)
    ]
    return RestrictionsMap(
        figure=choropleth_figure(ordered),
        countries_by_kind=[(label, n) for label, n in reversed(counts) if n],
        not_drawn=[f"{name} ({code})" for code, name in sorted(not_drawn.items())],
    )


def choropleth_figure(countries: list[CountryFacts]) -> dict[str, Any]:
    """One trace per kind of restriction, so the legend names each colour in words.

    (One trace with a colour bar would be simpler, but Plotly's colour-bar gradient writes an
    inline ``style`` attribute, which the site's CSP forbids.)
    """
    traces = []
    for index, kind in reversed(list(enumerate(SEVERITY))):
        members = [c for c in countries if c.severity == index + 1]
        if not members:
            continue
        colour = SEVERITY_COLOURS[index]
        traces.append(
            {
                "type": "choropleth",
                "name": str(kind.label),
                "locationmode": "ISO-3",
                "locations": [c.iso_alpha3 for c in members],
                "z": [index + 1 for _ in members],
                "text": [c.hover_text for c in members],
                "hovertemplate": "%{text}<extra></extra>",
                "colorscale": [[0, colour], [1, colour]],
                "showscale": False,
                "showlegend": True,
                "marker": {"line": {"color": "#ffffff", "width": 0.5}},
            }
        )
    return {
        "data": traces,
        "layout": {
            "height": 440,
            "legend": {
                "title": {"text": "Most restrictive fact"},
                "orientation": "h",
                "x": 0,
                "y": -0.02,
                "yanchor": "top",
            },
            "margin": {"l": 0, "r": 0, "t": 10, "b": 0},
            "geo": {
                "projection": {"type": "natural earth", "rotation": {"lon": 0}},
                "center": {"lon": 0, "lat": 0},
                "lonaxis": {"range": [-180, 180]},
                "lataxis": {"range": [-60, 85]},
                "showframe": False,
                "showcoastlines": False,
                "showcountries": True,
                "countrycolor": "#adb5bd",
                "showland": True,
                "landcolor": "#e9ecef",
                "bgcolor": "rgba(0,0,0,0)",
            },
        },
        "config": {
            "topojsonURL": settings.STATIC_URL + TOPOJSON_FOLDER,
            "scrollZoom": False,
        },
    }
