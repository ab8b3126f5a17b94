"""Load the classroom lessons: reviewed TOML files in ``content/classroom/``, validated strictly.

A lesson is an ordered list of steps: explanations (Markdown, citing sources as ``[@id]``),
live calculator presets, and exercises (ids of :data:`riskcalc.classroom.exercises.TEMPLATES`).
A file looks like this::

    title = "Leverage and margin"
    slug = "leverage-and-margin"          # must match the file name
    summary = "One sentence for the index and the meta description."
    order = 10                            # position in the index
    minutes = 45                          # planned class time
    last_reviewed = 2026-11-21
    learn = ["leverage", "margin"]        # related /learn/ pages (shown if they exist)

    [[sources]]
    id = "bybit-liq"
    title = "Bybit: Liquidation Price (USDT Contract)"
    url = "https://..."
    date = "n.d."                         # the source's own date (YYYY, YYYY-MM, YYYY-MM-DD) or n.d.
    note = "What we take from it."

    [[steps]]
    kind = "explain"
    title = "What leverage means"
    body = "Markdown. Cite with [@bybit-liq]."

    [[steps]]
    kind = "calculator"
    title = "Try it"
    calculator = "liquidation"
    label = "Bybit's example"
    params = { side = "long", entry_price = "20000" }
    body = "What to look at."

    [[steps]]
    kind = "exercise"
    exercise = "liquidation-price-long"

A translation sits beside its lesson in ``content/classroom/<language>/<slug>.toml`` (``es``,
``zh-hans``, ``ar``) with the same slug, order, minutes, learn pages, sources (id, URL, date) and
steps (kinds, calculators, presets, exercises); a language without one gets the English lesson
(``Lesson.language`` says which).

Everything is checked at load, so a bad file fails the test suite instead of rendering half a
lesson: unknown keys, missing keys, an unknown exercise or calculator field, a citation
without a source or a source nobody cites, a first step that is not an explanation.
"""

from __future__ import annotations

import datetime
import functools
import re
import tomllib
from collections.abc import Mapping
from dataclasses import dataclass
from pathlib import Path
from typing import Any
from urllib.parse import urlencode

import markdown
import nh3

from riskcalc.classroom.exercises import TEMPLATES, Exercise, make_exercise
from riskcalc.content import CALCULATOR_FIELDS, CALCULATOR_PATHS, scrollable_tables
from riskcalc.languages import localized_path, translation_path

__all__ = [
    "LESSON_DIR",
    "CalculatorStep",
    "ExerciseStep",
    "ExplainStep",
    "Lesson",
    "LessonError",
    "Source",
    "get_lesson",
    "load_lesson",
    "load_lessons",
]

LESSON_DIR = Path(__file__).resolve().parent.parent.parent / "content" / "classroom"

_KEYS = frozenset(
    {"title", "slug", "summary", "order", "minutes", "last_reviewed", "learn", "sources", "steps"}
)
_SOURCE_KEYS = frozenset({"id", "title", "url", "date", "note"})
_STEP_KEYS = {
    "explain": (frozenset({"kind", "title", "body"}), frozenset({"kind", "title", "body"})),
    "calculator": (
        frozenset({"kind", "title", "calculator", "label", "params", "body"}),
        frozenset({"kind", "title", "calculator", "label", "params"}),
    ),
    "exercise": (frozenset({"kind", "exercise"}), frozenset({"kind", "exercise"})),
}
_SLUG = re.compile(r"^[a-z0-9]+(?:-[a-z0-9]+)*$")
_DATE = re.compile(r"^(?:\d{4}(?:-\d{2}(?:-\d{2})?)?|n\.d\.)$")
_URL = re.compile(r"^https?://[^\s\"<>]+$")
_CITATION = re.compile(r"\[@([\w-]+(?:\s*[,;]\s*@[\w-]+)*)\]")
_TAGS = frozenset(
    {"a", "p", "em", "strong", "ul", "ol", "li", "code", "sup", "sub", "br", "blockquote"}
    | {"table", "thead", "tbody", "tr", "th", "td"}
)


class LessonError(ValueError):
    """A lesson file that does not follow the format; the message names the file and problem."""


@dataclass(frozen=True, slots=True, kw_only=True)
class Source:
    id: str
    number: int
    title: str
    url: str
    date: str
    note: str


@dataclass(frozen=True, slots=True, kw_only=True)
class ExplainStep:
    kind = "explain"
    title: str
    html: str


@dataclass(frozen=True, slots=True, kw_only=True)
class CalculatorStep:
    kind = "calculator"
    title: str
    calculator: str
    label: str
    params: Mapping[str, str]
    html: str

    @property
    def path(self) -> str:
        return f"{CALCULATOR_PATHS[self.calculator]}?{urlencode(dict(self.params))}"

    @property
    def url(self) -> str:
        """:attr:`path` in the reader's language (``/es/calculators/...``)."""
        return localized_path(self.path)

    @property
    def query_text(self) -> str:
        return ", ".join(f"{key} = {value}" for key, value in self.params.items())


@dataclass(frozen=True, slots=True, kw_only=True)
class ExerciseStep:
    kind = "exercise"
    exercise: str

    @property
    def title(self) -> str:
        return TEMPLATES[self.exercise].title


Step = ExplainStep | CalculatorStep | ExerciseStep


@dataclass(frozen=True, slots=True, kw_only=True)
class Lesson:
    slug: str
    title: str
    summary: str
    order: int
    minutes: int
    last_reviewed: datetime.date
    learn: tuple[str, ...]
    sources: tuple[Source, ...]
    steps: tuple[Step, ...]
    path: Path
    language: str = "en"

    @property
    def skeleton(self) -> tuple[object, ...]:
        """What a translation must keep from its English lesson: everything but the words."""
        return (
            self.slug,
            self.order,
            self.minutes,
            self.learn,
            tuple((s.id, s.url, s.date) for s in self.sources),
            tuple(
                (step.kind, getattr(step, "calculator", ""), dict(getattr(step, "params", {})))
                if not isinstance(step, ExerciseStep)
                else (step.kind, step.exercise)
                for step in self.steps
            ),
        )

    @property
    def exercise_ids(self) -> tuple[str, ...]:
        return tuple(s.exercise for s in self.steps if isinstance(s, ExerciseStep))

    def exercises(self, seed: int, variant: int = 0) -> tuple[Exercise, ...]:
        """This lesson's exercises with the numbers of ``seed`` (in lesson order)."""
        return tuple(
            make_exercise(exercise, seed=seed, lesson=self.slug, variant=variant)
            for exercise in self.exercise_ids
        )


def _fail(path: Path, message: str) -> LessonError:
    return LessonError(f"{path.name}: {message}")


def _text(path: Path, where: str, value: object) -> str:
    if not isinstance(value, str) or not value.strip():
        raise _fail(path, f"{where} must be a non-empty string")
    return value


def _keys(
    path: Path, where: str, table: object, allowed: frozenset[str], required: frozenset[str]
) -> dict[str, Any]:
    if not isinstance(table, dict):
        raise _fail(path, f"{where} must be a table")
    unknown = set(table) - allowed
    if unknown:
        raise _fail(path, f"{where} has unknown keys: {', '.join(sorted(unknown))}")
    missing = required - set(table)
    if missing:
        raise _fail(path, f"{where} is missing: {', '.join(sorted(missing))}")
    return table


def _sources(path: Path, raw: object) -> dict[str, Source]:
    if not isinstance(raw, list) or not raw:
        raise _fail(path, "sources must be a non-empty array of tables")
    found: dict[str, Source] = {}
    for number, item in enumerate(raw, start=1):
        table = _keys(path, f"sources[{number}]", item, _SOURCE_KEYS, _SOURCE_KEYS)
        source_id = _text(path, "source id", table["id"])
        if not _SLUG.match(source_id) or source_id in found:
            raise _fail(path, f"source id {source_id!r} must be a unique lower-case slug")
        url = _text(path, f"source {source_id} url", table["url"])
        if not _URL.match(url):
            raise _fail(path, f"source {source_id} url is not an http(s) URL")
        date = _text(path, f"source {source_id} date", table["date"])
        if not _DATE.match(date):
            raise _fail(path, f"source {source_id} date must be YYYY[-MM[-DD]] or n.d.")
        found[source_id] = Source(
            id=source_id,
            number=number,
            title=_text(path, f"source {source_id} title", table["title"]),
            url=url,
            date=date,
            note=_text(path, f"source {source_id} note", table["note"]),
        )
    return found


def _markdown(path: Path, body: str, sources: Mapping[str, Source], cited: set[str]) -> str:
    def cite(match: re.Match[str]) -> str:
        ids = [part.strip().lstrip("@") for part in re.split(r"[,;]", match.group(1))]
        links = []
        for source_id in ids:
            if source_id not in sources:
                raise _fail(path, f"citation [@{source_id}] has no source")
            cited.add(source_id)
            number = sources[source_id].number
            links.append(f'<a href="#source-{source_id}">[{number}]</a>')
        return f"<sup>{''.join(links)}</sup>"

    html = markdown.markdown(_CITATION.sub(cite, body), extensions=["tables"], output_format="html")
    return scrollable_tables(
        nh3.clean(
            html,
            tags=set(_TAGS),
            attributes={"a": {"href", "title"}},
            url_schemes={"http", "https"},
            link_rel="noopener noreferrer",
        )
    )


def _steps(
    path: Path, raw: object, sources: Mapping[str, Source], cited: set[str]
) -> tuple[Step, ...]:
    if not isinstance(raw, list) or not raw:
        raise _fail(path, "steps must be a non-empty array of tables")
    steps: list[Step] = []
    seen_exercises: set[str] = set()
    for index, item in enumerate(raw, start=1):
        where = f"steps[{index}]"
        kind = item.get("kind") if isinstance(item, dict) else None
        if kind not in _STEP_KEYS:
            raise _fail(path, f"{where} kind must be one of {', '.join(_STEP_KEYS)}")
        allowed, required = _STEP_KEYS[kind]
        table = _keys(path, where, item, allowed, required)
        if kind == "explain":
            body = _text(path, f"{where} body", table["body"])
            steps.append(
                ExplainStep(
                    title=_text(path, f"{where} title", table["title"]),
                    html=_markdown(path, body, sources, cited),
                )
            )
        elif kind == "calculator":
            calculator = _text(path, f"{where} calculator", table["calculator"])
            if calculator not in CALCULATOR_PATHS:
                raise _fail(path, f"{where} calculator {calculator!r} does not exist")
            params = table["params"]
            if not isinstance(params, dict) or not params:
                raise _fail(path, f"{where} params must be a non-empty table")
            for key, value in params.items():
                if key not in CALCULATOR_FIELDS[calculator]:
                    raise _fail(path, f"{where}: the {calculator} calculator has no field {key!r}")
                if not isinstance(value, str) or not value:
                    raise _fail(path, f"{where} param {key} must be a non-empty string")
            body = table.get("body", "")
            steps.append(
                CalculatorStep(
                    title=_text(path, f"{where} title", table["title"]),
                    calculator=calculator,
                    label=_text(path, f"{where} label", table["label"]),
                    params=dict(params),
                    html=_markdown(path, body, sources, cited) if body else "",
                )
            )
        else:
            exercise = _text(path, f"{where} exercise", table["exercise"])
            if exercise not in TEMPLATES:
                raise _fail(path, f"{where} exercise {exercise!r} does not exist")
            if exercise in seen_exercises:
                raise _fail(path, f"{where} exercise {exercise!r} appears twice")
            seen_exercises.add(exercise)
            steps.append(ExerciseStep(exercise=exercise))
    if not isinstance(steps[0], ExplainStep):
        raise _fail(path, "the first step must be an explanation")
    for needed in (CalculatorStep, ExerciseStep):
        if not any(isinstance(step, needed) for step in steps):
            raise _fail(path, f"a lesson needs at least one {needed.kind} step")
    return tuple(steps)


@functools.lru_cache(maxsize=64)
def _load(path: Path, mtime_ns: int, language: str) -> Lesson:
    try:
        data = tomllib.loads(path.read_text(encoding="utf-8"))
    except tomllib.TOMLDecodeError as error:
        raise _fail(path, f"not valid TOML: {error}") from None
    table = _keys(path, "the lesson", data, _KEYS, _KEYS)
    slug = _text(path, "slug", table["slug"])
    if slug != path.stem or not _SLUG.match(slug):
        raise _fail(path, f"slug {slug!r} must match the file name")
    for key in ("order", "minutes"):
        if not isinstance(table[key], int) or isinstance(table[key], bool) or table[key] <= 0:
            raise _fail(path, f"{key} must be a positive whole number")
    reviewed = table["last_reviewed"]
    if not isinstance(reviewed, datetime.date) or isinstance(reviewed, datetime.datetime):
        raise _fail(path, "last_reviewed must be a date (YYYY-MM-DD, unquoted)")
    learn = table["learn"]
    if not isinstance(learn, list) or not all(isinstance(s, str) and _SLUG.match(s) for s in learn):
        raise _fail(path, "learn must be a list of page slugs")
    sources = _sources(path, table["sources"])
    cited: set[str] = set()
    steps = _steps(path, table["steps"], sources, cited)
    uncited = set(sources) - cited
    if uncited:
        raise _fail(path, f"sources never cited: {', '.join(sorted(uncited))}")
    return Lesson(
        slug=slug,
        title=_text(path, "title", table["title"]),
        summary=_text(path, "summary", table["summary"]),
        order=table["order"],
        minutes=table["minutes"],
        last_reviewed=reviewed,
        learn=tuple(learn),
        sources=tuple(sources.values()),
        steps=steps,
        path=path,
        language=language,
    )


def load_lesson(path: Path, language: str = "en") -> Lesson:
    """Load and validate one lesson file (cached until the file changes)."""
    return _load(path, path.stat().st_mtime_ns, language)


def translated_lesson(english: Lesson, language: str) -> Lesson | None:
    """``english`` in ``language`` (``content/classroom/<language>/<slug>.toml``), or ``None``
    when there is none or it no longer matches the English lesson's skeleton (a step or
    source added since: tests/classroom/test_lessons.py names it)."""
    path = translation_path(english.path, language)
    if path is None:
        return None
    lesson = load_lesson(path, language)
    return lesson if lesson.skeleton == english.skeleton else None


def _in_language(lesson: Lesson, language: str | None) -> Lesson:
    if language is None:
        return lesson
    return translated_lesson(lesson, language) or lesson


def load_lessons(directory: Path = LESSON_DIR, language: str | None = None) -> tuple[Lesson, ...]:
    """Every lesson in ``directory``, in index order, in ``language`` where translated (``None``:
    English only); raises :class:`LessonError` on a bad file."""
    lessons = [
        _in_language(load_lesson(path), language) for path in sorted(directory.glob("*.toml"))
    ]
    return tuple(sorted(lessons, key=lambda lesson: (lesson.order, lesson.slug)))


def get_lesson(
    slug: str, directory: Path = LESSON_DIR, language: str | None = None
) -> Lesson | None:
    """The lesson with ``slug`` (in ``language`` where translated), or ``None``."""
    if not _SLUG.match(slug):
        return None
    path = directory / f"{slug}.toml"
    return _in_language(load_lesson(path), language) if path.is_file() else None
