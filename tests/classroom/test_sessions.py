"""Class sessions: start, join, answer, authorisation, limits, export, close and retention."""

from __future__ import annotations

import csv
import io
import re
from datetime import timedelta
from html import unescape

import pytest
from django.core.cache import cache
from django.core.management import call_command
from django.test import Client
from django.utils import timezone

from riskcalc.classroom.exercises import make_exercise
from riskcalc.classroom.sessions import JOIN_ALPHABET, projector_token, purge_expired
from riskcalc.models.classroom import ClassSession, Student, Submission

pytestmark = pytest.mark.django_db

LESSON = "liquidation-distance"


@pytest.fixture(autouse=True)
def fresh_rate_limits() -> None:
    cache.clear()


def start(client: Client) -> tuple[str, ClassSession]:
    response = client.post(f"/classroom/{LESSON}/sessions/")
    assert response.status_code == 302
    match = re.match(r"^/classroom/teacher/([\w-]+)/$", response["Location"])
    assert match, response["Location"]
    return match.group(1), ClassSession.objects.order_by("-id").first()  # type: ignore[return-value]


def join(code: str, nickname: str) -> tuple[Client, str]:
    client = Client()
    response = client.post("/classroom/join/", {"code": code, "nickname": nickname})
    assert response.status_code == 302, unescape(response.content.decode())
    match = re.match(r"^/classroom/student/([\w-]+)/$", response["Location"])
    assert match
    return client, match.group(1)


def shows_figure(page: str, figure: str) -> bool:
    """Whether the page shows this figure on its own, not inside a longer one: "1 %" is part of
    the tolerance line's "±0.001 %"."""
    return re.search(rf"(?<![\d.,]){re.escape(figure)}", page) is not None


def answer(client: Client, token: str, exercise: str, text: str, key: str) -> object:
    return client.post(
        f"/classroom/student/{token}/answer/",
        {"exercise": exercise, "answer": text, "idempotency_key": key},
        HTTP_HX_REQUEST="true",
    )


def test_a_session_has_a_short_unambiguous_code_and_a_secret_teacher_link(client: Client) -> None:
    token, session = start(client)
    assert len(session.code) == 6 and set(session.code) <= set(JOIN_ALPHABET)
    assert not set(session.code) & set("0O1I")
    assert len(token) >= 40
    assert token not in session.teacher_token_hash  # only a digest is stored
    page = client.get(f"/classroom/teacher/{token}/")
    assert page.status_code == 200
    assert session.code in page.content.decode()
    assert page["Cache-Control"].startswith("max-age=0") or "no-cache" in page["Cache-Control"]
    assert page["Referrer-Policy"] == "same-origin"


def test_students_join_with_code_and_nickname_and_get_their_own_seed(client: Client) -> None:
    _, session = start(client)
    _, token_a = join(session.code.lower(), "Ada")
    _, token_b = join(f" {session.code[:3]}-{session.code[3:]} ", "Bea")
    a, b = Student.objects.order_by("id")
    assert (a.nickname, b.nickname) == ("Ada", "Bea")
    assert a.seed != b.seed
    assert token_a != token_b


def test_nicknames_are_unique_per_session_and_escaped(client: Client) -> None:
    teacher, session = start(client)
    join(session.code, "<b>Ada</b>")
    again = Client().post("/classroom/join/", {"code": session.code, "nickname": "<B>ADA</B>"})
    assert again.status_code == 409
    assert "already uses the nickname" in unescape(again.content.decode())
    dashboard = client.get(f"/classroom/teacher/{teacher}/").content.decode()
    assert "<b>Ada</b>" not in dashboard and "&lt;b&gt;Ada&lt;/b&gt;" in dashboard
    too_long = Client().post("/classroom/join/", {"code": session.code, "nickname": "x" * 25})
    assert too_long.status_code == 400


def test_unknown_and_closed_codes_get_a_clear_message(client: Client) -> None:
    unknown = Client().post("/classroom/join/", {"code": "ZZZZZZ", "nickname": "Ada"})
    assert unknown.status_code == 404
    assert "No class session has the code ZZZZZZ" in unescape(unknown.content.decode())
    malformed = Client().post("/classroom/join/", {"code": "O0O0", "nickname": "Ada"})
    assert malformed.status_code == 404
    assert "is not a join code" in unescape(malformed.content.decode())
    token, session = start(client)
    client.post(f"/classroom/teacher/{token}/close/")
    closed = Client().post("/classroom/join/", {"code": session.code, "nickname": "Ada"})
    assert closed.status_code == 403
    assert "has been closed by the teacher" in unescape(closed.content.decode())


def test_answers_are_stored_judged_and_idempotent(client: Client) -> None:
    _, session = start(client)
    student_client, token = join(session.code, "Ada")
    student = Student.objects.get()
    exercise = make_exercise("liquidation-price-long", seed=student.seed, lesson=LESSON)
    mistake = next(m for m in exercise.misconceptions if m.code == "mm_ignored")
    wrong = f"{mistake.value.quantize(exercise.tolerance):f}"
    first = answer(student_client, token, "liquidation-price-long", wrong, "k1")
    assert first.status_code == 200
    assert "Likely mistake: Maintenance margin ignored" in unescape(first.content.decode())
    again = answer(student_client, token, "liquidation-price-long", wrong, "k1")  # double-submit
    assert again.status_code == 200
    right = answer(student_client, token, "liquidation-price-long", exercise.answer_display, "k2")
    assert "Correct." in unescape(right.content.decode())
    rows = list(Submission.objects.order_by("id").values_list("status", "misconception"))
    assert rows == [("wrong", "mm_ignored"), ("correct", "")]


def test_answer_without_javascript_redirects_back_to_the_exercise(client: Client) -> None:
    _, session = start(client)
    student_client, token = join(session.code, "Ada")
    response = student_client.post(
        f"/classroom/student/{token}/answer/",
        {"exercise": "liquidation-price-long", "answer": "1", "idempotency_key": "x"},
    )
    assert response.status_code == 302
    assert response["Location"].endswith("#exercise-liquidation-price-long")
    page = unescape(student_client.get(response["Location"]).content.decode())
    assert "Not yet." in page and "Read as 1 USDT." in page


def test_a_student_link_cannot_open_the_teacher_view_or_another_students_answers(
    client: Client,
) -> None:
    teacher, session = start(client)
    ada_client, ada = join(session.code, "Ada")
    bea_client, bea = join(session.code, "Bea")
    answer(ada_client, ada, "liquidation-price-long", "12345.67", "a1")
    for path in ("", "stats/", "export.csv"):
        response = ada_client.get(f"/classroom/teacher/{ada}/{path}")
        assert response.status_code == 404, path
        assert "does not open any class session" in unescape(response.content.decode())
    assert ada_client.post(f"/classroom/teacher/{ada}/close/").status_code == 404
    bea_page = unescape(bea_client.get(f"/classroom/student/{bea}/").content.decode())
    # Tokens in the page are URL-safe base64, which may spell "Ada" by chance.
    assert "12345.67" not in bea_page and not re.search(r"(?<![\w-])Ada(?![\w-])", bea_page)
    assert "Bea" in bea_page
    # The teacher link is not a student link either.
    assert client.get(f"/classroom/student/{teacher}/").status_code == 404


def test_closed_session_refuses_answers(client: Client) -> None:
    teacher, session = start(client)
    student_client, token = join(session.code, "Ada")
    client.post(f"/classroom/teacher/{teacher}/close/")
    response = answer(student_client, token, "liquidation-price-long", "1", "k")
    assert response.status_code == 403
    assert "closed this session" in unescape(response.content.decode())
    assert Submission.objects.count() == 0
    # The refusal is the exercise itself, without its form, swapped in place of the old one.
    assert response["HX-Retarget"] == "#exercise-liquidation-price-long"
    assert response["HX-Reswap"] == "outerHTML"
    fragment = response.content.decode()
    assert fragment.lstrip().startswith('<article class="classroom-exercise')
    assert "<form" not in fragment and 'role="alert"' in fragment
    page = unescape(student_client.get(f"/classroom/student/{token}/").content.decode())
    assert "The teacher has closed this session." in page


def test_an_answer_to_a_closed_session_without_javascript_gets_a_styled_page(
    client: Client,
) -> None:
    teacher, session = start(client)
    student_client, token = join(session.code, "Ada")
    client.post(f"/classroom/teacher/{teacher}/close/")
    response = student_client.post(
        f"/classroom/student/{token}/answer/",
        {"exercise": "liquidation-price-long", "answer": "1", "idempotency_key": "k"},
    )
    assert response.status_code == 403
    page = unescape(response.content.decode())
    assert "<html" in page and "css/site" in page
    assert "The teacher has closed this session" in page
    assert f'href="/classroom/student/{token}/"' in page


def test_a_refused_answer_keeps_the_form_when_the_session_is_open(client: Client, settings) -> None:  # type: ignore[no-untyped-def]
    settings.RISKCALC_CLASSROOM_LIMITS = {"answer_student": (0, 60)}
    _, session = start(client)
    student_client, token = join(session.code, "Ada")
    response = answer(student_client, token, "liquidation-price-long", "1", "k")
    assert response.status_code == 429
    assert response["HX-Retarget"] == "#exercise-liquidation-price-long"
    fragment = unescape(response.content.decode())
    assert "<form" in fragment and "Too many answers" in fragment


def test_dashboard_counts_and_csv_match_the_answers(client: Client) -> None:
    teacher, session = start(client)
    typed = {}
    for name, correct in (("Ada", True), ("Bea", False), ("Cy", False)):
        c, token = join(session.code, name)
        student = Student.objects.get(nickname=name)
        exercise = make_exercise("liquidation-price-long", seed=student.seed, lesson=LESSON)
        if correct:
            text = exercise.answer_display
        else:
            flipped = next(m for m in exercise.misconceptions if m.code == "side_flipped")
            text = f"{flipped.value.quantize(exercise.tolerance):f}"
        typed[name] = text
        answer(c, token, "liquidation-price-long", text, "k")
    stats = client.get(f"/classroom/teacher/{teacher}/stats/", HTTP_HX_REQUEST="true")
    row = re.search(
        r'data-exercise="liquidation-price-long">.*?</tr>', stats.content.decode(), re.S
    ).group(0)
    assert re.search(r'data-stat="answered">3<', row)
    assert re.search(r'data-stat="right">1 \(33%\)<', row)
    assert 'Long and short swapped: <span class="figure-num">2</span>' in row
    export = client.get(f"/classroom/teacher/{teacher}/export.csv")
    assert export["Content-Type"].startswith("text/csv")
    rows = list(csv.DictReader(io.StringIO(export.content.decode())))
    assert [(r["nickname"], r["answer_typed"], r["status"]) for r in rows] == [
        ("Ada", typed["Ada"], "correct"),
        ("Bea", typed["Bea"], "wrong"),
        ("Cy", typed["Cy"], "wrong"),
    ]
    assert {r["misconception"] for r in rows[1:]} == {"side_flipped"}
    # The export reads in words, as the students saw them, with the codes beside them.
    assert {(r["exercise_number"], r["exercise_title"]) for r in rows} == {
        ("2", "Liquidation price of an isolated long")
    }
    assert [r["mistake"] for r in rows] == ["", "Long and short swapped", "Long and short swapped"]
    projector = unescape(
        client.get(f"/classroom/projector/{projector_token(teacher)}/").content.decode()
    )
    assert (
        "Ada" not in projector and "Bea" not in projector and "Long and short swapped" in projector
    )


def test_csv_cells_cannot_run_as_spreadsheet_formulas(client: Client) -> None:
    teacher, session = start(client)
    c, token = join(session.code, "=HYPERLINK(1)")
    answer(c, token, "liquidation-price-long", "-1", "k")
    rows = list(
        csv.reader(
            io.StringIO(client.get(f"/classroom/teacher/{teacher}/export.csv").content.decode())
        )
    )
    assert rows[1][1] == "'=HYPERLINK(1)"
    assert rows[1][5] == "'-1"


def test_joins_and_answers_are_rate_limited(client: Client, settings) -> None:  # type: ignore[no-untyped-def]
    settings.RISKCALC_CLASSROOM_LIMITS = {"join_ip": (1, 600), "answer_student": (2, 60)}
    _, session = start(client)
    c, token = join(session.code, "Ada")
    refused = Client().post("/classroom/join/", {"code": session.code, "nickname": "Bea"})
    assert refused.status_code == 429
    assert "Too many joins" in unescape(refused.content.decode())
    for key in ("1", "2"):
        assert answer(c, token, "liquidation-price-long", "1", key).status_code == 200
    limited = answer(c, token, "liquidation-price-long", "1", "3")
    assert limited.status_code == 429
    assert "Too many answers" in unescape(limited.content.decode())
    assert Submission.objects.count() == 2


def join_from(address: str, code: str, nickname: str) -> object:
    return Client(REMOTE_ADDR=address).post(
        "/classroom/join/", {"code": code, "nickname": nickname}
    )


def test_one_address_cannot_use_a_sessions_whole_join_allowance(client: Client, settings) -> None:  # type: ignore[no-untyped-def]
    settings.RISKCALC_CLASSROOM_LIMITS = {"join_session": (6, 600), "join_session_ip": (2, 600)}
    _, session = start(client)
    statuses = [join_from("198.51.100.1", session.code, f"A{n}").status_code for n in range(4)]
    assert statuses == [302, 302, 429, 429]
    refused = join_from("198.51.100.1", session.code, "A9")
    assert "from your network" in unescape(refused.content.decode())
    # The rest of the class, from other addresses, still gets in.
    for n, address in enumerate(("198.51.100.2", "198.51.100.2", "198.51.100.3", "198.51.100.4")):
        assert join_from(address, session.code, f"B{n}").status_code == 302
    assert session.students.count() == 6


def test_the_teacher_can_reopen_joining_once_the_allowance_is_used_up(
    client: Client, settings
) -> None:  # type: ignore[no-untyped-def]
    settings.RISKCALC_CLASSROOM_LIMITS = {"join_session": (3, 600), "join_session_ip": (2, 600)}
    teacher, session = start(client)
    dashboard = f"/classroom/teacher/{teacher}/"
    assert "Joining is paused" not in client.get(dashboard).content.decode()
    for n, address in enumerate(("198.51.100.1", "198.51.100.1", "198.51.100.2")):
        assert join_from(address, session.code, f"S{n}").status_code == 302
    refused = join_from("198.51.100.3", session.code, "Late")
    assert refused.status_code == 429
    assert "ask your teacher to reopen joining" in unescape(refused.content.decode())
    page = unescape(client.get(dashboard).content.decode())
    assert "Joining is paused" in page and "(3 in 10 minutes)" in page

    assert client.post(f"{dashboard}reopen-joining/").status_code == 302
    assert "Joining is paused" not in client.get(dashboard).content.decode()
    assert join_from("198.51.100.3", session.code, "Late").status_code == 302
    # The address that sent too many joins stays limited.
    assert join_from("198.51.100.1", session.code, "Again").status_code == 429


def test_expired_sessions_are_deleted_when_opened(client: Client) -> None:
    teacher, session = start(client)
    c, token = join(session.code, "Ada")
    answer(c, token, "liquidation-price-long", "1", "k")
    ClassSession.objects.update(created_at=timezone.now() - timedelta(days=7, seconds=1))
    response = c.get(f"/classroom/student/{token}/")
    assert response.status_code == 404
    assert "expired" in unescape(response.content.decode())
    assert (
        ClassSession.objects.count() == Student.objects.count() == Submission.objects.count() == 0
    )


def test_purge_command_deletes_only_expired_sessions(client: Client) -> None:
    _, old = start(client)
    c, token = join(old.code, "Ada")
    answer(c, token, "liquidation-price-long", "1", "k")
    ClassSession.objects.update(created_at=timezone.now() - timedelta(days=8))
    _, recent = start(Client())
    out = io.StringIO()
    call_command("purge_classroom", stdout=out)
    assert "Deleted 1 class session older than 7 days." in out.getvalue()
    assert list(ClassSession.objects.values_list("code", flat=True)) == [recent.code]
    assert Student.objects.count() == Submission.objects.count() == 0
    assert purge_expired() == 0


def test_pages_state_the_retention_period(client: Client) -> None:
    teacher, session = start(client)
    assert "deleted 7 days after" in unescape(client.get("/classroom/").content.decode())
    assert "deleted 7 days after" in unescape(
        client.get(f"/classroom/teacher/{teacher}/").content.decode()
    )
    assert "deleted 7 days after" in unescape(client.get("/classroom/join/").content.decode())


def test_starting_sessions_is_rate_limited(client: Client, settings) -> None:  # type: ignore[no-untyped-def]
    settings.RISKCALC_CLASSROOM_LIMITS = {"start_ip": (1, 600)}
    start(client)
    refused = client.post(f"/classroom/{LESSON}/sessions/")
    assert refused.status_code == 429
    assert "Too many sessions started" in unescape(refused.content.decode())
    assert ClassSession.objects.count() == 1
