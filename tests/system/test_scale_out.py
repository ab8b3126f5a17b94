"""Two app servers, one PostgreSQL: a class session driven through both loses and duplicates
nothing, and the app tier keeps no state of its own.

Process A and process B are separate gunicorn masters (production gunicorn.conf.py) on
different ports, as two containers behind the proxy would be. The teacher starts the session
on A; students fetch the join form from one process and post it to the other, then answer
alternately through A and B, and re-send some answers to the *other* process with the same
idempotency key (a retry after a proxy timeout); the dashboard and the CSV come from B. The
per-student answer rate limit must count across both (it is counted in the shared database), an admin
login on A must be valid on B (sessions live in the database), and neither process may open
a file for writing or a SQLite database (tests/appserver.py audits every open).
"""

from __future__ import annotations

import csv
import io
import re
import time
from collections.abc import Iterator

import pytest

from tests.appserver import AppServer, HttpClient, manage, production_environment
from tests.pg import TemporaryPostgres

LESSON = "liquidation-distance"
EXERCISES = (
    "margin-wipe-move",
    "liquidation-price-long",
    "liquidation-distance",
    "liquidation-price-short",
)
STUDENTS = 6
ANSWER_RATE_LIMIT = 30  # riskcalc/classroom/ratelimit.py: answer_student, per minute


@pytest.fixture(scope="module")
def servers(postgres: TemporaryPostgres) -> Iterator[tuple[AppServer, AppServer]]:
    env = production_environment(postgres.url)
    with AppServer(env, workers=1) as a, AppServer(env, workers=1) as b:
        yield a, b
        for server in (a, b):
            assert server.write_audit() == [], server.write_audit()
            assert '"status": 500' not in server.log()


def test_a_class_session_across_two_app_servers_loses_and_duplicates_nothing(
    servers: tuple[AppServer, AppServer],
) -> None:
    a, b = servers
    teacher = HttpClient()
    teacher.get(f"{a.base_url}/classroom/{LESSON}/?seed=1")  # the CSRF cookie, from A
    started = teacher.post(f"{a.base_url}/classroom/{LESSON}/sessions/", {})
    assert started.status == 302, started.text
    dashboard = started.headers["Location"]
    page = teacher.get(b.base_url + dashboard)  # the session A created, read through B
    assert page.status == 200
    code = re.search(r'class="join-code"[^>]*>(\w{6})<', page.text).group(1)  # type: ignore[union-attr]

    expected: set[tuple[str, str, str]] = set()
    for number in range(STUDENTS):
        student = HttpClient()
        first, second = (a, b) if number % 2 == 0 else (b, a)
        student.get(first.base_url + "/classroom/join/")  # CSRF cookie from one process...
        joined = student.post(  # ...accepted by the other
            second.base_url + "/classroom/join/",
            {"code": code, "nickname": f"student {number}"},
        )
        assert joined.status == 302, joined.text
        answer_path = joined.headers["Location"].rstrip("/") + "/answer/"
        for n, exercise in enumerate(EXERCISES):
            server = (a, b)[(number + n) % 2]
            data = {
                "exercise": exercise,
                "answer": f"{19000 + number * 10 + n}.5",
                "idempotency_key": f"s{number}-a{n}",
            }
            sent = student.post(server.base_url + answer_path, data, headers={"HX-Request": "true"})
            assert sent.status == 200, sent.text
            expected.add((f"student {number}", exercise, data["answer"]))
            if n == 1:  # a retry of the same answer through the other process
                other = b if server is a else a
                retried = student.post(
                    other.base_url + answer_path, data, headers={"HX-Request": "true"}
                )
                assert retried.status == 200, retried.text

    stats = teacher.get(b.base_url + dashboard + "stats/")
    assert f'data-stat="students">{STUDENTS}<' in stats.text
    assert f'data-stat="submissions">{len(expected)}<' in stats.text
    exported = teacher.get(b.base_url + dashboard + "export.csv")
    assert exported.status == 200
    rows = list(csv.reader(io.StringIO(exported.text)))
    header, body = rows[0], rows[1:]
    assert len(body) == len(expected), "one CSV line per answer: none lost, none doubled"
    nickname, exercise, answer = (
        _column(header, "nickname"),
        _column(header, "exercise"),
        _column(header, "answer_typed"),
    )
    assert {(row[nickname], row[exercise], row[answer]) for row in body} == expected


def _column(header: list[str], name: str) -> int:
    return header.index(name)


def test_the_answer_rate_limit_counts_across_both_servers(
    servers: tuple[AppServer, AppServer],
) -> None:
    a, b = servers
    # The limit counts per calendar minute; start early in one so the burst stays inside it.
    if time.time() % 60 > 40:
        time.sleep(61 - time.time() % 60)
    teacher = HttpClient()
    teacher.get(f"{a.base_url}/classroom/{LESSON}/?seed=1")
    dashboard = teacher.post(f"{a.base_url}/classroom/{LESSON}/sessions/", {}).headers["Location"]
    page = teacher.get(a.base_url + dashboard).text
    code = re.search(r'class="join-code"[^>]*>(\w{6})<', page).group(1)  # type: ignore[union-attr]
    student = HttpClient()
    student.get(a.base_url + "/classroom/join/")
    joined = student.post(b.base_url + "/classroom/join/", {"code": code, "nickname": "eager"})
    answer_path = joined.headers["Location"].rstrip("/") + "/answer/"

    statuses = []
    for n in range(ANSWER_RATE_LIMIT + 1):
        server = (a, b)[n % 2]
        data = {"exercise": EXERCISES[0], "answer": str(n), "idempotency_key": f"k{n}"}
        statuses.append(
            student.post(server.base_url + answer_path, data, headers={"HX-Request": "true"}).status
        )

    # Each process alone saw only 15 or 16: the 31st is refused only if they share the count.
    assert statuses == [200] * ANSWER_RATE_LIMIT + [429]


def test_an_admin_login_on_one_server_is_valid_on_the_other(
    servers: tuple[AppServer, AppServer], postgres: TemporaryPostgres
) -> None:
    a, b = servers
    env = production_environment(postgres.url, DJANGO_SUPERUSER_PASSWORD="scale-out-Pa55word")
    manage("createsuperuser", "--noinput", "--username", "ops", "--email", "ops@x.test", env=env)
    admin = HttpClient()
    admin.get(a.base_url + "/admin/login/")
    logged_in = admin.post(
        a.base_url + "/admin/login/?next=/admin/",
        {"username": "ops", "password": "scale-out-Pa55word", "next": "/admin/"},
    )
    assert logged_in.status == 302, logged_in.text

    assert admin.get(b.base_url + "/admin/").status == 200
    assert admin.post(b.base_url + "/admin/logout/", {}).status == 200
    assert admin.get(a.base_url + "/admin/").status == 302  # logged out everywhere
