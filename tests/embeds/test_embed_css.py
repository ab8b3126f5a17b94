"""The widgets' trimmed Bootstrap is current and covers every class a widget renders."""

from __future__ import annotations

import re

import pytest
from django.test import Client

from riskcalc import embed_css

pytestmark = pytest.mark.django_db

EXAMPLE = (
    "side=long&entry_price=20000&quantity=1&leverage=50&margin_mode=isolated"
    "&maintenance_margin_rate=0.005&mm_basis=entry"
)


def classes_in(css: str) -> set[str]:
    return set(embed_css.CLASS.findall(re.sub(r"\{[^{}]*\}", "{}", css)))


def test_committed_trimmed_css_is_what_the_builder_makes() -> None:
    assert embed_css.TARGET.read_text(encoding="utf-8") == embed_css.build(), (
        "static/vendor/bootstrap/bootstrap-embed.min.css is stale: "
        "run `uv run python -m riskcalc.embed_css` and commit the result"
    )


def test_committed_right_to_left_trimmed_css_is_what_the_builder_makes() -> None:
    assert embed_css.RTL_TARGET.read_text(encoding="utf-8") == embed_css.build(embed_css.RTL_SOURCE)
    assert embed_css.RTL_TARGET.stat().st_size < embed_css.RTL_SOURCE.stat().st_size / 4


def test_an_arabic_widget_loads_the_trimmed_right_to_left_css(client: Client) -> None:
    page = client.get("/embed/margin/?lang=ar").content.decode()

    assert "bootstrap-embed.rtl" in page and "bootstrap.rtl.min.css" not in page


def test_trimmed_css_is_a_fraction_of_the_full_one() -> None:
    assert embed_css.TARGET.stat().st_size < embed_css.SOURCE.stat().st_size / 4


@pytest.mark.parametrize(
    "query",
    ["", EXAMPLE, f"{EXAMPLE}&theme=dark&mode=full", "entry_price=abc&side=long", "leverage=-1"],
)
def test_every_bootstrap_class_a_widget_renders_is_kept(client: Client, query: str) -> None:
    full = classes_in(embed_css.SOURCE.read_text(encoding="utf-8"))
    trimmed = classes_in(embed_css.TARGET.read_text(encoding="utf-8"))
    html = client.get(f"/embed/liquidation/?{query}").content.decode()
    used = {c for attr in re.findall(r'class="([^"]*)"', html) for c in attr.split()}

    assert (used & full) - trimmed == set()
