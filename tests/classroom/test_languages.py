"""The classroom in Spanish, Simplified Chinese and Arabic: dates in each language's own
format, counts with each language's plural forms, exercises in the reader's language."""

from __future__ import annotations

import datetime
import re
from collections.abc import Iterator
from html import unescape

import pytest
from django.test import Client
from django.utils import timezone, translation

from riskcalc.classroom.exercises import Exercise, make_exercise
from riskcalc.classroom.lessons import LESSON_DIR, load_lesson
from riskcalc.models.classroom import RETENTION, ClassSession
from tests.classroom.test_sessions import answer, fresh_rate_limits, join, start

pytestmark = pytest.mark.django_db

__all__ = ["fresh_rate_limits"]

SPANISH_MONTHS = [
    "enero",
    "febrero",
    "marzo",
    "abril",
    "mayo",
    "junio",
    "julio",
    "agosto",
    "septiembre",
    "octubre",
    "noviembre",
    "diciembre",
]
ARABIC_MONTHS = [
    "يناير",
    "فبراير",
    "مارس",
    "أبريل",
    "مايو",
    "يونيو",
    "يوليو",
    "أغسطس",
    "سبتمبر",
    "أكتوبر",
    "نوفمبر",
    "ديسمبر",
]
DAY = {
    "es": lambda t: f"{t.day} de {SPANISH_MONTHS[t.month - 1]} de {t.year}",
    "zh-hans": lambda t: f"{t.year}年{t.month}月{t.day}日",
    "ar": lambda t: f"{t.day} {ARABIC_MONTHS[t.month - 1]}، {t.year}",
}
TIME_SEPARATOR = {"es": ", ", "zh-hans": " ", "ar": "، "}


def written(language: str, moment: datetime.date) -> str:
    return DAY[language](moment)


def written_time(language: str, moment: datetime.datetime) -> str:
    return f"{DAY[language](moment)}{TIME_SEPARATOR[language]}{moment:%H:%M} UTC"


def text(response) -> str:  # type: ignore[no-untyped-def]
    return unescape(re.sub(r"\s+", " ", response.content.decode()))


@pytest.mark.parametrize("language", DAY)
def test_the_teacher_view_writes_its_dates_as_the_language_does(
    client: Client, language: str
) -> None:
    token, session = start(client)
    opened = (timezone.now() - datetime.timedelta(days=1)).replace(hour=9, minute=30)
    ClassSession.objects.filter(pk=session.pk).update(created_at=opened)

    page = text(client.get(f"/{language}/classroom/teacher/{token}/"))

    assert written_time(language, opened) in page
    assert written_time(language, opened + RETENTION) in page
    assert not re.search(r"\b(Jan|Feb|Mar|Apr|May|Jun|Jul|Aug|Sep|Oct|Nov|Dec)\b", page)


@pytest.mark.parametrize("language", DAY)
def test_a_lessons_review_date_is_written_as_the_language_does(
    client: Client, language: str
) -> None:
    lesson = load_lesson(LESSON_DIR / "leverage-and-margin.toml")

    page = text(client.get(f"/{language}/classroom/leverage-and-margin/?seed=1"))

    assert f">{written(language, lesson.last_reviewed)}</time>" in page


@pytest.mark.parametrize(
    ("language", "one", "two"),
    [
        ("en", "· 1 student<", "· 2 students<"),
        ("es", "· 1 estudiante<", "· 2 estudiantes<"),
        ("zh-hans", "· 1 名学生作答<", "· 2 名学生作答<"),
        # Arabic has a dual: two students are طالبان, with no figure.
        ("ar", "· أجاب طالب واحد<", "· أجاب طالبان<"),
    ],
)
def test_the_answer_charts_count_students_with_the_languages_plural_forms(
    client: Client, language: str, one: str, two: str
) -> None:
    teacher, session = start(client)
    prefix = "" if language == "en" else f"/{language}"
    stats = f"{prefix}/classroom/teacher/{teacher}/stats/"
    shown = []
    for name in ("Ada", "Bea"):
        student_client, token = join(session.code, name)
        answer(student_client, token, "liquidation-price-long", "1", name)
        shown.append(text(client.get(stats, HTTP_HX_REQUEST="true")))

    assert one in shown[0] and two in shown[1]


@pytest.fixture
def spanish() -> Iterator[None]:
    """Exercises are built and shown in the active language: Spanish here."""
    with translation.override("es"):
        yield


def spanish_exercise() -> Exercise:
    return make_exercise("initial-margin", seed=1, lesson="leverage-and-margin")


def test_a_spanish_exercise_asks_its_question_with_spanish_words_and_numbers(
    spanish: None,
) -> None:
    exercise = spanish_exercise()

    assert exercise.title == "Margen inicial a partir del apalancamiento"
    assert exercise.prompt.startswith("Abres una posición ")
    assert re.search(r" a \d{2}\.\d{3} USDT con apalancamiento ", exercise.prompt)
    assert exercise.instructions.startswith("Responde en USDT, al céntimo más próximo")


@pytest.mark.parametrize(
    ("typed", "verdict"),
    [
        ("19.700", "«19.700» puede ser 19700 o 19,700"),
        ("19.7", "Usa la coma para los decimales"),
    ],
)
def test_a_spanish_answer_is_read_as_spanish_and_an_ambiguous_one_refused(
    spanish: None, typed: str, verdict: str
) -> None:
    exercise = spanish_exercise()

    right = exercise.check(exercise.answer_display)
    refused = exercise.check(typed)

    assert "," in exercise.answer_display
    assert right.correct and right.reading is not None
    assert right.reading.note == f"Leído como {exercise.answer_display}."
    assert refused.status == "unreadable" and refused.error.startswith(verdict)


def test_an_arabic_lesson_shows_its_exercises_in_arabic(client: Client) -> None:
    page = text(client.get("/ar/classroom/leverage-and-margin/?seed=1"))

    assert "التمرين 1: الهامش الأولي من الرافعة المالية" in page
    assert "كم يحتاج المركز من الهامش الأولي؟" in page
    assert "Initial margin from leverage" not in page


def test_the_spanish_teacher_view_paces_the_class_in_spanish(client: Client) -> None:
    token, session = start(client)

    page = text(client.get(f"/es/classroom/teacher/{token}/"))

    assert "Todos los ejercicios están abiertos." in page
    assert ">Pausar la clase</button>" in page
    assert f'aria-label="Código de acceso {" ".join(session.code)}"' in page
    assert "All exercises are open" not in page and "Pause the class" not in page


def test_an_unknown_join_code_is_explained_in_arabic(client: Client) -> None:
    page = text(client.post("/ar/classroom/join/", {"code": "ZZZZZZ", "nickname": "Ada"}))

    assert "لا توجد جلسة صف بالرمز ZZZZZZ" in page


def test_an_arabic_exercise_keeps_each_figure_and_its_unit_left_to_right() -> None:
    with translation.override("ar"):
        exercise = make_exercise("initial-margin", seed=1, lesson="leverage-and-margin")
        instructions = exercise.instructions

    assert re.search("\u2066\\d{2},\\d{3} USDT\u2069", exercise.prompt)
    assert "\u2066±0.01 USDT\u2069" in instructions
    assert exercise.check(f"\u2066{exercise.answer_display}\u2069").correct
