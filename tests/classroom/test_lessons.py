"""Lesson files: all of them load, and the loader refuses every kind of bad file."""

from __future__ import annotations

from pathlib import Path

import pytest

from riskcalc.classroom.lessons import LESSON_DIR, LessonError, load_lesson, load_lessons

REQUIRED = {
    "leverage-and-margin",
    "liquidation-distance",
    "isolated-vs-cross",
    "position-sizing",
    "bankruptcy-insurance-adl",
    "funding-and-fees",
    "regional-rules-copy-trading",
}

GOOD = """
title = "T"
slug = "good"
summary = "S"
order = 1
minutes = 10
last_reviewed = 2026-11-21
learn = []

[[sources]]
id = "src"
title = "A source"
url = "https://example.org/a"
date = "2024-05-29"
note = "What it says."

[[steps]]
kind = "explain"
title = "Explain"
body = "Text [@src]."

[[steps]]
kind = "calculator"
title = "Try"
calculator = "liquidation"
label = "Preset"
params = { side = "long", entry_price = "20000" }

[[steps]]
kind = "exercise"
exercise = "initial-margin"
"""


def write(tmp_path: Path, text: str, name: str = "good") -> Path:
    path = tmp_path / f"{name}.toml"
    path.write_text(text, encoding="utf-8")
    return path


def test_every_required_lesson_exists_and_loads() -> None:
    lessons = load_lessons()
    assert {lesson.slug for lesson in lessons} >= REQUIRED
    for lesson in lessons:
        kinds = [step.kind for step in lesson.steps]
        assert kinds[0] == "explain" and "calculator" in kinds and "exercise" in kinds
        assert all(source.date for source in lesson.sources)


def test_the_copy_trading_list_is_marked_incomplete() -> None:
    text = (LESSON_DIR / "regional-rules-copy-trading.toml").read_text(encoding="utf-8")
    assert "Yemen **and others**" in text


def test_a_good_file_loads(tmp_path: Path) -> None:
    lesson = load_lesson(write(tmp_path, GOOD))
    assert lesson.exercise_ids == ("initial-margin",)
    assert 'href="#source-src"' in lesson.steps[0].html  # type: ignore[union-attr]


@pytest.mark.parametrize(
    ("change", "message"),
    [
        (("minutes = 10", 'minutes = 10\ncolour = "red"'), "unknown keys: colour"),
        (('exercise = "initial-margin"', 'exercise = "no-such"'), "does not exist"),
        (("[@src]", ""), "sources never cited: src"),
        (("[@src]", "[@src] [@other]"), "citation [@other] has no source"),
        (('entry_price = "20000"', 'entry = "20000"'), "has no field 'entry'"),
        (('calculator = "liquidation"', 'calculator = "nope"'), "does not exist"),
        (('date = "2024-05-29"', 'date = "May 2024"'), "YYYY"),
        (('url = "https://example.org/a"', 'url = "javascript:alert(1)"'), "http(s) URL"),
        (('slug = "good"', 'slug = "bad"'), "must match the file name"),
        (("last_reviewed = 2026-11-21", 'last_reviewed = "yesterday"'), "must be a date"),
        (('kind = "explain"', 'kind = "video"'), "kind must be one of"),
    ],
)
def test_bad_files_are_refused(tmp_path: Path, change: tuple[str, str], message: str) -> None:
    old, new = change
    assert old in GOOD
    with pytest.raises(
        LessonError, match=message.replace("(", r"\(").replace(")", r"\)").replace("[", r"\[")
    ):
        load_lesson(write(tmp_path, GOOD.replace(old, new, 1)))


def test_a_lesson_must_start_with_an_explanation(tmp_path: Path) -> None:
    first, rest = GOOD.split('[[steps]]\nkind = "calculator"', 1)
    explain = first.split("[[steps]]", 1)[1]
    reordered = (
        first.split("[[steps]]", 1)[0]
        + '[[steps]]\nkind = "calculator"'
        + rest
        + "[[steps]]"
        + explain
    )
    with pytest.raises(LessonError, match="first step must be an explanation"):
        load_lesson(write(tmp_path, reordered))


def test_markdown_is_sanitised(tmp_path: Path) -> None:
    text = GOOD.replace(
        'body = "Text [@src]."',
        'body = "Text [@src] <script>alert(1)</script> <a href=\\"javascript:x\\">x</a>"',
    )
    html = load_lesson(write(tmp_path, text)).steps[0].html  # type: ignore[union-attr]
    assert "<script" not in html and "javascript:" not in html


def test_a_lesson_table_scrolls_in_its_own_keyboard_region() -> None:
    lesson = load_lesson(LESSON_DIR / "liquidation-distance.toml")
    html = "".join(getattr(step, "html", "") for step in lesson.steps)

    assert '<div class="table-scroll" role="region" tabindex="0" aria-label="' in html
    assert "</table></div>" in html
