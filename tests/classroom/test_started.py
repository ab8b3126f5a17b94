"""A way back to a lost dashboard: the browser that started a session lists it, and no one
else's browser does."""

from __future__ import annotations

from html import unescape

import pytest
from django.core.cache import cache
from django.test import Client

from riskcalc.models.classroom import ClassSession
from riskcalc.views.classroom import STARTED_COOKIE
from tests.classroom.test_sessions import join, start

pytestmark = pytest.mark.django_db


@pytest.fixture(autouse=True)
def fresh_rate_limits() -> None:
    cache.clear()


def test_the_browser_that_started_sessions_lists_their_dashboards(client: Client) -> None:
    first, _ = start(client)
    second, session = start(client)
    page = unescape(client.get("/classroom/started/").content.decode())
    assert page.index(f"/classroom/teacher/{second}/") < page.index(f"/classroom/teacher/{first}/")
    assert session.code in page
    cookie = client.cookies[STARTED_COOKIE]
    assert cookie["httponly"] and cookie["samesite"] == "Lax" and cookie["path"] == "/"


def test_other_browsers_and_students_see_no_teacher_link(client: Client) -> None:
    teacher, session = start(client)
    student_client, _ = join(session.code, "Ada")
    for other in (Client(), student_client):
        page = other.get("/classroom/started/").content.decode()
        assert teacher not in page
        assert "No session started on this browser" in page


def test_a_forged_or_tampered_cookie_opens_nothing(client: Client) -> None:
    teacher, _ = start(client)
    forged = Client()
    forged.cookies[STARTED_COOKIE] = teacher
    assert teacher not in forged.get("/classroom/started/").content.decode()
    client.cookies[STARTED_COOKIE] = client.cookies[STARTED_COOKIE].value + "x"
    assert teacher not in client.get("/classroom/started/").content.decode()


def test_deleted_sessions_drop_off_the_list(client: Client) -> None:
    teacher, _ = start(client)
    ClassSession.objects.all().delete()
    page = client.get("/classroom/started/").content.decode()
    assert teacher not in page
    assert client.get("/classroom/started/")["Cache-Control"].startswith("max-age=0")
