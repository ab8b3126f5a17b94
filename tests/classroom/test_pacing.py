"""Pacing: the teacher opens exercises, pauses the class and reveals solutions; students' pages
follow through the pace poll, which swaps only what changed."""

from __future__ import annotations

import re
from html import unescape

import pytest
from django.core.cache import cache
from django.test import Client

from riskcalc.classroom.exercises import make_exercise
from riskcalc.classroom.lessons import get_lesson
from riskcalc.models.classroom import ClassSession, Student, Submission
from tests.classroom.test_sessions import answer, join, shows_figure

pytestmark = pytest.mark.django_db

LESSON = "liquidation-distance"
FIRST, SECOND = get_lesson(LESSON).exercise_ids[:2]  # type: ignore[union-attr]


@pytest.fixture(autouse=True)
def fresh_rate_limits() -> None:
    cache.clear()


def start_paced(client: Client) -> tuple[str, ClassSession]:
    response = client.post(f"/classroom/{LESSON}/sessions/", {"pacing": "one_at_a_time"})
    assert response.status_code == 302
    return response["Location"].split("/")[3], ClassSession.objects.get()


def pace(client: Client, teacher: str, action: str, exercise: str = "") -> None:
    response = client.post(
        f"/classroom/teacher/{teacher}/pace/", {"action": action, "exercise": exercise}
    )
    assert response.status_code == 302
    assert response["Location"].endswith("#pacing")


def poll(client: Client, token: str, seen: str):  # type: ignore[no-untyped-def]
    return client.get(f"/classroom/student/{token}/pace/?seen={seen}", HTTP_HX_REQUEST="true")


def seen_code(page: str) -> str:
    match = re.search(r"pace/\?seen=(\w*)", page)
    assert match
    return match.group(1)


def test_one_at_a_time_shows_only_the_first_exercise_and_refuses_the_rest(client: Client) -> None:
    _, session = start_paced(client)
    student_client, token = join(session.code, "Ada")
    page = unescape(student_client.get(f"/classroom/student/{token}/").content.decode())
    student = Student.objects.get()
    second = make_exercise(SECOND, seed=student.seed, lesson=LESSON)
    assert "Exercise 1 of 4 is open." in page
    assert second.prompt not in page
    assert "Not open yet" in page
    refused = answer(student_client, token, SECOND, "1", "k")
    assert refused.status_code == 403  # type: ignore[attr-defined]
    assert Submission.objects.count() == 0


def test_a_session_started_without_pacing_opens_everything(client: Client) -> None:
    client.post(f"/classroom/{LESSON}/sessions/")
    assert ClassSession.objects.get().open_through is None


def test_opening_the_next_exercise_reaches_the_student_through_the_poll(client: Client) -> None:
    teacher, session = start_paced(client)
    student_client, token = join(session.code, "Ada")
    seen = seen_code(student_client.get(f"/classroom/student/{token}/").content.decode())
    assert poll(student_client, token, seen).status_code == 204
    pace(client, teacher, "open_next")
    response = poll(student_client, token, seen)
    assert response.status_code == 200
    body = unescape(response.content.decode())
    assert "Exercises 1 to 2 of 4 are open." in body
    # Only the exercise that changed comes back, so typing in the first one survives.
    assert f'id="exercise-{SECOND}" hx-swap-oob="true"' in body
    assert f'id="exercise-{FIRST}"' not in body
    second = make_exercise(SECOND, seed=Student.objects.get().seed, lesson=LESSON)
    assert second.prompt in body
    assert poll(student_client, token, seen_code(body)).status_code == 204
    assert answer(student_client, token, SECOND, "1", "k").status_code == 200  # type: ignore[attr-defined]


def test_pausing_holds_answers_and_resuming_releases_them(client: Client) -> None:
    teacher, session = start_paced(client)
    student_client, token = join(session.code, "Ada")
    pace(client, teacher, "pause")
    page = unescape(student_client.get(f"/classroom/student/{token}/").content.decode())
    assert "Paused by your teacher" in page
    refused = answer(student_client, token, FIRST, "1", "k")
    assert refused.status_code == 403  # type: ignore[attr-defined]
    assert "paused the class" in unescape(refused.content.decode())  # type: ignore[attr-defined]
    pace(client, teacher, "resume")
    assert answer(student_client, token, FIRST, "1", "k").status_code == 200  # type: ignore[attr-defined]


def test_revealing_a_solution_shows_everyone_their_own_worked_answer(client: Client) -> None:
    teacher, session = start_paced(client)
    student_client, token = join(session.code, "Ada")
    seen = seen_code(student_client.get(f"/classroom/student/{token}/").content.decode())
    pace(client, teacher, "reveal", FIRST)
    body = unescape(poll(student_client, token, seen).content.decode())
    first = make_exercise(FIRST, seed=Student.objects.get().seed, lesson=LESSON)
    assert "Worked solution, with your numbers (shown by your teacher)" in body
    assert first.answer_display in body
    pace(client, teacher, "hide", FIRST)
    page = unescape(student_client.get(f"/classroom/student/{token}/").content.decode())
    assert not shows_figure(page, first.answer_display)


def test_open_all_and_the_dashboard_say_what_is_open(client: Client) -> None:
    teacher, _ = start_paced(client)
    dashboard = unescape(client.get(f"/classroom/teacher/{teacher}/").content.decode())
    assert "Exercise 1 of 4 is open." in dashboard
    assert "Open the next exercise: " in dashboard
    pace(client, teacher, "open_all")
    dashboard = unescape(client.get(f"/classroom/teacher/{teacher}/").content.decode())
    assert "All exercises are open." in dashboard
    assert "Open the next exercise" not in dashboard


def test_an_unknown_pacing_action_is_a_clear_400(client: Client) -> None:
    teacher, _ = start_paced(client)
    response = client.post(f"/classroom/teacher/{teacher}/pace/", {"action": "explode"})
    assert response.status_code == 400
    assert "out of date" in unescape(response.content.decode())


def test_closing_stops_the_poll(client: Client) -> None:
    teacher, session = start_paced(client)
    student_client, token = join(session.code, "Ada")
    seen = seen_code(student_client.get(f"/classroom/student/{token}/").content.decode())
    client.post(f"/classroom/teacher/{teacher}/close/")
    body = unescape(poll(student_client, token, seen).content.decode())
    assert "The session is closed" in body
    assert 'hx-trigger="every 3s"' not in body
