"""Translated learn pages and lessons: content/learn/<language>/ and content/classroom/<language>/
are loaded beside the English files, keep their sources and links, and a page without a
translation is shown in English with a notice in the reader's language."""

from __future__ import annotations

import re
import shutil
from pathlib import Path

import pytest
from django.test import Client

from riskcalc import content
from riskcalc.classroom import lessons

LANGUAGES = ("es", "zh-hans", "ar")

TRANSLATED_PAGES = [
    pytest.param(language, path, id=f"{language}/{path.name}")
    for language in LANGUAGES
    for path in sorted((content.CONTENT_DIR / language).glob("*.md"))
]
TRANSLATED_LESSONS = [
    pytest.param(language, path, id=f"{language}/{path.name}")
    for language in LANGUAGES
    for path in sorted((lessons.LESSON_DIR / language).glob("*.toml"))
]


@pytest.mark.parametrize(("language", "path"), TRANSLATED_PAGES)
def test_every_translated_page_keeps_its_english_pages_sources_terms_and_links(
    language: str, path: Path
) -> None:
    english = content.load_page(content.CONTENT_DIR / path.name)

    translated = content.load_page(path, language)

    assert translated.skeleton == english.skeleton


@pytest.mark.parametrize(("language", "path"), TRANSLATED_LESSONS)
def test_every_translated_lesson_keeps_its_english_lessons_steps_and_sources(
    language: str, path: Path
) -> None:
    english = lessons.load_lesson(lessons.LESSON_DIR / path.name)

    translated = lessons.load_lesson(path, language)

    assert translated.skeleton == english.skeleton


def english_pages_with(tmp_path: Path, *names: str) -> Path:
    for name in names:
        shutil.copy(content.CONTENT_DIR / name, tmp_path / name)
    return tmp_path


def test_load_pages_uses_a_translation_where_there_is_one_and_english_elsewhere(
    tmp_path: Path,
) -> None:
    directory = english_pages_with(tmp_path, "glossary.md", "margin.md", "leverage.md")
    (directory / "es").mkdir()
    shutil.copy(content.CONTENT_DIR / "es" / "margin.md", directory / "es" / "margin.md")

    pages = {page.slug: page for page in content.load_pages(directory, language="es")}

    assert pages["margin"].language == "es"
    assert pages["margin"].title == content.load_page(directory / "es" / "margin.md").title
    assert pages["leverage"].language == "en"
    assert {page.language for page in content.load_pages(directory)} == {"en"}


def test_a_translation_that_lost_a_source_is_not_shown(tmp_path: Path) -> None:
    directory = english_pages_with(tmp_path, "glossary.md", "margin.md")
    (directory / "es").mkdir()
    english = (directory / "margin.md").read_text(encoding="utf-8")
    # The English page gained a source the translation does not have yet.
    (directory / "margin.md").write_text(
        english.replace(
            "[[sources]]",
            '[[sources]]\nid = "new"\ntitle = "New"\nurl = "https://example.org/"\n'
            'date = "2026"\nnote = "n"\n\n[[sources]]',
            1,
        )
        + "\nSee [@new].\n",
        encoding="utf-8",
    )
    shutil.copy(content.CONTENT_DIR / "es" / "margin.md", directory / "es" / "margin.md")

    page = content.get_page("margin", directory, language="es")

    assert page is not None and page.language == "en"


def test_a_summary_may_end_as_a_chinese_or_arabic_sentence_ends(tmp_path: Path) -> None:
    text = (content.CONTENT_DIR / "margin.md").read_text(encoding="utf-8")
    page = content.load_page(content.CONTENT_DIR / "margin.md")
    for ending in ("\u3002", "\u061f"):
        path = tmp_path / "margin.md"
        path.write_text(text.replace(page.summary, page.summary[:-1] + ending), encoding="utf-8")
        assert content.load_page(path).summary.endswith(ending)


@pytest.mark.django_db
def test_translated_learn_page_is_served_in_its_language(client: Client) -> None:
    translated = content.load_page(content.CONTENT_DIR / "es" / "margin.md", "es")

    page = client.get("/es/learn/margin/").content.decode()

    assert f"<h1>{translated.title}</h1>" in page
    assert "untranslated-notice" not in page
    assert 'href="/es/learn/' in page  # its links stay in Spanish


@pytest.mark.django_db
def test_untranslated_learn_page_shows_english_marked_as_english_with_a_notice(
    client: Client, monkeypatch: pytest.MonkeyPatch
) -> None:
    monkeypatch.setattr(content, "translated_page", lambda english, language: None)
    english = content.load_page(content.CONTENT_DIR / "margin.md")

    page = client.get("/ar/learn/margin/").content.decode()

    assert f"<h1>{english.title}</h1>" in page
    assert 'class="alert alert-info untranslated-notice" role="note"' in page
    assert '<div lang="en" dir="ltr">' in page


@pytest.mark.django_db
def test_learn_index_lists_pages_in_the_readers_language(client: Client) -> None:
    translated = content.load_page(content.CONTENT_DIR / "zh-hans" / "margin.md", "zh-hans")

    page = client.get("/zh-hans/learn/").content.decode()

    assert translated.title in page
    assert 'href="/zh-hans/learn/margin/"' in page


@pytest.mark.django_db
def test_translated_lesson_is_served_in_its_language_with_localised_links(
    client: Client,
) -> None:
    path = lessons.LESSON_DIR / "es" / "leverage-and-margin.toml"
    translated = lessons.load_lesson(path, "es")

    page = client.get("/es/classroom/leverage-and-margin/?seed=1").content.decode()

    assert translated.title in page
    assert 'href="/es/calculators/' in page
    assert 'href="/calculators/' not in page


def test_internal_links_are_passed_through_localize_and_missing_ones_unlinked() -> None:
    html = '<p><a href="/learn/yes/#x">yes</a> <a href="/learn/no/">no</a></p>'

    rendered = content._unlink_missing(
        html, lambda path: path == "/learn/yes/", lambda path: "/es" + path
    )

    assert rendered == '<p><a href="/es/learn/yes/#x">yes</a> no</p>'


@pytest.mark.parametrize("language", LANGUAGES)
def test_a_translated_pages_sections_keep_the_english_section_ids(language: str) -> None:
    english = content.get_page("liquidation")
    translated = content.get_page("liquidation", language=language)
    assert english is not None and translated is not None

    ids = re.findall(r'<h[2-6] id="([^"]*)"', translated.body_html)

    assert ids == re.findall(r'<h[2-6] id="([^"]*)"', english.body_html)
    assert "sec-fees" in ids and len(set(ids)) == len(ids)
