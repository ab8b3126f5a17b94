"""Every page route answers hostile query values with a page, never a server error.

An outside audit sent 42,000 hostile page requests and found 500s in charts (prices near the
maximum) and integer parsing (``²``, 5,000 digits) (issue 12, items 3 and 7). This walks every
page route of the URL configuration, starts from the page's own worked example where it has
one, and replaces one parameter at a time (each field the rendered page's forms name, plus
the parameters views read without a form) with each hostile value. The API has its own
schema-driven fuzzing (tests/api/).
"""

from __future__ import annotations

import re
from collections import Counter
from collections.abc import Iterable, Iterator
from io import StringIO
from urllib.parse import parse_qsl

import pytest
from django.core.management import call_command
from django.test import Client
from django.urls import reverse

from riskcalc.classroom.lessons import load_lessons
from riskcalc.content import load_pages
from riskcalc.models import ClassSession, Jurisdiction
from tests.browser.routes import argument_free_paths

pytestmark = pytest.mark.django_db

HOSTILE_VALUES = (
    "",
    "9" * 5000,  # int() refuses more than 4,300 digits
    "²",  # str.isdigit() says yes, int() says no
    "١٢",  # Arabic-Indic digits
    "１２",  # full-width digits
    "NaN",
    "Infinity",
    "-Infinity",
    "1e999",
    "1e-30",
    "0.000000000000000001",
    "-1",
    "0",
    "999999999999.999999999999999999",
    "1000000000000",
)

# Parameters views read without a form (their forms' fields are found in the pages).
EMBED_OPTIONS = ("theme", "accent", "locale", "mode", "show", "origin", "widget")
LESSON_PARAMETERS = ("seed", "step", "answer")
OEMBED_PARAMETERS = ("url", "maxwidth", "maxheight", "format")


# status -> answers over the whole run, for the figures in benchmarks/README.md ("Fuzzing").
STATUSES: Counter[int] = Counter()


def page_routes() -> list[str]:
    """Every HTML page: the argument-free routes and one of each route with arguments."""
    lesson = load_lessons()[0].slug
    lesson_pages = [
        reverse(name, args=[lesson])
        for name in (
            "classroom_lesson",
            "classroom_worksheet",
            "classroom_worksheet_answers",
            "classroom_present",
        )
    ]
    learn_page = reverse("learn_page", args=[load_pages()[0].slug])
    return [*argument_free_paths(), *lesson_pages, learn_page]


def field_names(html: str) -> set[str]:
    """The names of the page's form controls."""
    return set(re.findall(r'<(?:input|select|textarea)\b[^>]*\bname="([^"]+)"', html))


def baseline(client: Client, path: str) -> dict[str, str]:
    """A valid query to start from: the page's own worked example (a calculator's "Try"
    link), or the query it redirects to (a lesson's seed, made fixed here), else nothing."""
    response = client.get(path)
    if response.status_code == 302:
        query = dict(parse_qsl(response["Location"].partition("?")[2]))
        return {**query, "seed": "1"} if "seed" in query else query
    example = response.context.get("example_query") if response.context else None
    return dict(parse_qsl(example)) if example else {}


def hostile_queries(client: Client, path: str) -> Iterator[dict[str, str]]:
    """The valid query with one parameter at a time replaced by each hostile value: every
    field of the page's forms, the parameters read without a form, and one unknown name."""
    base = baseline(client, path)
    response = client.get(path, base)
    assert response.status_code == 200, (path, base)
    names = field_names(response.content.decode()) | set(base) | {"unknown"}
    names.discard("csrfmiddlewaretoken")
    if path.startswith("/embed/"):
        names |= set(EMBED_OPTIONS)
    if "seed" in base:
        names |= set(LESSON_PARAMETERS)
    for name in sorted(names):
        for value in HOSTILE_VALUES:
            yield {**base, name: value}


def answered(status: int, request: object, allowed: frozenset[int] = frozenset()) -> None:
    """Count ``status``; fail on a 5xx (unless ``allowed``), naming the request."""
    STATUSES[status] += 1
    assert status < 500 or status in allowed, request


def statuses(
    client: Client,
    path: str,
    queries: Iterable[dict[str, str]],
    allowed: frozenset[int] = frozenset(),
) -> None:
    """GET ``path`` with each query."""
    for query in queries:
        status = client.get(path, query).status_code
        answered(status, (path, {k: v[:40] for k, v in query.items()}), allowed)


def posts(client: Client, path: str, base: dict[str, str], names: Iterable[str]) -> None:
    """POST ``base`` to ``path`` with each of ``names`` replaced by each hostile value."""
    for name in names:
        for value in HOSTILE_VALUES:
            answered(client.post(path, {**base, name: value}).status_code, (path, name, value[:40]))


@pytest.fixture
def client() -> Client:
    return Client(raise_request_exception=False)


def load_restrictions() -> None:
    call_command("load_restrictions", stdout=StringIO())


@pytest.mark.parametrize("path", page_routes())
def test_hostile_values_in_any_parameter_never_fail_the_page(client: Client, path: str) -> None:
    if path.startswith(reverse("restrictions_page")):
        load_restrictions()  # filters and tables over real facts
    statuses(client, path, hostile_queries(client, path))


def test_hostile_values_in_oembed_parameters_never_fail(client: Client) -> None:
    page = f"http://testserver{reverse('pnl_page')}?side=long&entry_price=1&quantity=1"
    base = {"url": page, "format": "json"}
    queries = ({**base, name: value} for name in OEMBED_PARAMETERS for value in HOSTILE_VALUES)
    # 501 is oEmbed's documented answer to a format other than JSON.
    statuses(client, reverse("oembed"), queries, allowed=frozenset({501}))


def test_hostile_values_in_a_jurisdiction_page_never_fail(client: Client) -> None:
    load_restrictions()
    code = Jurisdiction.objects.values_list("code", flat=True).first()
    path = reverse("restrictions_jurisdiction_page", args=[code])
    statuses(client, path, hostile_queries(client, path))


def test_hostile_values_in_a_self_study_check_never_fail(client: Client) -> None:
    lesson = load_lessons()[0]
    path = reverse("classroom_check", args=[lesson.slug])
    base = {"exercise": lesson.exercise_ids[0], "seed": "1", "attempt": "0", "answer": "1"}
    posts(client, path, base, [*base, "reveal"])


def test_hostile_values_in_a_class_session_never_fail(client: Client) -> None:
    lesson = load_lessons()[0]
    teacher = client.post(reverse("classroom_session_start", args=[lesson.slug]))["Location"]
    teacher_page = client.get(teacher).content.decode()
    projector = re.search(r'/classroom/projector/[^/"]+/', teacher_page)
    code = ClassSession.objects.get().code
    join = reverse("classroom_join")
    student = Client(raise_request_exception=False)
    student_page = student.post(join, {"code": code, "nickname": "Ada"})["Location"]
    exercise = lesson.exercise_ids[0]
    for path in (teacher, f"{teacher}stats/", student_page, f"{student_page}pace/"):
        names = {"seen", "unknown", *field_names(client.get(path).content.decode())}
        statuses(client, path, ({name: value} for name in names for value in HOSTILE_VALUES))
    if projector:
        path = projector.group(0)
        statuses(client, path, ({"seen": value} for value in HOSTILE_VALUES))
    answer = {"exercise": exercise, "answer": "1", "idempotency_key": "k"}
    posts(student, f"{student_page}answer/", answer, answer)
    posts(client, f"{teacher}pace/", {"action": "open_next", "exercise": exercise}, ["action"])
    posts(student, join, {"code": code, "nickname": "Bea"}, ["code", "nickname"])
