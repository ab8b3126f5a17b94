"""Embed options: each is validated against a closed set and falls back to its default."""

from __future__ import annotations

import pytest
from django.http import QueryDict

from riskcalc.views.embeds import EMBEDS, SHOW_BLOCKS, EmbedOptions, form_query


def options(query: str) -> EmbedOptions:
    return EmbedOptions.from_query(QueryDict(query))


def test_no_options_gives_the_defaults() -> None:
    assert options("") == EmbedOptions()
    assert EmbedOptions().as_query() == {}


def test_valid_options_are_read() -> None:
    got = options(
        "theme=dark&accent=%23A1B2C3&locale=de&mode=full&show=maths,summary"
        "&origin=https://blog.example:8443&widget=riskcalc-2"
    )
    assert got.theme == "dark"
    assert got.accent == "#a1b2c3"
    assert got.locale == "de"
    assert got.mode == "full"
    assert got.show == ("summary", "maths")  # canonical order
    assert got.origin == "https://blog.example:8443"
    assert got.widget == "riskcalc-2"


def test_short_hex_accent_is_expanded() -> None:
    assert options("accent=%23f0a").accent == "#ff00aa"


@pytest.mark.parametrize(
    "accent",
    [
        "red",
        "#12",
        "#12345",
        "#1234567",
        "#ggg",
        "rgb(1,2,3)",
        "#fff;}body{display:none",
        "</style><script>alert(1)</script>",
        "var(--x)",
        "%23fff",
    ],
)
def test_anything_but_hex_accent_is_dropped(accent: str) -> None:
    assert EmbedOptions.from_query({"accent": accent}).accent == ""


@pytest.mark.parametrize(
    ("query", "attribute", "default"),
    [
        ("theme=blue", "theme", "light"),
        ("theme=DARK", "theme", "light"),
        ("locale=xx", "locale", ""),
        ("locale=de-DE", "locale", ""),
        ("lang=klingon", "lang", "en"),
        ("mode=maybe", "mode", "compact"),
        ("mode=FULL ", "mode", "full"),
        ("show=nothing,useful", "show", SHOW_BLOCKS),
        ("show=", "show", SHOW_BLOCKS),
        ("origin=javascript:alert(1)", "origin", ""),
        ("origin=https://a.example/path", "origin", ""),
        ("origin=https://a.example%22%3E", "origin", ""),
        ("origin=*", "origin", ""),
        ("widget=%3Cscript%3E", "widget", ""),
        ("widget=" + "a" * 41, "widget", ""),
    ],
)
def test_garbage_falls_back_to_the_default(query: str, attribute: str, default: object) -> None:
    assert getattr(options(query), attribute) == default


@pytest.mark.parametrize(
    ("accent", "text"), [("#ffff00", "#000"), ("#000080", "#fff"), ("#6c757d", "#fff")]
)
def test_text_on_the_accent_is_the_more_readable_of_black_and_white(accent: str, text: str) -> None:
    assert EmbedOptions(accent=accent).accent_text == text


def test_form_query_keeps_only_the_calculators_fields() -> None:
    query = QueryDict("side=long&leverage=20&theme=dark&widget=x&junk=1&leverage=30")
    kept = form_query(query, EMBEDS["liquidation"])
    assert sorted(kept.lists()) == [("leverage", ["20", "30"]), ("side", ["long"])]
