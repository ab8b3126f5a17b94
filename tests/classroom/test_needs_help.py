"""Who needs help: each student's answers, tries and named mistake; exercises sorted by how
many are stuck; the answer distribution the projector shows."""

from __future__ import annotations

import re
from html import unescape

import pytest
from django.core.cache import cache
from django.test import Client

from riskcalc.classroom.answers import format_value
from riskcalc.classroom.exercises import make_exercise
from riskcalc.classroom.lessons import get_lesson
from riskcalc.classroom.sessions import projector_token, session_stats
from riskcalc.models.classroom import ClassSession, Student
from tests.classroom.test_sessions import answer, join, start

pytestmark = pytest.mark.django_db

LESSON = "liquidation-distance"
LONG, SHORT = "liquidation-price-long", "liquidation-price-short"


@pytest.fixture(autouse=True)
def fresh_rate_limits() -> None:
    cache.clear()


def typed(nickname: str, exercise: str, kind: str) -> str:
    built = make_exercise(exercise, seed=Student.objects.get(nickname=nickname).seed, lesson=LESSON)
    if kind == "right":
        return built.answer_display
    if kind == "nonsense":
        return "1"
    value = next(m for m in built.misconceptions if m.code == kind).value
    return format_value(value, built.unit, built.places)


def run_class(client: Client) -> str:
    teacher, session = start(client)
    plan = {
        "Ada": [(LONG, "right"), (SHORT, "mm_ignored")],
        "Bea": [(LONG, "mm_ignored"), (LONG, "mm_ignored")],
        "Cy": [(LONG, "side_flipped")],
    }
    for nickname, answers in plan.items():
        c, token = join(session.code, nickname)
        for i, (exercise, kind) in enumerate(answers):
            answer(c, token, exercise, typed(nickname, exercise, kind), f"k{i}")
    return teacher


def test_exercises_where_most_students_are_stuck_come_first(client: Client) -> None:
    run_class(client)
    stats = session_stats(ClassSession.objects.get(), get_lesson(LESSON))  # type: ignore[arg-type]
    order = [
        (e.exercise, [(s.nickname, s.tries, s.mistake) for s in e.stuck]) for e in stats.needs_help
    ]
    assert order == [
        (
            LONG,
            [
                ("Bea", 2, "Maintenance margin ignored (that is the bankruptcy price)"),
                ("Cy", 1, "Long and short swapped"),
            ],
        ),
        (SHORT, [("Ada", 1, "Maintenance margin ignored (that is the bankruptcy price)")]),
    ]


def test_the_dashboard_shows_each_students_answers_tries_and_named_mistake(client: Client) -> None:
    teacher = run_class(client)
    stats = unescape(client.get(f"/classroom/teacher/{teacher}/stats/").content.decode())
    bea = re.search(r'<tr data-student="Bea">.*?</tr>', stats, re.S)
    assert bea is not None
    bea_row = re.sub(r"\s+", " ", bea.group(0))
    mistake = typed("Bea", LONG, "mm_ignored")
    assert "not yet</strong>, 2 tries" in bea_row
    assert f"{mistake} → {mistake}" in bea_row
    assert "Maintenance margin ignored (that is the bankruptcy price)" in bea_row
    help_section = stats[
        stats.index("Who needs help") : stats.index('<h2 class="h5 mt-4">Students')
    ]
    assert help_section.index(f'data-stuck="{LONG}"') < help_section.index(f'data-stuck="{SHORT}"')


def test_the_projector_shows_the_answer_distribution_without_names(client: Client) -> None:
    teacher = run_class(client)
    page = unescape(
        Client().get(f"/classroom/projector/{projector_token(teacher)}/").content.decode()
    )
    table = re.search(rf'data-distribution="{LONG}">.*?</table>', page, re.S)
    assert table is not None
    rows = re.findall(
        r'<th scope="row">(?:<span aria-hidden="true">✓ </span>)?(.*?)</th>\s*<td class="text-end figure-num">(\d+)</td>',
        table.group(0),
    )
    assert rows == [
        ("Correct", "1"),
        ("Long and short swapped", "1"),
        ("Maintenance margin ignored (that is the bankruptcy price)", "1"),
    ]
    for name in ("Ada", "Bea", "Cy"):
        assert name not in page
