"""Lesson, exercise-check, worksheet and projector pages (no database: nothing is stored)."""

from __future__ import annotations

import re
from html import unescape

import pytest
from django.test import Client

from riskcalc.classroom.answers import format_value
from riskcalc.classroom.exercises import make_exercise
from riskcalc.classroom.lessons import load_lessons
from tests.classroom.test_sessions import shows_figure

pytestmark = pytest.mark.django_db

LESSON = "liquidation-distance"


def text(response) -> str:  # type: ignore[no-untyped-def]
    return unescape(re.sub(r"\s+", " ", response.content.decode()))


def test_index_lists_every_lesson(client: Client) -> None:
    response = client.get("/classroom/")
    assert response.status_code == 200
    for lesson in load_lessons():
        assert f"/classroom/{lesson.slug}/" in response.content.decode()


def test_lesson_without_a_seed_redirects_to_a_seeded_url(client: Client) -> None:
    response = client.get(f"/classroom/{LESSON}/")
    assert response.status_code == 302
    assert re.match(rf"^/classroom/{LESSON}/\?seed=\d+$", response["Location"])


def test_lesson_shows_explanations_calculator_and_the_seeds_exercises(client: Client) -> None:
    response = client.get(f"/classroom/{LESSON}/?seed=42")
    assert response.status_code == 200
    page = text(response)
    assert "Liquidation comes before the margin is gone" in page
    assert "1 BTC long at 20,000 USDT, 50x" in page
    exercise = make_exercise("liquidation-price-long", seed=42, lesson=LESSON)
    assert exercise.prompt in page
    assert exercise.instructions in page
    assert not shows_figure(page, exercise.answer_display)  # no answers before an attempt


def test_unknown_lesson_is_404(client: Client) -> None:
    assert client.get("/classroom/no-such-lesson/?seed=1").status_code == 404


def check(client: Client, answer: str, *, attempt: int = 0, htmx: bool = True, **extra: str):  # type: ignore[no-untyped-def]
    data = {"exercise": "liquidation-price-long", "seed": "42", "answer": answer}
    data.update(attempt=str(attempt), **extra)
    headers = {"HTTP_HX_REQUEST": "true"} if htmx else {}
    return client.post(f"/classroom/{LESSON}/check/", data, **headers)


def test_check_correct_answer_with_htmx_returns_the_exercise_only(client: Client) -> None:
    exercise = make_exercise("liquidation-price-long", seed=42, lesson=LESSON)
    response = check(client, exercise.answer_display)
    page = text(response)
    assert response.status_code == 200
    assert "<html" not in page
    assert "Correct." in page
    assert "Read as " in page
    assert "Worked solution, with your numbers" in page


def test_wrong_answer_names_the_misconception_then_hint_then_solution(client: Client) -> None:
    exercise = make_exercise("liquidation-price-long", seed=42, lesson=LESSON)
    mistake = next(m for m in exercise.misconceptions if m.code == "mm_ignored")
    typed = format_value(mistake.value, exercise.unit, 2)
    first = text(check(client, typed))
    assert "Not yet." in first
    assert "Likely mistake: Maintenance margin ignored" in first
    assert "Hint:" in first
    assert "Worked solution" not in first
    assert 'name="attempt" value="1"' in first
    second = text(check(client, typed, attempt=1))
    assert "Worked solution, with your numbers" in second
    assert exercise.answer_display in second


def test_reveal_shows_the_solution_without_an_answer(client: Client) -> None:
    response = check(client, "", reveal="1")
    assert "Worked solution, with your numbers" in text(response)


def test_check_without_javascript_renders_the_whole_lesson(client: Client) -> None:
    response = check(client, "19,7", htmx=False)
    page = text(response)
    assert response.status_code == 200
    assert "<html" in response.content.decode()
    assert "Could not read that answer." in page


def test_check_refuses_an_exercise_from_another_lesson(client: Client) -> None:
    response = client.post(
        f"/classroom/{LESSON}/check/",
        {"exercise": "funding-payment", "seed": "1", "answer": "1"},
    )
    assert response.status_code == 400


def key_answers(client: Client, slug: str, seed: int) -> dict[str, str]:
    page = client.get(f"/classroom/{slug}/worksheet/answers/?seed={seed}").content.decode()
    found = re.findall(r'id="key-(\w+)".*?class="figure-num key-answer">([^<]+)<', page, re.S)
    return dict(found)


@pytest.mark.parametrize("lesson", [lesson.slug for lesson in load_lessons()])
def test_worksheet_and_answer_key_agree_for_several_seeds(client: Client, lesson: str) -> None:
    for seed in (1, 77, 4096, 999999):
        sheet = text(client.get(f"/classroom/{lesson}/worksheet/?seed={seed}"))
        assert "key-answer" not in sheet and "Worked solution" not in sheet  # no answers
        keys = key_answers(client, lesson, seed)
        found = load_lessons()
        exercises = next(item for item in found if item.slug == lesson).exercise_ids
        assert len(keys) == 2 * len(exercises)
        for number, exercise_id in enumerate(exercises, start=1):
            for variant, letter in enumerate("ab"):
                exercise = make_exercise(exercise_id, seed=seed, lesson=lesson, variant=variant)
                assert exercise.prompt in sheet  # the sheet asks this question...
                label = f"{number}{letter}"
                assert unescape(keys[label]) == exercise.answer_display  # ...the key answers it
                assert exercise.check(unescape(keys[label])).correct


def test_worksheet_seed_matters(client: Client) -> None:
    one = text(client.get(f"/classroom/{LESSON}/worksheet/?seed=1"))
    two = text(client.get(f"/classroom/{LESSON}/worksheet/?seed=2"))
    assert one != two
    assert client.get(f"/classroom/{LESSON}/worksheet/").status_code == 302


def test_projector_mode_steps_through_with_plain_links(client: Client) -> None:
    lesson = next(item for item in load_lessons() if item.slug == LESSON)
    first = client.get(f"/classroom/{LESSON}/present/?seed=3&step=1").content.decode()
    assert 'rel="next"' in first and 'rel="prev"' not in first.split("<main", 1)[1]
    last = client.get(f"/classroom/{LESSON}/present/?seed=3&step={len(lesson.steps)}")
    assert 'rel="next"' not in last.content.decode().split("<main", 1)[1]
    assert client.get(f"/classroom/{LESSON}/present/?seed=3&step=99").status_code == 404
    exercise_step = 1 + next(i for i, step in enumerate(lesson.steps) if step.kind == "exercise")
    question = text(client.get(f"/classroom/{LESSON}/present/?seed=3&step={exercise_step}"))
    answer = text(client.get(f"/classroom/{LESSON}/present/?seed=3&step={exercise_step}&answer=1"))
    exercise = make_exercise(lesson.exercise_ids[0], seed=3, lesson=LESSON)
    assert exercise.prompt in question and not shows_figure(question, exercise.answer_display)
    assert exercise.answer_display in answer


def test_the_paper_worksheet_states_rounding_in_words_a_student_reads(client: Client) -> None:
    page = text(client.get(f"/classroom/{LESSON}/worksheet/?seed=42"))
    assert "Answer in USDT, to the nearest cent (2 decimal places); answers within" in page
    assert "to the nearest hundredth of a percent (2 decimal places)" in page


def test_answer_keys_head_their_likely_mistakes_list(client: Client) -> None:
    page = client.get(f"/classroom/{LESSON}/worksheet/answers/?seed=42").content.decode()
    assert page.count('<ul class="small mistakes">') > 0
    assert page.count("Likely mistakes behind wrong answers</h3>") == page.count(
        '<ul class="small mistakes">'
    )
