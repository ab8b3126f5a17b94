"""Build ``static/vendor/bootstrap/bootstrap-embed.min.css``: Bootstrap trimmed for the widgets.

Embedded widgets (templates/embed/) must load in under 60 KB compressed, and the full
Bootstrap stylesheet alone is about 31 KB gzipped, mostly components and responsive utilities
the widgets never use. This keeps every rule of ``bootstrap.min.css`` except those whose
selectors name a class that no template a widget renders could use:

* a selector is kept when each class it names occurs as a word in those templates (the embed
  templates, every calculator template and include, crispy-bootstrap5's field templates) or
  in the scripts the widget loads; selectors without classes (``:root``, ``[data-bs-theme]``,
  elements) are always kept, so the theme variables and reboot stay whole;
* ``@media``/``@supports`` blocks are filtered the same way, ``@keyframes`` kept as they are.

Words are over-counted on purpose (a word in a comment keeps its rule), so the trimmed file
errs towards keeping CSS. ``tests/embeds/test_embed_css.py`` fails when the committed file
differs from what this produces, e.g. after a template starts using a new Bootstrap class::

    uv run python -m riskcalc.embed_css      # rewrite the trimmed files (LTR and RTL)
"""

from __future__ import annotations

import re
import sys
from collections.abc import Iterable
from pathlib import Path

import crispy_bootstrap5

ROOT = Path(__file__).resolve().parent.parent
SOURCE = ROOT / "static" / "vendor" / "bootstrap" / "bootstrap.min.css"
TARGET = ROOT / "static" / "vendor" / "bootstrap" / "bootstrap-embed.min.css"
RTL_SOURCE = ROOT / "static" / "vendor" / "bootstrap" / "bootstrap.rtl.min.css"
RTL_TARGET = ROOT / "static" / "vendor" / "bootstrap" / "bootstrap-embed.rtl.min.css"
"""The right-to-left widgets' (Arabic) copy, trimmed from Bootstrap's RTL file the same way."""
CRISPY = Path(crispy_bootstrap5.__file__).parent / "templates" / "bootstrap5"
HEADER = (
    '@charset "UTF-8";'
    "/*! Bootstrap v5.3.9 (https://getbootstrap.com/), MIT licence (LICENSE beside this file);"
    " trimmed for riskcalc's embeds by riskcalc/embed_css.py, do not edit */\n"
)

WORD = re.compile(r"[A-Za-z][A-Za-z0-9_-]*")
CLASS = re.compile(r"\.(-?[A-Za-z_][A-Za-z0-9_-]*)")


def widget_sources() -> list[Path]:
    """Every file whose words may become a class in a widget's DOM."""
    templates = ROOT / "templates"
    files = [
        *sorted((templates / "embed").rglob("*.html")),
        *sorted((templates / "calculators").rglob("*.html")),
        CRISPY / "field.html",
        *sorted((CRISPY / "layout").glob("*.html")),
    ]
    files += [
        ROOT / "static" / "js" / name for name in ("embed-frame.js", "calculator.js", "charts.js")
    ]
    return files


def used_words(paths: Iterable[Path]) -> set[str]:
    words: set[str] = set()
    for path in paths:
        words.update(WORD.findall(path.read_text(encoding="utf-8")))
    return words


def _blocks(css: str) -> list[tuple[str, str]]:
    """Split CSS into (prelude, body) pairs at the top level, brace-matched."""
    blocks: list[tuple[str, str]] = []
    i = 0
    while i < len(css):
        start = css.find("{", i)
        if start == -1:
            break
        prelude = css[i:start].strip()
        depth, j = 1, start + 1
        while depth:
            if css[j] == "{":
                depth += 1
            elif css[j] == "}":
                depth -= 1
            j += 1
        blocks.append((prelude, css[start + 1 : j - 1]))
        i = j
    return blocks


def _split_selectors(prelude: str) -> list[str]:
    """Split a selector list on top-level commas (not inside :is()/:not() parentheses)."""
    parts, depth, current = [], 0, ""
    for char in prelude:
        if char == "(":
            depth += 1
        elif char == ")":
            depth -= 1
        if char == "," and depth == 0:
            parts.append(current)
            current = ""
        else:
            current += char
    parts.append(current)
    return parts


def trim(css: str, words: set[str]) -> str:
    out: list[str] = []
    for prelude, body in _blocks(css):
        if prelude.startswith(("@media", "@supports", "@container", "@layer")):
            inner = trim(body, words)
            if inner:
                out.append(f"{prelude}{{{inner}}}")
        elif prelude.startswith("@"):
            out.append(f"{prelude}{{{body}}}")
        else:
            kept = [s for s in _split_selectors(prelude) if set(CLASS.findall(s)) <= words]
            if kept:
                out.append(f"{','.join(kept)}{{{body}}}")
    return "".join(out)


def build(source: Path = SOURCE) -> str:
    css = source.read_text(encoding="utf-8")
    css = re.sub(r"/\*.*?\*/", "", css, flags=re.S).removeprefix('@charset "UTF-8";')
    return HEADER + trim(css, used_words(widget_sources())) + "\n"


def main() -> None:
    for source, target in ((SOURCE, TARGET), (RTL_SOURCE, RTL_TARGET)):
        target.write_text(build(source), encoding="utf-8")
        sys.stdout.write(f"wrote {target.relative_to(ROOT)} ({target.stat().st_size:,} bytes)\n")


if __name__ == "__main__":
    main()
