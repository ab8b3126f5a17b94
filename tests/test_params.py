"""The one integer parser, and every view that reads an integer from a request using it.

``str.isdigit`` accepts ``"²"`` and ``int`` refuses it; ``int`` also refuses 5,000 digits.
Each request below answered 500 while a view tested with one and parsed with the other.
"""

from __future__ import annotations

import json

import pytest
from django.test import Client

from riskcalc.params import whole_number
from riskcalc.views.api import MAX_BODY_BYTES
from tests.api.test_protocol import BYBIT

pytestmark = pytest.mark.django_db

LESSON = "liquidation-distance"
HOSTILE_INTEGERS = ["²", "٣", "9" * 5000, " 1", "-1", "1e3", "1_000", ""]


@pytest.mark.parametrize("text", ["0", "7", "0042", "999999"])
def test_ascii_digits_up_to_the_maximum_are_read(text: str) -> None:
    assert whole_number(text, maximum=999_999) == int(text)


@pytest.mark.parametrize("text", [*HOSTILE_INTEGERS, "1000000", "0" * 7, None])
def test_anything_else_is_no_number(text: str | None) -> None:
    assert whole_number(text, maximum=999_999) is None


@pytest.mark.parametrize("value", HOSTILE_INTEGERS)
def test_lesson_and_worksheet_seeds_that_are_no_number_get_a_fresh_seed(
    client: Client, value: str
) -> None:
    for page in ("", "worksheet/", "worksheet/answers/", "present/"):
        response = client.get(f"/classroom/{LESSON}/{page}", {"seed": value})
        assert response.status_code == 302, (page, response.status_code)


@pytest.mark.parametrize("value", HOSTILE_INTEGERS)
def test_projector_steps_that_are_no_number_are_not_found(client: Client, value: str) -> None:
    response = client.get(f"/classroom/{LESSON}/present/", {"seed": "3", "step": value})
    assert response.status_code == 404


@pytest.mark.parametrize("value", HOSTILE_INTEGERS)
def test_a_check_with_a_seed_that_is_no_number_is_out_of_date(client: Client, value: str) -> None:
    data = {"exercise": "liquidation-price-long", "seed": value, "answer": "1"}
    response = client.post(f"/classroom/{LESSON}/check/", data)
    assert response.status_code == 400


@pytest.mark.parametrize("value", HOSTILE_INTEGERS)
def test_a_check_with_an_attempt_that_is_no_number_counts_as_the_first(
    client: Client, value: str
) -> None:
    data = {"exercise": "liquidation-price-long", "seed": "42", "answer": "1", "attempt": value}
    response = client.post(f"/classroom/{LESSON}/check/", data, HTTP_HX_REQUEST="true")
    assert response.status_code == 200
    assert 'name="attempt" value="1"' in response.content.decode()


@pytest.mark.parametrize("value", ["²", "9" * 5000, "-1"])
def test_a_content_length_that_is_no_number_is_refused_as_bad_input(
    client: Client, value: str
) -> None:
    # Django reads such a Content-Length as 0, so the body is empty: 400, or 413 if read.
    body = json.dumps({**BYBIT, "symbol": "x" * MAX_BODY_BYTES})
    response = client.generic(
        "POST", "/api/v1/liquidation", body, content_type="application/json", CONTENT_LENGTH=value
    )
    assert response.status_code in {400, 413}
