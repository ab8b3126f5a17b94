"""The projector's own address: read-only, nameless, and never a way to the teacher's key."""

from __future__ import annotations

import re
from html import unescape

import pytest
from django.core.cache import cache
from django.test import Client

from riskcalc.classroom.exercises import make_exercise
from riskcalc.classroom.lessons import get_lesson
from riskcalc.classroom.sessions import projector_token
from riskcalc.models.classroom import ClassSession, Student
from tests.classroom.test_sessions import answer, join, start

pytestmark = pytest.mark.django_db

LESSON = "liquidation-distance"


@pytest.fixture(autouse=True)
def fresh_rate_limits() -> None:
    cache.clear()


def projector_path(client: Client, teacher: str) -> str:
    dashboard = client.get(f"/classroom/teacher/{teacher}/").content.decode()
    match = re.search(r'href="(/classroom/projector/[\w-]+/)"', dashboard)
    assert match, "the dashboard links to the projector view"
    return match.group(1)


def test_the_projector_has_an_address_of_its_own_that_opens_nothing_else(client: Client) -> None:
    teacher, session = start(client)
    path = projector_path(client, teacher)
    assert teacher not in path
    assert path == f"/classroom/projector/{projector_token(teacher)}/"
    token = path.split("/")[3]
    student_client, _ = join(session.code, "Ada")
    for other in ("/classroom/teacher/{}/", "/classroom/student/{}/"):
        assert student_client.get(other.format(token)).status_code == 404
    assert student_client.post(f"/classroom/teacher/{token}/close/").status_code == 404
    assert student_client.get(path).status_code == 200


def test_no_page_reachable_without_the_teacher_key_contains_it(client: Client) -> None:
    teacher, session = start(client)
    path = projector_path(client, teacher)
    student_client, student_token = join(session.code, "Ada")
    answer(student_client, student_token, "liquidation-price-long", "1", "k")
    pages = [path, f"{path}stats/", f"/classroom/student/{student_token}/", "/classroom/join/"]
    lesson_page = student_client.get(f"/classroom/student/{student_token}/")
    assert lesson_page.status_code == 200
    anonymous = Client()
    for page in pages:
        response = anonymous.get(page)
        assert response.status_code == 200, page
        body = response.content.decode()
        assert teacher not in body, page
        # Every address a page links to, followed one step, holds no key either.
        for link in set(re.findall(r'(?:href|hx-get)="(/classroom/[^"]*)"', body)):
            linked = anonymous.get(unescape(link))
            assert teacher not in linked.content.decode(), (page, link)


def test_the_dashboard_does_not_print_its_own_address(client: Client) -> None:
    teacher, _ = start(client)
    page = client.get(f"/classroom/teacher/{teacher}/").content.decode()
    assert page.count(teacher) == len(re.findall(rf'(?:href|action|hx-get)="[^"]*{teacher}', page))


def test_the_projector_shows_the_join_code_a_qr_code_and_no_names(client: Client) -> None:
    teacher, session = start(client)
    c, token = join(session.code, "Ada")
    student = Student.objects.get(nickname="Ada")
    exercise = make_exercise("liquidation-price-long", seed=student.seed, lesson=LESSON)
    flipped = next(m for m in exercise.misconceptions if m.code == "side_flipped")
    answer(
        c, token, "liquidation-price-long", f"{flipped.value.quantize(exercise.tolerance):f}", "k"
    )
    page = unescape(Client().get(projector_path(client, teacher)).content.decode())
    assert f">{session.code}</p>" in page
    assert f"/classroom/join/?code={session.code}" in page
    assert re.search(r'<svg role="img" [^>]*class="join-qr-code"', page)
    assert f"<title>QR code: join class session {session.code}</title>" in page
    assert "Long and short swapped" in page
    assert "Ada" not in page


def test_a_session_started_before_projector_links_gets_one_when_the_dashboard_opens(
    client: Client,
) -> None:
    teacher, session = start(client)
    ClassSession.objects.update(projector_token_hash=None)
    path = projector_path(client, teacher)
    assert Client().get(path).status_code == 200


def test_an_unknown_projector_link_says_so(client: Client) -> None:
    response = client.get("/classroom/projector/not-a-token/")
    assert response.status_code == 404
    assert "projector link does not open any class session" in unescape(response.content.decode())


def test_mistakes_are_named_as_their_own_exercise_names_them(client: Client) -> None:
    # "side_flipped" is "Who pays whom swapped" in the funding exercise but "Long and short
    # swapped" in the PnL one; the dashboard once named both after the lesson's last exercise.
    response = client.post("/classroom/funding-and-fees/sessions/")
    teacher = response["Location"].split("/")[3]
    session = ClassSession.objects.get()
    c, token = join(session.code, "Ada")
    student = Student.objects.get()
    exercise = make_exercise("funding-payment", seed=student.seed, lesson="funding-and-fees")
    swapped = next(m for m in exercise.misconceptions if m.code == "side_flipped")
    assert swapped.name == "Who pays whom swapped"
    answer(c, token, "funding-payment", f"{swapped.value.quantize(exercise.tolerance):f}", "k")
    stats = unescape(client.get(f"/classroom/teacher/{teacher}/stats/").content.decode())
    row = re.search(r'data-exercise="funding-payment">.*?</tr>', stats, re.S)
    assert row is not None
    assert "Who pays whom swapped" in row.group(0)
    assert "Long and short swapped" not in row.group(0)


def test_no_slide_of_a_class_numbers_session_contains_the_teacher_key(client: Client) -> None:
    response = client.post(f"/classroom/{LESSON}/sessions/", {"numbers": "class"})
    teacher = response["Location"].split("/")[3]
    dashboard = client.get(f"/classroom/teacher/{teacher}/").content.decode()
    slides = re.search(r'href="(/classroom/[\w-]+/present/\?seed=\d+)"', dashboard)
    assert slides is not None
    lesson = get_lesson(LESSON)
    assert lesson is not None
    anonymous = Client()
    for step in range(1, len(lesson.steps) + 1):
        for extra in ("", "&answer=1"):
            page = anonymous.get(f"{unescape(slides.group(1))}&step={step}{extra}")
            assert page.status_code == 200
            assert teacher not in page.content.decode(), step
    projector = projector_path(client, teacher)
    for path in (projector, f"{projector}stats/"):
        assert teacher not in anonymous.get(path).content.decode()
