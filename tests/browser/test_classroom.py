"""The classroom in Chromium: lessons, exercises, worksheets and projector mode are clean (axe,
console, requests), and a whole class runs: a teacher starts a session, three students join
from their own browsers and answer, and the dashboard counts them without a reload."""

from __future__ import annotations

import csv
import io
import re
from collections.abc import Callable, Iterator
from typing import Any

import pytest
from django.core.cache import cache
from django.test import Client
from playwright.sync_api import expect

from riskcalc.classroom.answers import format_value
from riskcalc.classroom.exercises import make_exercise
from riskcalc.classroom.lessons import get_lesson
from riskcalc.models.classroom import ClassSession, Student, Submission
from tests.browser.conftest import PageRecord, assert_no_axe_violations

pytestmark = pytest.mark.django_db(transaction=True)

LESSON = "liquidation-distance"
EXERCISE = "liquidation-price-long"


@pytest.fixture(autouse=True)
def fresh_rate_limits() -> None:
    cache.clear()


@pytest.fixture
def student_browser(browser: Any) -> Iterator[Callable[[], Any]]:
    """Opens a page in a browser context of its own (a student's own browser), and closes every
    one after the test: a student's page polls the pace every 3 s, and a page left open keeps
    calling the session-wide live server while later tests run without database access."""
    contexts: list[Any] = []

    def open_page() -> Any:
        contexts.append(browser.new_context())
        return contexts[-1].new_page()

    yield open_page
    for context in contexts:
        context.close()


def visit(page: Any, url: str) -> None:
    response = page.goto(url)
    assert response is not None and response.status == 200, url
    page.wait_for_load_state("networkidle")


def test_lesson_exercise_worksheet_and_projector_pages_are_clean(
    page: Any, live_server: Any, page_record: PageRecord
) -> None:
    base = live_server.url
    visit(page, f"{base}/classroom/")
    assert_no_axe_violations(page)

    visit(page, f"{base}/classroom/{LESSON}/?seed=42")
    assert_no_axe_violations(page)
    exercise = make_exercise(EXERCISE, seed=42, lesson=LESSON)
    mistake = next(m for m in exercise.misconceptions if m.code == "mm_ignored")
    block = page.locator(f"#exercise-{EXERCISE}")
    block.get_by_label("Your answer").fill(format_value(mistake.value, exercise.unit, 2))
    block.get_by_role("button", name="Check").click()
    expect(page.locator(f"#exercise-{EXERCISE}")).to_contain_text("Likely mistake")
    assert page.url.endswith("?seed=42")  # htmx swapped the exercise; no navigation
    assert_no_axe_violations(page)
    page.locator(f"#exercise-{EXERCISE}").get_by_label("Your answer").fill(exercise.answer_display)
    page.locator(f"#exercise-{EXERCISE}").get_by_role("button", name="Check").click()
    expect(page.locator(f"#exercise-{EXERCISE}")).to_contain_text("Correct.")
    assert_no_axe_violations(page)

    for path in ("worksheet/?seed=42", "worksheet/answers/?seed=42", "present/?seed=42&step=1"):
        visit(page, f"{base}/classroom/{LESSON}/{path}")
        assert_no_axe_violations(page)

    # Projector mode: arrow keys and space move through the steps; an exercise step too.
    page.keyboard.press("ArrowRight")
    page.wait_for_url(re.compile(r"step=2$"))
    page.keyboard.press(" ")
    page.wait_for_url(re.compile(r"step=3$"))
    page.keyboard.press("PageUp")
    page.wait_for_url(re.compile(r"step=2$"))
    lesson = get_lesson(LESSON)
    assert lesson is not None
    first_exercise = 1 + next(i for i, s in enumerate(lesson.steps) if s.kind == "exercise")
    visit(page, f"{base}/classroom/{LESSON}/present/?seed=42&step={first_exercise}&answer=1")
    assert_no_axe_violations(page)

    visit(page, f"{base}/classroom/join/")
    assert_no_axe_violations(page)
    page_record.assert_clean()


@pytest.mark.parametrize(("paper", "width_mm"), [("A4", 210), ("Letter", 215.9)])
def test_worksheets_print_without_clipping(
    page: Any, live_server: Any, page_record: PageRecord, paper: str, width_mm: float
) -> None:
    # The printable width: the paper less the 14 mm side margins in classroom.css.
    printable_px = int((width_mm - 2 * 14) / 25.4 * 96)
    page.set_viewport_size({"width": printable_px, "height": 1000})
    page.emulate_media(media="print")
    for path in ("worksheet/", "worksheet/answers/"):
        for lesson in ("bankruptcy-insurance-adl", "position-sizing"):
            visit(page, f"{live_server.url}/classroom/{lesson}/{path}?seed=31337")
            overflow = page.evaluate(
                "() => [document.documentElement.scrollWidth, document.documentElement.clientWidth]"
            )
            assert overflow[0] <= overflow[1], (lesson, path, overflow)
            assert page.locator(".no-print").first.is_hidden()
            assert (
                page.locator("header.border-bottom").count() == 0
                or page.locator("header.border-bottom").first.is_hidden()
            )
            pdf = page.pdf(format=paper, prefer_css_page_size=True)
            assert pdf.startswith(b"%PDF")
    page_record.assert_clean()


def console_errors(page: Any) -> list[str]:
    errors: list[str] = []
    page.on("console", lambda m: errors.append(m.text) if m.type == "error" else None)
    page.on("pageerror", lambda e: errors.append(str(e)))
    return errors


def test_a_class_runs_and_the_dashboard_updates_without_a_reload(
    page: Any, browser: Any, live_server: Any, page_record: PageRecord
) -> None:
    base = live_server.url
    visit(page, f"{base}/classroom/{LESSON}/?seed=1")
    page.get_by_role("button", name="Start a class session").click()
    page.wait_for_url(re.compile(r"/classroom/teacher/[\w-]+/$"))
    page.wait_for_load_state("networkidle")
    dashboard_url = page.url
    code = page.locator(".join-code").inner_text().strip()
    assert re.fullmatch(r"[A-HJ-NP-Z2-9]{6}", code)
    page.evaluate("() => { window.notReloaded = true; }")
    assert_no_axe_violations(page)

    plan = {"Ada": ["right"], "Bea": ["mm_ignored", "right"], "Cy": ["side_flipped"]}
    typed: list[tuple[str, str, str]] = []
    contexts = []
    for nickname, answers in plan.items():
        context = browser.new_context()
        contexts.append(context)
        student_page = context.new_page()
        errors = console_errors(student_page)
        visit(student_page, f"{base}/classroom/join/?code={code.lower()}")
        student_page.get_by_label("Nickname").fill(nickname)
        student_page.get_by_role("button", name="Join").click()
        student_page.wait_for_url(re.compile(r"/classroom/student/[\w-]+/$"))
        student_page.wait_for_load_state("networkidle")
        student = Student.objects.get(nickname=nickname)
        exercise = make_exercise(EXERCISE, seed=student.seed, lesson=LESSON)
        block = student_page.locator(f"#exercise-{EXERCISE}")
        expect(block).to_contain_text(exercise.prompt)
        for kind in answers:
            if kind == "right":
                text, expected = exercise.answer_display, "Correct."
            else:
                value = next(m for m in exercise.misconceptions if m.code == kind).value
                text, expected = format_value(value, exercise.unit, 2), "Likely mistake"
            student_page.locator(f"#exercise-{EXERCISE}").get_by_label("Your answer").fill(text)
            student_page.locator(f"#exercise-{EXERCISE}").get_by_role(
                "button", name="Check"
            ).click()
            expect(student_page.locator(f"#exercise-{EXERCISE}")).to_contain_text(expected)
            typed.append((nickname, text, "correct" if kind == "right" else "wrong"))
        if nickname == "Ada":
            assert_no_axe_violations(student_page)
            # A student cannot open the teacher's dashboard with their own link.
            own = student_page.url.rstrip("/").rsplit("/", 1)[1]
            response = student_page.goto(f"{base}/classroom/teacher/{own}/")
            assert response is not None and response.status == 404
            errors.clear()  # the 404 itself is logged by Chromium as a failed load
        assert errors == [], (nickname, errors)

    row = page.locator(f'tr[data-exercise="{EXERCISE}"]')
    expect(row.locator('[data-stat="answered"]')).to_have_text("3", timeout=15000)
    expect(row.locator('[data-stat="first"]')).to_have_text("1 (33%)")
    expect(row.locator('[data-stat="right"]')).to_have_text("2 (67%)")
    expect(row).to_contain_text("Maintenance margin ignored (that is the bankruptcy price): 1")
    expect(row).to_contain_text("Long and short swapped: 1")
    expect(page.locator('[data-stat="submissions"]')).to_have_text("4")
    assert page.evaluate("() => window.notReloaded === true")
    assert page.url == dashboard_url
    assert_no_axe_violations(page)

    export = page.request.get(dashboard_url + "export.csv")
    assert export.status == 200
    rows = list(csv.DictReader(io.StringIO(export.text())))
    assert [(r["nickname"], r["answer_typed"], r["status"]) for r in rows] == typed
    assert Submission.objects.count() == len(typed)

    projector_url = page.get_by_role("link", name="Projector view (no names)").get_attribute("href")
    assert projector_url is not None and dashboard_url.split("/")[-2] not in projector_url
    visit(page, base + projector_url)
    expect(page.locator(".join-code")).to_have_text(code)
    expect(page.get_by_role("img", name=f"QR code: join class session {code}")).to_be_visible()
    body = page.locator("main").inner_text()
    assert "Ada" not in body and "Bea" not in body and "Cy" not in body
    assert dashboard_url.split("/")[-2] not in page.content()
    assert_no_axe_violations(page)

    visit(page, dashboard_url)
    page.get_by_role("button", name="Close the session").click()
    page.wait_for_load_state("networkidle")
    expect(page.locator("main")).to_contain_text("Closed")
    for context in contexts:
        context.close()
    page_record.assert_clean()


def test_a_teacher_paces_three_students_through_two_exercises(
    page: Any, student_browser: Callable[[], Any], live_server: Any, page_record: PageRecord
) -> None:
    base = live_server.url
    lesson = get_lesson(LESSON)
    assert lesson is not None
    first, second = lesson.exercise_ids[:2]
    visit(page, f"{base}/classroom/{LESSON}/?seed=1")
    page.get_by_label("One at a time: I open each exercise from the dashboard").check()
    page.get_by_role("button", name="Start a class session").click()
    page.wait_for_url(re.compile(r"/classroom/teacher/[\w-]+/$"))
    code = page.locator(".join-code").inner_text().strip()

    students = {}
    for nickname in ("Ada", "Bea", "Cy"):
        student_page = student_browser()
        visit(student_page, f"{base}/classroom/join/?code={code}")
        student_page.get_by_label("Nickname").fill(nickname)
        student_page.get_by_role("button", name="Join").click()
        student_page.wait_for_url(re.compile(r"/classroom/student/[\w-]+/$"))
        seed = Student.objects.get(nickname=nickname).seed
        students[nickname] = (student_page, seed)
        expect(student_page.locator(f"#exercise-{second}")).to_contain_text("Not open yet")
        built = make_exercise(first, seed=seed, lesson=LESSON)
        wrong = format_value(built.misconceptions[0].value, built.unit, built.places)
        text = built.answer_display if nickname == "Ada" else wrong
        block = student_page.locator(f"#exercise-{first}")
        block.get_by_label("Your answer").fill(text)
        block.get_by_role("button", name="Check").click()
        expect(student_page.locator(f"#exercise-{first}")).to_contain_text(
            "Correct." if nickname == "Ada" else "Likely mistake"
        )
    # The dashboard names each stuck student's mistake, as the student read it.
    for nickname in ("Bea", "Cy"):
        mistake = make_exercise(first, seed=students[nickname][1], lesson=LESSON).misconceptions[0]
        expect(page.locator(f'tr[data-student="{nickname}"]')).to_contain_text(
            mistake.name, timeout=10000
        )
        expect(page.locator(f'[data-stuck="{first}"]')).to_contain_text(nickname)
    ada = students["Ada"][0]
    assert_no_axe_violations(ada)
    # Half an answer typed in exercise 1 must survive the next exercise opening.
    ada.locator(f"#exercise-{first}").get_by_label("Your answer").fill("12")

    page.get_by_role("button", name=re.compile(r"^Open the next exercise")).click()
    for student_page, seed in students.values():
        prompt = make_exercise(second, seed=seed, lesson=LESSON).prompt
        expect(student_page.locator(f"#exercise-{second}")).to_contain_text(prompt, timeout=10000)
    expect(ada.locator(f"#exercise-{first}").get_by_label("Your answer")).to_have_value("12")
    expect(ada.get_by_role("status").first).to_contain_text("Exercises 1 to 2 of 4 are open.")

    page.get_by_role("button", name="Pause the class").click()
    for student_page, _ in students.values():
        expect(student_page.locator(f"#exercise-{second}")).to_contain_text(
            "Paused by your teacher", timeout=10000
        )
    page.get_by_role("button", name="Resume the class").click()
    page.locator("#pacing li", has_text="Exercise 2").get_by_role(
        "button", name="Show the worked solution to everyone"
    ).click()
    for student_page, seed in students.values():
        answer = make_exercise(second, seed=seed, lesson=LESSON).answer_display
        block = student_page.locator(f"#exercise-{second}")
        expect(block).to_contain_text("shown by your teacher", timeout=10000)
        expect(block).to_contain_text(answer)
        expect(block.get_by_label("Your answer")).to_be_enabled()
    assert_no_axe_violations(ada)
    assert_no_axe_violations(page)

    # The CSV reads in words: exercise titles and mistakes as the students saw them.
    export = page.request.get(page.url.split("#")[0] + "export.csv")
    rows = list(csv.DictReader(io.StringIO(export.text())))
    title = make_exercise(first, seed=1, lesson=LESSON).title
    assert {(r["exercise_number"], r["exercise_title"]) for r in rows} == {("1", title)}
    for nickname in ("Bea", "Cy"):
        mistake = make_exercise(first, seed=students[nickname][1], lesson=LESSON).misconceptions[0]
        assert [r["mistake"] for r in rows if r["nickname"] == nickname] == [mistake.name]
    page_record.assert_clean()


def test_check_after_the_teacher_closed_the_session_says_so_in_place_even_with_debug_on(
    page: Any, live_server: Any, settings: Any
) -> None:
    # With DEBUG on, django-htmx's helper replaces the whole page with any 403 response; the
    # refusal must still arrive as the exercise, in place, on the styled page.
    settings.DEBUG = True
    teacher = Client()
    teacher_url = teacher.post(f"/classroom/{LESSON}/sessions/")["Location"]
    code = ClassSession.objects.get().code
    visit(page, f"{live_server.url}/classroom/join/?code={code}")
    page.get_by_label("Nickname").fill("Ada")
    page.get_by_role("button", name="Join").click()
    page.wait_for_url(re.compile(r"/classroom/student/[\w-]+/$"))
    page.wait_for_load_state("networkidle")
    assert teacher.post(f"{teacher_url}close/").status_code == 302

    block = page.locator(f"#exercise-{EXERCISE}")
    block.get_by_label("Your answer").fill("100")
    block.get_by_role("button", name="Check").click()
    expect(page.locator(f"#exercise-{EXERCISE} [role=alert]")).to_contain_text(
        "The teacher has closed this session"
    )
    expect(page.locator(f"#exercise-{EXERCISE} form")).to_have_count(0)
    expect(page.locator("h1")).to_have_count(1)
    assert page.evaluate("() => document.styleSheets.length") >= 2
    assert_no_axe_violations(page)
