"""Load the learn pages: TOML front matter plus Markdown, rendered and sanitised server-side.

A content file looks like this::

    +++
    title = "Liquidation"
    slug = "liquidation"
    summary = "One sentence, used as the meta description."
    order = 30
    group = "mechanics"
    last_reviewed = 2026-11-21
    glossary = ["mark-price"]

    [[sources]]
    id = "bybit-liq"
    title = "Bybit: Liquidation Price (USDT Contract)"
    url = "https://..."
    date = "n.d."          # the source's own date (YYYY, YYYY-MM or YYYY-MM-DD) or "n.d."
    note = "Why we cite it."

    [[try_it]]
    label = "Bybit's example"
    calculator = "liquidation"
    params = { side = "long", entry_price = "20000" }
    expect = { liquidation_price = "19700" }
    +++
    Markdown body. Cite with [@bybit-liq] or [@a, @b].

Everything is validated when the file is loaded, so a bad file fails the test suite instead of
rendering half a page: unknown keys, a source without URL or date, a citation marker without a
source, a source nobody cites, a calculator field the calculator does not have, an ``expect``
value that is not a number, headings that skip a level.

A translation lives beside its English page in ``content/learn/<language>/<slug>.md``
(``es``, ``zh-hans``, ``ar``), validated the same way, with the same slug, group, order,
glossary terms, sources (id, URL, date) and try-it links as the English page; a language
without one gets the English page (:func:`load_pages` with ``language``, ``Page.language``
says which one it is).

This module knows nothing about views or URLs. The view passes in the glossary URL and a
predicate telling which internal paths exist, so links to pages that are not built yet are
shown as plain text (:func:`page_html`).
"""

from __future__ import annotations

import datetime
import functools
import html
import re
import tomllib
from collections.abc import Callable, Iterable, Mapping
from dataclasses import dataclass, replace
from decimal import Decimal, InvalidOperation
from pathlib import Path
from types import MappingProxyType
from typing import Any
from urllib.parse import urlencode

import markdown
import nh3
from django.conf import settings
from django.utils.translation import gettext_lazy as _

from riskcalc.calculators import CALCULATORS
from riskcalc.languages import translation_path

__all__ = [
    "CALCULATOR_FIELDS",
    "CALCULATOR_PATHS",
    "CONTENT_DIR",
    "GROUPS",
    "ContentError",
    "GlossaryTerm",
    "Page",
    "Source",
    "TryIt",
    "get_page",
    "glossary_terms",
    "load_page",
    "load_pages",
    "page_html",
]

CONTENT_DIR = Path(__file__).resolve().parent.parent / "content" / "learn"

GROUPS: Mapping[str, Any] = MappingProxyType(
    {
        "basics": _("The basics"),
        "mechanics": _("How liquidation works"),
        "managing-risk": _("Managing risk"),
        "products": _("Products and contract types"),
        "reference": _("Reference"),
    }
)
"""Index groups, in display order, with their headings."""

CALCULATOR_PATHS: Mapping[str, str] = MappingProxyType(
    {slug: calculator.page_path for slug, calculator in CALCULATORS.items()}
)
"""Each calculator's page, by slug, from the registry (:data:`riskcalc.calculators.CALCULATORS`)."""

CALCULATOR_FIELDS: Mapping[str, frozenset[str]] = MappingProxyType(
    {
        slug: frozenset(calculator.form.base_fields) - calculator.form.post_only_fields
        for slug, calculator in CALCULATORS.items()
    }
)
"""Query parameters each calculator page accepts (the calculator forms' field names; list
fields exist only in a JSON body)."""

_FENCE = "+++"
_PAGE_KEYS = frozenset(
    {
        "title",
        "slug",
        "summary",
        "order",
        "group",
        "last_reviewed",
        "sources",
        "try_it",
        "glossary",
        "terms",
    }
)
_REQUIRED_PAGE_KEYS = _PAGE_KEYS - {"try_it", "glossary", "terms"}
_SOURCE_KEYS = frozenset({"id", "title", "url", "date", "note"})
_TRY_IT_KEYS = frozenset({"label", "calculator", "params", "expect"})
_TERM_KEYS = frozenset({"slug", "term", "aliases", "definition", "venues", "source"})
_SLUG = re.compile(r"^[a-z0-9]+(?:-[a-z0-9]+)*$")
_SOURCE_DATE = re.compile(r"^(?:\d{4}(?:-\d{2}(?:-\d{2})?)?|n\.d\.)$")
_URL = re.compile(r"^https?://[^\s\"<>]+$")
_CITATION = re.compile(r"\[@([\w-]+(?:\s*[,;]\s*@[\w-]+)*)\]")
_HEADING = re.compile(r"<h([1-6])\b")
_HEADING_ID = re.compile(r'(<h[2-6]) id="([^"]*)"')

_ALLOWED_TAGS = frozenset(
    {
        "a",
        "blockquote",
        "br",
        "code",
        "em",
        "h2",
        "h3",
        "h4",
        "hr",
        "li",
        "ol",
        "p",
        "pre",
        "strong",
        "sub",
        "sup",
        "table",
        "tbody",
        "td",
        "th",
        "thead",
        "tr",
        "ul",
    }
)
_ALLOWED_ATTRIBUTES = {
    "a": {"href", "title"},
    "h2": {"id"},
    "h3": {"id"},
    "h4": {"id"},
    "ol": {"start"},
}


class ContentError(ValueError):
    """A content file that does not follow the format; the message names file and problem."""


@dataclass(frozen=True, slots=True, kw_only=True)
class Source:
    id: str
    title: str
    url: str
    date: str
    note: str
    number: int

    @property
    def anchor(self) -> str:
        return f"source-{self.id}"


@dataclass(frozen=True, slots=True, kw_only=True)
class TryIt:
    """A calculator link whose result the page quotes; ``expect`` maps result names to figures.

    The figure's decimal places say how precisely the page quotes it: ``"19698.49"`` claims the
    result rounds to 19,698.49, ``"19700"`` that it rounds to 19,700.
    """

    label: str
    calculator: str
    params: Mapping[str, str]
    expect: Mapping[str, str]

    @property
    def path(self) -> str:
        return CALCULATOR_PATHS[self.calculator]

    @property
    def url(self) -> str:
        return f"{self.path}?{urlencode(dict(self.params))}"

    @property
    def calculator_title(self) -> str:
        """The calculator's name in the reader's language ("Liquidation price")."""
        return str(CALCULATORS[self.calculator].title)

    @property
    def inputs(self) -> tuple[tuple[str, str], ...]:
        """The query parameters as (field name in words, value) pairs, for display."""
        return tuple((name.replace("_", " "), value) for name, value in self.params.items())

    @property
    def results(self) -> tuple[tuple[str, str], ...]:
        """The claimed results as (result name in words, figure) pairs, for display."""
        return tuple((name.replace("_", " "), value) for name, value in self.expect.items())


@dataclass(frozen=True, slots=True, kw_only=True)
class GlossaryTerm:
    slug: str
    term: str
    aliases: tuple[str, ...]
    definition: str
    venues: str
    source: Source

    @property
    def anchor(self) -> str:
        return f"term-{self.slug}"

    @property
    def names(self) -> tuple[str, ...]:
        """Every spelling that gets a tooltip: the term itself, then its aliases."""
        return (self.term, *self.aliases)


@dataclass(frozen=True, slots=True, kw_only=True)
class Page:
    slug: str
    title: str
    summary: str
    order: int
    group: str
    last_reviewed: datetime.date
    sources: tuple[Source, ...]
    try_it: tuple[TryIt, ...]
    glossary: tuple[str, ...]
    terms: tuple[GlossaryTerm, ...]
    body_html: str
    path: Path
    language: str = "en"

    @property
    def group_title(self) -> str:
        return str(GROUPS[self.group])

    @property
    def skeleton(self) -> tuple[object, ...]:
        """What a translation must keep from its English page: everything but the words."""
        return (
            self.slug,
            self.group,
            self.order,
            self.glossary,
            tuple((s.id, s.url, s.date) for s in self.sources),
            tuple((t.calculator, dict(t.params), dict(t.expect)) for t in self.try_it),
            tuple(term.slug for term in self.terms),
        )


# --------------------------------------------------------------------------- parsing


def _fail(path: Path, message: str) -> ContentError:
    return ContentError(f"{path.name}: {message}")


def _split_front_matter(path: Path, text: str) -> tuple[dict[str, Any], str]:
    lines = text.splitlines(keepends=True)
    if not lines or lines[0].strip() != _FENCE:
        raise _fail(path, f"must start with a {_FENCE} front-matter fence")
    for index, line in enumerate(lines[1:], start=1):
        if line.strip() == _FENCE:
            front = "".join(lines[1:index])
            body = "".join(lines[index + 1 :])
            try:
                return tomllib.loads(front), body
            except tomllib.TOMLDecodeError as error:
                raise _fail(path, f"front matter is not valid TOML: {error}") from error
    raise _fail(path, f"front matter has no closing {_FENCE} fence")


def _require_str(path: Path, where: str, value: object) -> str:
    if not isinstance(value, str) or not value.strip():
        raise _fail(path, f"{where} must be a non-empty string")
    return value.strip()


def _check_keys(path: Path, where: str, table: object, allowed: frozenset[str]) -> None:
    if not isinstance(table, dict):
        raise _fail(path, f"{where} must be a table")
    unknown = set(table) - allowed
    if unknown:
        raise _fail(path, f"{where} has unknown keys {sorted(unknown)}")
    missing = allowed - set(table)
    if missing:
        raise _fail(path, f"{where} is missing {sorted(missing)}")


def _parse_sources(path: Path, raw: object) -> tuple[Source, ...]:
    if not isinstance(raw, list) or not raw:
        raise _fail(path, "needs at least one [[sources]] entry")
    sources: list[Source] = []
    for number, entry in enumerate(raw, start=1):
        where = f"source {number}"
        _check_keys(path, where, entry, _SOURCE_KEYS)
        source_id = _require_str(path, f"{where} id", entry["id"])
        if not _SLUG.match(source_id):
            raise _fail(path, f"{where} id {source_id!r} must be lower-case-with-dashes")
        url = _require_str(path, f"{where} url", entry["url"])
        if not _URL.match(url):
            raise _fail(path, f"{where} url {url!r} must be an http(s) URL")
        date = _require_str(path, f"{where} date", entry["date"])
        if not _SOURCE_DATE.match(date):
            raise _fail(path, f"{where} date {date!r} must be YYYY[-MM[-DD]] or 'n.d.'")
        sources.append(
            Source(
                id=source_id,
                title=_require_str(path, f"{where} title", entry["title"]),
                url=url,
                date=date,
                note=_require_str(path, f"{where} note", entry["note"]),
                number=number,
            )
        )
    ids = [source.id for source in sources]
    duplicates = {source_id for source_id in ids if ids.count(source_id) > 1}
    if duplicates:
        raise _fail(path, f"duplicate source ids {sorted(duplicates)}")
    return tuple(sources)


def _decimal_string(path: Path, where: str, value: object) -> str:
    text = _require_str(path, where, value)
    try:
        number = Decimal(text)
    except InvalidOperation as error:
        raise _fail(path, f"{where} {text!r} is not a decimal number") from error
    if not number.is_finite():
        raise _fail(path, f"{where} {text!r} is not a finite number")
    return text


def _parse_try_it(path: Path, raw: object) -> tuple[TryIt, ...]:
    if raw is None:
        return ()
    if not isinstance(raw, list):
        raise _fail(path, "try_it must be an array of tables")
    links: list[TryIt] = []
    for number, entry in enumerate(raw, start=1):
        where = f"try_it {number}"
        _check_keys(path, where, entry, _TRY_IT_KEYS)
        calculator = _require_str(path, f"{where} calculator", entry["calculator"])
        if calculator not in CALCULATOR_FIELDS:
            raise _fail(path, f"{where} calculator {calculator!r} is not one of ours")
        params = entry["params"]
        if not isinstance(params, dict) or not params:
            raise _fail(path, f"{where} params must be a non-empty table")
        unknown = set(params) - CALCULATOR_FIELDS[calculator]
        if unknown:
            raise _fail(path, f"{where} has fields {sorted(unknown)} unknown to {calculator}")
        for name, value in params.items():
            _require_str(path, f"{where} param {name}", value)
        expect = entry["expect"]
        if not isinstance(expect, dict) or not expect:
            raise _fail(path, f"{where} expect must be a non-empty table")
        links.append(
            TryIt(
                label=_require_str(path, f"{where} label", entry["label"]),
                calculator=calculator,
                params=MappingProxyType({k: v.strip() for k, v in params.items()}),
                expect=MappingProxyType(
                    {
                        name: _decimal_string(path, f"{where} expect {name}", value)
                        for name, value in expect.items()
                    }
                ),
            )
        )
    return tuple(links)


def _parse_terms(
    path: Path, raw: object, sources: Mapping[str, Source]
) -> tuple[GlossaryTerm, ...]:
    if raw is None:
        return ()
    if not isinstance(raw, list):
        raise _fail(path, "terms must be an array of tables")
    terms: list[GlossaryTerm] = []
    for number, entry in enumerate(raw, start=1):
        where = f"term {number}"
        _check_keys(path, where, entry, _TERM_KEYS)
        slug = _require_str(path, f"{where} slug", entry["slug"])
        if not _SLUG.match(slug):
            raise _fail(path, f"{where} slug {slug!r} must be lower-case-with-dashes")
        aliases = entry["aliases"]
        if not isinstance(aliases, list):
            raise _fail(path, f"{where} aliases must be a list (may be empty)")
        source_id = _require_str(path, f"{where} source", entry["source"])
        if source_id not in sources:
            raise _fail(path, f"{where} cites unknown source {source_id!r}")
        terms.append(
            GlossaryTerm(
                slug=slug,
                term=_require_str(path, f"{where} term", entry["term"]),
                aliases=tuple(_require_str(path, f"{where} alias", a) for a in aliases),
                definition=_require_str(path, f"{where} definition", entry["definition"]),
                venues=_require_str(path, f"{where} venues", entry["venues"]),
                source=sources[source_id],
            )
        )
    slugs = [term.slug for term in terms]
    if len(set(slugs)) != len(slugs):
        raise _fail(path, "duplicate glossary term slugs")
    return tuple(terms)


def _heading_slug(value: str, separator: str) -> str:
    words = re.findall(r"[a-z0-9]+", value.lower())
    return "sec-" + separator.join(words)


def _render_markdown(path: Path, body: str, sources: Mapping[str, Source]) -> tuple[str, set[str]]:
    """Render and sanitise the body; return the HTML and the ids of the sources it cites."""
    rendered = markdown.markdown(
        body,
        extensions=["tables", "sane_lists", "toc"],
        extension_configs={"toc": {"slugify": _heading_slug}},
        output_format="html",
    )
    levels = [int(level) for level in _HEADING.findall(rendered)]
    previous = 1
    for level in levels:
        if level == 1:
            raise _fail(path, "the body must not contain a level-1 heading (the title is h1)")
        if level > previous + 1:
            raise _fail(path, f"heading level jumps from h{previous} to h{level}")
        previous = level
    clean = nh3.clean(
        rendered,
        tags=set(_ALLOWED_TAGS),
        attributes={tag: set(names) for tag, names in _ALLOWED_ATTRIBUTES.items()},
        url_schemes={"http", "https", "mailto"},
    )

    cited: set[str] = set()

    def cite(match: re.Match[str]) -> str:
        ids = [part.strip().lstrip("@") for part in re.split(r"[,;]", match.group(1))]
        links = []
        for source_id in ids:
            if source_id not in sources:
                raise _fail(path, f"citation [@{source_id}] has no matching source")
            cited.add(source_id)
            source = sources[source_id]
            links.append(
                f'<a href="#{source.anchor}" class="cite">'
                f'<span class="visually-hidden">source </span>[{source.number}]</a>'
            )
        return f"<sup>{''.join(links)}</sup>"

    return _CITATION.sub(cite, scrollable_tables(clean)), cited


_TABLE = re.compile(r"<table>.*?</table>", re.DOTALL)
_HEADER_CELL = re.compile(r"<th[^>]*>(.*?)</th>", re.DOTALL)
_TAG = re.compile(r"<[^>]+>")


def scrollable_tables(body: str) -> str:
    """Wrap each table in a region that scrolls sideways on a narrow screen, not the page.

    A wide table (five columns of tier ranges, in Arabic at 375 px) would otherwise widen the
    whole page. The region is focusable, so a keyboard can scroll it, and named by its column
    headers, which are already in the page's language.
    """

    def wrap(match: re.Match[str]) -> str:
        table = match.group(0)
        cells = (html.unescape(_TAG.sub("", cell)).strip() for cell in _HEADER_CELL.findall(table))
        label = html.escape(" · ".join(cell for cell in cells if cell), quote=True)
        return (
            f'<div class="table-scroll" role="region" tabindex="0" aria-label="{label}">'
            f"{table}</div>"
        )

    return _TABLE.sub(wrap, body)


# A summary is one sentence: it ends as a sentence ends in each of the site's languages.
_SENTENCE_ENDS = (".", "?", "\u3002", "\uff1f", "\u061f")  # 。 ？ ؟


@functools.cache
def _load(path: Path, mtime_ns: int, language: str) -> Page:
    del mtime_ns  # part of the cache key only: an edited file is parsed again
    meta, body = _split_front_matter(path, path.read_text(encoding="utf-8"))
    unknown = set(meta) - _PAGE_KEYS
    if unknown:
        raise _fail(path, f"unknown front-matter keys {sorted(unknown)}")
    missing = _REQUIRED_PAGE_KEYS - set(meta)
    if missing:
        raise _fail(path, f"front matter is missing {sorted(missing)}")
    slug = _require_str(path, "slug", meta["slug"])
    if not _SLUG.match(slug) or path.stem != slug:
        raise _fail(path, f"slug {slug!r} must be lower-case-with-dashes and match the file")
    order = meta["order"]
    if not isinstance(order, int) or isinstance(order, bool):
        raise _fail(path, "order must be an integer")
    group = _require_str(path, "group", meta["group"])
    if group not in GROUPS:
        raise _fail(path, f"group {group!r} is not one of {list(GROUPS)}")
    reviewed = meta["last_reviewed"]
    if type(reviewed) is not datetime.date:
        raise _fail(path, "last_reviewed must be a TOML date (YYYY-MM-DD, unquoted)")
    summary = _require_str(path, "summary", meta["summary"])
    if "\n" in summary or not summary.endswith(_SENTENCE_ENDS):
        raise _fail(path, "summary must be one sentence on one line")
    glossary = meta.get("glossary", [])
    if not isinstance(glossary, list) or not all(isinstance(g, str) for g in glossary):
        raise _fail(path, "glossary must be a list of term slugs")
    sources = _parse_sources(path, meta["sources"])
    by_id = {source.id: source for source in sources}
    terms = _parse_terms(path, meta.get("terms"), by_id)
    body_html, cited = _render_markdown(path, body, by_id)
    # Glossary terms cite their sources outside the body: they count as cited too.
    uncited = set(by_id) - cited - {term.source.id for term in terms}
    if uncited:
        raise _fail(path, f"sources {sorted(uncited)} are listed but never cited")
    return Page(
        slug=slug,
        title=_require_str(path, "title", meta["title"]),
        summary=summary,
        order=order,
        group=group,
        last_reviewed=reviewed,
        sources=sources,
        try_it=_parse_try_it(path, meta.get("try_it")),
        glossary=tuple(glossary),
        terms=terms,
        body_html=body_html,
        path=path,
        language=language,
    )


def load_page(path: Path, language: str = "en") -> Page:
    """Parse, validate and render one content file (cached until the file changes)."""
    return _load(path, path.stat().st_mtime_ns, language)


def translated_page(english: Page, language: str) -> Page | None:
    """``english`` in ``language`` from ``<its folder>/<language>/<slug>.md``, or ``None``
    when there is no translation or it no longer matches the English page's skeleton (a
    source or try-it link added since: tests/content/test_translations.py names it)."""
    path = translation_path(english.path, language)
    if path is None:
        return None
    page = load_page(path, language)
    if page.skeleton != english.skeleton:
        return None
    return replace(page, body_html=_english_heading_ids(page.body_html, english.body_html))


def _english_heading_ids(translated_html: str, english_html: str) -> str:
    """The translation's headings with the English page's section ids, by position, so
    ``#sec-fees`` opens the same section in every language (Chinese and Arabic headings have
    no letters to slug). A translation with other sections gets numbered ids instead.

    >>> _english_heading_ids('<h2 id="sec-">Regla</h2><h2 id="sec-_1">Tasas</h2>',
    ...                      '<h2 id="sec-rule">Rule</h2><h2 id="sec-fees">Fees</h2>')
    '<h2 id="sec-rule">Regla</h2><h2 id="sec-fees">Tasas</h2>'
    >>> _english_heading_ids('<h2 id="sec-">Regla</h2>', '')
    '<h2 id="sec-1">Regla</h2>'
    """
    english_ids = [match.group(2) for match in _HEADING_ID.finditer(english_html)]
    count = len(_HEADING_ID.findall(translated_html))
    ids = iter(
        english_ids if len(english_ids) == count else [f"sec-{n}" for n in range(1, count + 1)]
    )
    return _HEADING_ID.sub(lambda match: f'{match.group(1)} id="{next(ids)}"', translated_html)


def load_pages(directory: Path = CONTENT_DIR, language: str | None = None) -> tuple[Page, ...]:
    """Every page in ``directory``, validated together, in index order (group, order, title):
    in ``language`` where translated, else in English (``None``: English only).

    Cross-file rules: slugs are unique and every ``glossary`` entry names a term defined on the
    glossary page.
    """
    pages = tuple(load_page(path) for path in sorted(directory.glob("*.md")))
    if language is not None and language != settings.LANGUAGE_CODE:
        pages = tuple(translated_page(page, language) or page for page in pages)
    slugs = [page.slug for page in pages]
    duplicates = {slug for slug in slugs if slugs.count(slug) > 1}
    if duplicates:
        raise ContentError(f"duplicate slugs {sorted(duplicates)}")
    known = {term.slug for page in pages for term in page.terms}
    for page in pages:
        missing = set(page.glossary) - known
        if missing:
            raise ContentError(f"{page.path.name}: glossary terms {sorted(missing)} undefined")
    group_rank = {group: rank for rank, group in enumerate(GROUPS)}
    return tuple(sorted(pages, key=lambda p: (group_rank[p.group], p.order, p.title)))


def get_page(slug: str, directory: Path = CONTENT_DIR, language: str | None = None) -> Page | None:
    return next((page for page in load_pages(directory, language) if page.slug == slug), None)


def glossary_terms(
    directory: Path = CONTENT_DIR, language: str | None = None
) -> Mapping[str, GlossaryTerm]:
    return {term.slug: term for page in load_pages(directory, language) for term in page.terms}


# --------------------------------------------------------------------------- rendering

_TOKEN = re.compile(r"(<[^>]+>)")
_OPEN_TAG = re.compile(r"^<([a-z0-9]+)\b")
_CLOSE_TAG = re.compile(r"^</([a-z0-9]+)\s*>$")
_NO_TOOLTIP_INSIDE = frozenset({"a", "code", "pre", "h2", "h3", "h4", "sup", "th"})
_INTERNAL_LINK = re.compile(r'<a href="(/[^"]*)"[^>]*>(.*?)</a>', re.DOTALL)


def _starts_skip(token: str, opening: re.Match[str], skip: list[str]) -> bool:
    """Whether an opening tag starts (or, inside a skipped element, nests in) a region where
    no tooltip may go. Void tags never open a region."""
    tag = opening.group(1)
    if token.endswith("/>") or tag in {"br", "hr"}:
        return False
    return tag in _NO_TOOLTIP_INSIDE or bool(skip)


def _unlink_missing(
    html_text: str, exists: Callable[[str], bool], localize: Callable[[str], str] = str
) -> str:
    def replace(match: re.Match[str]) -> str:
        target = html.unescape(match.group(1)).split("#", 1)[0].split("?", 1)[0]
        if target and not exists(target):
            return match.group(2)
        local = html.escape(localize(html.unescape(match.group(1))))
        return match.group(0).replace(f'href="{match.group(1)}"', f'href="{local}"', 1)

    return _INTERNAL_LINK.sub(replace, html_text)


def _add_tooltips(html_text: str, terms: Iterable[GlossaryTerm], glossary_url: str) -> str:
    """Link the first use of each term to the glossary, with its definition as a tooltip.

    The term becomes a link to its glossary entry (keyboard-focusable, works without CSS or
    JS); ``aria-describedby`` points at the definition so screen readers announce it. CSS shows
    the definition on hover and focus, and ``static/js/glossary.js`` lets Escape dismiss it.
    """
    by_name: dict[str, GlossaryTerm] = {}
    for term in terms:
        for name in term.names:
            by_name.setdefault(name.lower(), term)
    if not by_name:
        return html_text
    names = sorted(by_name, key=len, reverse=True)
    pattern = re.compile(
        r"(?<![\w-])(" + "|".join(re.escape(html.escape(n)) for n in names) + r")(?![\w-])",
        re.IGNORECASE,
    )
    used: set[str] = set()
    skip: list[str] = []
    out: list[str] = []
    for token in _TOKEN.split(html_text):
        if token.startswith("<"):
            if closing := _CLOSE_TAG.match(token):
                if skip and skip[-1] == closing.group(1):
                    skip.pop()
            elif (opening := _OPEN_TAG.match(token)) and _starts_skip(token, opening, skip):
                skip.append(opening.group(1))
            out.append(token)
            continue
        if skip:
            out.append(token)
            continue

        def wrap(match: re.Match[str]) -> str:
            term = by_name[html.unescape(match.group(1)).lower()]
            if term.slug in used:
                return match.group(0)
            used.add(term.slug)
            tip = f"tip-{term.slug}"
            return (
                f'<span class="term">'
                f'<a class="term-link" href="{glossary_url}#{term.anchor}" '
                f'aria-describedby="{tip}">{match.group(1)}</a>'
                f'<span class="term-tip" role="tooltip" id="{tip}">'
                f"{html.escape(term.term)}: {html.escape(term.definition)}</span></span>"
            )

        out.append(pattern.sub(wrap, token))
    return "".join(out)


def page_html(
    page: Page,
    *,
    glossary: Mapping[str, GlossaryTerm],
    glossary_url: str,
    exists: Callable[[str], bool],
    localize: Callable[[str], str] = str,
) -> str:
    """The page body ready for the template: tooltips on the page's glossary terms, internal
    links to pages that do not exist (yet) turned into plain text, and the others passed
    through ``localize`` (an English path to the reader's language's)."""
    terms = [glossary[slug] for slug in page.glossary if slug in glossary]
    body = page.body_html if page.terms else _add_tooltips(page.body_html, terms, glossary_url)
    return _unlink_missing(body, exists, localize)
