"""The message catalogues are complete: every marked string of the current code is in each
language's catalogue, translated and not fuzzy, and each message uses its glossary's terms.

``make messages`` is run into a temporary copy of ``locale/`` (the committed catalogues are
never touched), so a string marked since the catalogue was last updated shows up here as
untranslated. locale/README.md has the translators' workflow.
"""

from __future__ import annotations

import csv
import os
import re
import shutil
import unicodedata
from dataclasses import dataclass
from pathlib import Path

import pytest
from django.core.management import call_command
from django.test import override_settings

from riskcalc.calc.liquidation import NO_PRICE_TEXT

ROOT = Path(__file__).resolve().parent.parent
LOCALE = ROOT / "locale"
# Catalogue folder -> the language code the site serves it under.
CATALOGUES = {"es": "es", "zh_Hans": "zh-hans", "ar": "ar"}
# The Makefile's MAKEMESSAGES_FLAGS ignore list.
IGNORED = [".venv", "staticfiles", "node_modules", "tests", "benchmarks", "deploy", "docs"]


@dataclass(frozen=True, slots=True)
class Message:
    msgid: str
    msgid_plural: str
    msgstrs: tuple[str, ...]
    fuzzy: bool


def _unquote(line: str) -> str:
    text = line.strip()
    text = text[text.index('"') + 1 : text.rindex('"')]
    return re.sub(r'\\(["\\nt])', lambda m: {"n": "\n", "t": "\t"}.get(m[1], m[1]), text)


def read_po(path: Path) -> list[Message]:
    """The entries of a .po file (obsolete ``#~`` entries left out)."""
    messages: list[Message] = []
    fields: dict[str, str] = {}
    fuzzy = False
    current = ""

    def flush() -> None:
        nonlocal fields, fuzzy
        if "msgid" in fields:
            strs = tuple(v for k, v in sorted(fields.items()) if k.startswith("msgstr"))
            messages.append(Message(fields["msgid"], fields.get("msgid_plural", ""), strs, fuzzy))
        fields, fuzzy = {}, False

    for line in path.read_text(encoding="utf-8").splitlines():
        if not line.strip():
            continue
        if line.startswith("#,"):
            if "msgid" in fields:
                flush()
            fuzzy = "fuzzy" in line
        elif line.startswith("#"):
            continue
        elif line.startswith('"'):
            fields[current] += _unquote(line)
        else:
            key = line.split(" ", 1)[0]
            if key == "msgid" and "msgid" in fields:
                flush()  # an entry without flags: not fuzzy
            current = key
            fields[key] = _unquote(line)
    flush()
    return messages


@pytest.fixture(scope="module")
def merged(tmp_path_factory: pytest.TempPathFactory) -> dict[str, list[Message]]:
    """Each catalogue after ``make messages``, run in a temporary copy of the marked sources
    and of locale/: makemessages writes to ./locale of the tree it reads, never the repo's."""
    tree = tmp_path_factory.mktemp("tree")
    for source in ("riskcalc", "templates"):
        shutil.copytree(ROOT / source, tree / source, ignore=shutil.ignore_patterns("*.pyc"))
    copy = tree / "locale"
    for folder in CATALOGUES:
        shutil.copytree(LOCALE / folder, copy / folder)
    here = Path.cwd()
    os.chdir(tree)  # makemessages reads the tree below the working directory
    try:
        with override_settings(LOCALE_PATHS=[copy]):
            call_command(
                "makemessages",
                locale=list(CATALOGUES),
                no_obsolete=True,
                no_location=True,
                ignore_patterns=IGNORED,
                verbosity=0,
            )
    finally:
        os.chdir(here)
    return {folder: read_po(copy / folder / "LC_MESSAGES" / "django.po") for folder in CATALOGUES}


@pytest.mark.parametrize("folder", CATALOGUES)
def test_every_marked_message_is_translated(merged: dict[str, list[Message]], folder: str) -> None:
    missing = [m.msgid for m in merged[folder] if m.msgid and not all(m.msgstrs)]

    assert not missing, f"{len(missing)} untranslated in locale/{folder}: {missing[:10]}"


@pytest.mark.parametrize("folder", CATALOGUES)
def test_no_message_is_fuzzy(merged: dict[str, list[Message]], folder: str) -> None:
    fuzzy = [m.msgid or "(the header)" for m in merged[folder] if m.fuzzy]

    assert not fuzzy, f"{len(fuzzy)} fuzzy in locale/{folder}: {fuzzy[:10]}"


# Variables (%(name)s, {name}) and markup (<span class="...">) are not words a reader sees.
_PLACEHOLDER = re.compile(r"%\(\w+\)[sd]|\{\w+\}|<[^>]*>")


def glossary(folder: str) -> list[tuple[str, str]]:
    """(English term, its translation) rows; rows like "(register)" are notes, not terms."""
    with (LOCALE / folder / "glossary.csv").open(encoding="utf-8", newline="") as file:
        rows = list(csv.DictReader(file))
    return [
        (row["english"].strip(), row["translation"].strip())
        for row in rows
        if row["english"].strip() and not row["english"].startswith("(")
    ]


@pytest.mark.parametrize("folder", CATALOGUES)
def test_messages_use_the_glossarys_terms(folder: str) -> None:
    messages = read_po(LOCALE / folder / "LC_MESSAGES" / "django.po")
    terms = glossary(folder)
    assert terms, f"locale/{folder}/glossary.csv has no terms"
    unused = []
    for message in messages:
        english = _PLACEHOLDER.sub(" ", f"{message.msgid} {message.msgid_plural}")
        translated = unicodedata.normalize("NFC", " ".join(message.msgstrs)).casefold()
        for term, translation in terms:
            if re.search(rf"\b{re.escape(term)}\b", english, re.IGNORECASE) and (
                unicodedata.normalize("NFC", translation).casefold() not in translated
            ):
                unused.append(f"{term!r} -> {translation!r} in {message.msgid[:60]!r}")
    assert not unused, f"{len(unused)} in locale/{folder}: {unused[:10]}"


def test_the_po_reader_reads_plurals_flags_and_continued_lines(tmp_path: Path) -> None:
    path = tmp_path / "django.po"
    path.write_text(
        'msgid ""\nmsgstr ""\n"Language: es\\n"\n\n'
        '#, fuzzy\nmsgid "a"\nmsgstr "b"\n\n'
        'msgid "one"\nmsgid_plural "many"\nmsgstr[0] "uno"\nmsgstr[1] ""\n\n'
        'msgid ""\n"long "\n"text"\nmsgstr "largo"\n',
        encoding="utf-8",
    )

    messages = read_po(path)

    assert messages[1] == Message("a", "", ("b",), True)
    assert messages[2] == Message("one", "many", ("uno", ""), False)
    assert messages[3] == Message("long text", "", ("largo",), False)


def test_the_calculator_cores_marked_sentences_reach_the_catalogues(
    merged: dict[str, list[Message]],
) -> None:
    collected = {message.msgid for message in merged["es"]}

    assert set(NO_PRICE_TEXT.values()) <= collected
