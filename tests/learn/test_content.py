"""The learn content files parse, cite dated sources, and use real calculator fields; the
loader rejects files that break the format, and renders safe, accessible HTML."""

from __future__ import annotations

import re
from datetime import date
from pathlib import Path

import pytest

from riskcalc import content

CONTENT_FILES = sorted(content.CONTENT_DIR.glob("*.md"))
EXPECTED_SLUGS = {
    "leverage",
    "margin",
    "liquidation",
    "isolated-vs-cross",
    "bankruptcy-insurance-adl",
    "orders",
    "funding-rates",
    "position-sizing",
    "choosing-leverage",
    "copy-trading",
    "linear-vs-inverse",
    "glossary",
    "risk-disclosure",
}
GOOD_FRONT_MATTER = """+++
title = "A page"
slug = "{slug}"
summary = "One sentence."
order = 1
group = "basics"
last_reviewed = 2026-11-21

[[sources]]
id = "src"
title = "A source"
url = "https://example.org/page"
date = "2024-05-29"
note = "Why it is cited."
{extra}+++
## Heading

A fact.[@src]
"""


def write_page(directory: Path, *, slug: str = "page", extra: str = "", body: str = "") -> Path:
    text = GOOD_FRONT_MATTER.format(slug=slug, extra=extra)
    if body:
        text = text.split("+++\n## Heading", 1)[0] + "+++\n" + body
    path = directory / f"{slug}.md"
    path.write_text(text, encoding="utf-8")
    return path


def test_every_topic_of_the_brief_has_a_page() -> None:
    assert {path.stem for path in CONTENT_FILES} == EXPECTED_SLUGS


@pytest.mark.parametrize("path", CONTENT_FILES, ids=lambda p: p.stem)
def test_every_file_parses_and_renders(path: Path) -> None:
    page = content.load_page(path)
    assert page.slug == path.stem
    assert page.body_html.startswith("<h2")
    assert page.summary.count(". ") == 0, "summary must be one sentence"
    assert "<th></th>" not in page.body_html, "every table header needs text"


def test_all_pages_load_together_with_their_glossary_terms_defined() -> None:
    pages = content.load_pages()
    assert len(pages) == len(CONTENT_FILES)
    terms = content.glossary_terms()
    for page in pages:
        assert set(page.glossary) <= set(terms), page.slug


@pytest.mark.parametrize("path", CONTENT_FILES, ids=lambda p: p.stem)
def test_every_page_cites_at_least_one_source_with_url_and_date(path: Path) -> None:
    page = content.load_page(path)
    assert page.sources
    for source in page.sources:
        assert source.url.startswith(("https://", "http://")), source.id
        assert re.fullmatch(r"\d{4}(-\d{2}(-\d{2})?)?|n\.d\.", source.date), source.id


@pytest.mark.parametrize("path", CONTENT_FILES, ids=lambda p: p.stem)
def test_every_page_was_reviewed_and_has_a_question_to_check_understanding(path: Path) -> None:
    page = content.load_page(path)
    assert page.last_reviewed >= date(2026, 11, 21)  # the first review of every page
    if page.slug != "glossary":
        assert "Check your understanding" in page.body_html


@pytest.mark.parametrize("path", CONTENT_FILES, ids=lambda p: p.stem)
def test_every_try_it_link_names_a_calculator_and_its_fields(path: Path) -> None:
    page = content.load_page(path)
    for link in page.try_it:
        assert link.calculator in content.CALCULATOR_PATHS
        assert set(link.params) <= content.CALCULATOR_FIELDS[link.calculator], link.label
        assert link.url.startswith(content.CALCULATOR_PATHS[link.calculator] + "?")
        assert link.expect


def test_every_explainer_has_a_numeric_example_a_calculator_reproduces() -> None:
    for page in content.load_pages():
        assert page.try_it, f"{page.slug} has no try_it example"


def test_glossary_maps_the_venue_specific_names_of_the_return_on_margin() -> None:
    terms = content.glossary_terms()
    roe = terms["roe"]
    for name in ("ROE", "ROI", "P&L ratio", "Yield"):
        assert name in roe.venues or name in roe.names
    assert "direction differs" in terms["margin-ratio"].definition.lower() or (
        "direction" in terms["margin-ratio"].definition
    )


def test_unverified_and_contradicted_leverage_claims_stay_labelled() -> None:
    body = content.get_page("leverage").body_html  # type: ignore[union-attr]
    for label in ("Unresolved conflict", "Out of date", "Unverified", "Contradicted for crypto"):
        assert label in body


def test_risk_disclosure_covers_the_checklist_and_the_sites_limits() -> None:
    body = content.get_page("risk-disclosure").body_html  # type: ignore[union-attr]
    for phrase in (
        "Not investment advice",
        "74–89%",
        "negative balance protection",
        "1 ÷ leverage",
        "Mark price, not last price",
        "insurance fund",
        "auto-deleverage",
        "Funding costs",
        "change the rules",
        "Copy trading",
        "FSCS",
        "Where you live matters",
        "No incentives",
        "estimates",
        "partial or laddered liquidation",
        "maintenance rate × (entry − liquidation price)",
        "tick",
        "2024-10-24",
        "2026-08-05",
    ):
        assert phrase in body, phrase


# --------------------------------------------------------------------------- loader rules


def test_a_good_minimal_file_loads(tmp_path: Path) -> None:
    page = content.load_page(write_page(tmp_path))
    assert page.title == "A page"
    assert '<a href="#source-src" class="cite">' in page.body_html


def test_a_file_without_sources_fails(tmp_path: Path) -> None:
    path = tmp_path / "page.md"
    path.write_text(
        '+++\ntitle = "T"\nslug = "page"\nsummary = "S."\norder = 1\ngroup = "basics"\n'
        "last_reviewed = 2026-11-21\n+++\nBody\n",
        encoding="utf-8",
    )
    with pytest.raises(content.ContentError, match="missing"):
        content.load_page(path)


@pytest.mark.parametrize(
    ("extra", "message"),
    [
        (
            '\n[[sources]]\nid = "b"\ntitle = "B"\nurl = "ftp://x"\ndate = "n.d."\nnote = "N"\n',
            "url",
        ),
        (
            '\n[[sources]]\nid = "b"\ntitle = "B"\nurl = "https://x.org"\ndate = "recent"\nnote = "N"\n',
            "date",
        ),
        ('\n[[sources]]\nid = "b"\ntitle = "B"\nurl = "https://x.org"\ndate = "n.d."\n', "missing"),
        (
            '\n[[sources]]\nid = "b"\ntitle = "B"\nurl = "https://x.org"\ndate = "n.d."\nnote = "N"\n',
            "never cited",
        ),
        (
            '\n[[try_it]]\nlabel = "L"\ncalculator = "nope"\nparams = { a = "1" }\nexpect = { x = "1" }\n',
            "not one of ours",
        ),
        (
            '\n[[try_it]]\nlabel = "L"\ncalculator = "pnl"\nparams = { price = "1" }\nexpect = { pnl = "1" }\n',
            "unknown to pnl",
        ),
        (
            '\n[[try_it]]\nlabel = "L"\ncalculator = "pnl"\nparams = { side = "long" }\nexpect = { pnl = "about 5" }\n',
            "not a decimal",
        ),
        ('\nsurprise = "key"\n', "unknown front-matter keys"),
    ],
)
def test_broken_front_matter_fails_at_load_time(tmp_path: Path, extra: str, message: str) -> None:
    # Keys after a [[table]] belong to it in TOML, so the stray key goes before the sources.
    if extra.startswith("\nsurprise"):
        path = tmp_path / "page.md"
        path.write_text(
            GOOD_FRONT_MATTER.format(slug="page", extra="").replace(
                'group = "basics"', 'group = "basics"' + extra
            ),
            encoding="utf-8",
        )
    else:
        path = write_page(tmp_path, extra=extra)
    with pytest.raises(content.ContentError, match=message):
        content.load_page(path)


def test_a_citation_without_a_source_fails(tmp_path: Path) -> None:
    path = write_page(tmp_path, body="## H\n\nFact.[@src] Other.[@missing]\n")
    with pytest.raises(content.ContentError, match="no matching source"):
        content.load_page(path)


def test_headings_must_not_skip_levels_or_repeat_the_title(tmp_path: Path) -> None:
    with pytest.raises(content.ContentError, match="jumps"):
        content.load_page(write_page(tmp_path, body="## A\n\n#### B\n\nFact.[@src]\n"))
    with pytest.raises(content.ContentError, match="level-1"):
        content.load_page(write_page(tmp_path, slug="other", body="# A\n\nFact.[@src]\n"))


def test_slug_must_match_file_name(tmp_path: Path) -> None:
    path = write_page(tmp_path)
    path.rename(tmp_path / "renamed.md")
    with pytest.raises(content.ContentError, match="match the file"):
        content.load_page(tmp_path / "renamed.md")


def test_raw_html_and_scripts_are_stripped(tmp_path: Path) -> None:
    body = (
        '## H\n\nFact.[@src] <script>alert(1)</script><a href="javascript:x()" onclick="y()">'
        'z</a> <img src="x" onerror="y()"> <span style="color:red">w</span>\n'
    )
    html = content.load_page(write_page(tmp_path, body=body)).body_html
    for forbidden in ("<script", "javascript:", "onclick", "onerror", "<img", "style=", "color:"):
        assert forbidden not in html


def test_a_table_scrolls_in_its_own_keyboard_region_named_by_its_headers(tmp_path: Path) -> None:
    body = "## H\n\nFact.[@src]\n\n| Tier | Cap & rate |\n|---|---|\n| 1 | 50,000 |\n"
    html = content.load_page(write_page(tmp_path, body=body)).body_html

    region = re.search(r"<div ([^>]*)><table>.*?</table></div>", html, re.DOTALL)

    assert region is not None, html
    assert 'class="table-scroll" role="region" tabindex="0"' in region.group(1)
    assert 'aria-label="Tier · Cap &amp; rate"' in region.group(1)


def test_an_edited_file_is_parsed_again(tmp_path: Path) -> None:
    path = write_page(tmp_path)
    assert content.load_page(path).title == "A page"
    path.write_text(path.read_text().replace('"A page"', '"Renamed page"'), encoding="utf-8")
    assert content.load_page(path).title == "Renamed page"


# --------------------------------------------------------------------------- rendering


def _term(slug: str, term: str, *aliases: str) -> content.GlossaryTerm:
    source = content.Source(
        id="s", title="S", url="https://example.org", date="n.d.", note="N", number=1
    )
    return content.GlossaryTerm(
        slug=slug,
        term=term,
        aliases=aliases,
        definition=f"{term} means <x>.",
        venues="All.",
        source=source,
    )


def test_tooltips_wrap_the_first_use_only_and_skip_links_headings_and_code() -> None:
    page = content.load_page(content.CONTENT_DIR / "liquidation.md")
    html = "<h2>mark price</h2><p><a href='/x'>mark price</a> <code>mark price</code> The Mark Price rises; the mark price falls.</p>"
    rendered = content._add_tooltips(html, [_term("mark-price", "mark price")], "/g/")
    assert rendered.count('class="term-link"') == 1
    assert "<h2>mark price</h2>" in rendered
    assert "<code>mark price</code>" in rendered
    assert 'aria-describedby="tip-mark-price">Mark Price</a>' in rendered
    assert 'role="tooltip" id="tip-mark-price">mark price: mark price means &lt;x&gt;.' in rendered
    assert page.glossary  # the real pages do ask for tooltips


def test_tooltips_prefer_the_longest_matching_term() -> None:
    terms = [_term("mm", "maintenance margin"), _term("mmr", "maintenance margin rate")]
    rendered = content._add_tooltips("<p>The maintenance margin rate is set.</p>", terms, "/g/")
    assert 'aria-describedby="tip-mmr">maintenance margin rate</a>' in rendered
    assert 'tip-mm"' not in rendered


def test_links_to_missing_internal_pages_become_plain_text() -> None:
    html = '<p><a href="/learn/yes/#x">yes</a> <a href="/learn/no/">no</a> <a href="https://e.org">e</a></p>'
    rendered = content._unlink_missing(html, lambda path: path == "/learn/yes/")
    assert '<a href="/learn/yes/#x">yes</a>' in rendered
    assert '<a href="/learn/no/">' not in rendered and " no " in rendered
    assert '<a href="https://e.org">e</a>' in rendered


def test_every_rendered_tooltip_refers_to_a_definition_in_the_same_page() -> None:
    terms = content.glossary_terms()
    for page in content.load_pages():
        html = content.page_html(
            page, glossary=terms, glossary_url="/learn/glossary/", exists=lambda _: True
        )
        described = set(re.findall(r'aria-describedby="([^"]+)"', html))
        ids = set(re.findall(r'id="([^"]+)"', html))
        assert described <= ids, page.slug
        assert len(ids) == len(re.findall(r'id="([^"]+)"', html)), f"duplicate ids in {page.slug}"
