"""Class numbers: one seed for the whole class, the projector and the slides; own numbers stay
the default."""

from __future__ import annotations

import re
from decimal import Decimal
from html import unescape

import pytest
from django.core.cache import cache
from django.test import Client

from riskcalc.classroom.exercises import make_exercise
from riskcalc.classroom.lessons import get_lesson
from riskcalc.classroom.sessions import projector_token
from riskcalc.models.classroom import ClassSession, Student
from tests.classroom.test_sessions import answer, join, shows_figure

pytestmark = pytest.mark.django_db

LESSON = "liquidation-distance"
FIRST = get_lesson(LESSON).exercise_ids[0]  # type: ignore[union-attr]


@pytest.fixture(autouse=True)
def fresh_rate_limits() -> None:
    cache.clear()


def start(client: Client, **options: str) -> tuple[str, ClassSession]:
    response = client.post(f"/classroom/{LESSON}/sessions/", options)
    return response["Location"].split("/")[3], ClassSession.objects.get()


def page(client: Client, path: str) -> str:
    response = client.get(path)
    assert response.status_code == 200, path
    return unescape(response.content.decode())


def test_with_class_numbers_every_student_the_projector_and_the_slides_agree(
    client: Client,
) -> None:
    teacher, session = start(client, numbers="class", pacing="one_at_a_time")
    assert session.shared_seed is not None
    shared = make_exercise(FIRST, seed=session.shared_seed, lesson=LESSON)
    for name in ("Ada", "Bea"):
        student_client, token = join(session.code, name)
        assert shared.prompt in page(student_client, f"/classroom/student/{token}/")
    projector = page(Client(), f"/classroom/projector/{projector_token(teacher)}/")
    assert shared.prompt in projector
    assert not shows_figure(projector, shared.answer_display)
    dashboard = page(client, f"/classroom/teacher/{teacher}/")
    slides = re.search(r'href="(/classroom/[\w-]+/present/\?seed=\d+)"', dashboard)
    assert slides is not None
    step = 1 + next(i for i, s in enumerate(get_lesson(LESSON).steps) if s.kind == "exercise")  # type: ignore[union-attr]
    assert shared.prompt in page(Client(), f"{slides.group(1)}&step={step}")
    client.post(f"/classroom/teacher/{teacher}/pace/", {"action": "reveal", "exercise": FIRST})
    projector = page(Client(), f"/classroom/projector/{projector_token(teacher)}/stats/")
    assert shared.answer_display in projector


def test_answers_are_judged_and_exported_with_the_class_numbers(client: Client) -> None:
    teacher, session = start(client, numbers="class")
    student_client, token = join(session.code, "Ada")
    assert session.shared_seed is not None
    shared = make_exercise(FIRST, seed=session.shared_seed, lesson=LESSON)
    own = make_exercise(FIRST, seed=Student.objects.get().seed, lesson=LESSON)
    # Two seeds can share an answer (e.g. 0.8 % at 125x) but never their numbers.
    assert shared.prompt != own.prompt
    response = answer(student_client, token, FIRST, shared.answer_display, "k")
    assert "Correct." in unescape(response.content.decode())  # type: ignore[attr-defined]
    export = client.get(f"/classroom/teacher/{teacher}/export.csv").content.decode()
    row = export.splitlines()[1].split(",")
    assert row[-1] == f"{shared.answer.quantize(Decimal(1).scaleb(-shared.places)):f}"


def test_own_numbers_stay_the_default(client: Client) -> None:
    teacher, session = start(client)
    assert session.shared_seed is None
    join(session.code, "Ada")
    join(session.code, "Bea")
    prompts = {
        make_exercise(FIRST, seed=s.exercise_seed, lesson=LESSON).prompt
        for s in Student.objects.all()
    }
    assert len(prompts) == 2
    assert "Each student has their own numbers" in page(client, f"/classroom/teacher/{teacher}/")
