"""A page or widget never opens on an error (issue 16's note): opened with a partial query,
a calculator asks for the inputs still missing, calmly and each linked to its field, which is
marked required but not invalid; a value given that cannot be used keeps its error. The API
keeps answering 400 with field errors."""

from __future__ import annotations

import re
from urllib.parse import urlencode

import pytest
from django.test import Client

from riskcalc.calculators import CALCULATORS

pytestmark = pytest.mark.django_db

# Issue 16's generic query: what a publisher's snippet or a shared link commonly holds.
GENERIC = {"side": "long", "entry_price": "60000", "quantity": "0.5", "leverage": "20"}

NEEDED = {
    "position-size": ("account_balance", "stop_price"),
    "margin": ("price",),
    "pnl": ("exit_price",),
    "adl": ("mark_price",),
    "compare": ("asset",),
}
"""What each calculator still needs after the generic query (liquidation needs nothing)."""

ERROR_WORDS = ("This field is required", "Not calculated yet", "data-error-list", 'role="alert"')


def html_of(client: Client, path: str, query: dict[str, str], **headers: str) -> str:
    response = client.get(f"{path}?{urlencode(query)}", **headers)
    assert response.status_code == 200
    return response.content.decode()


def field_tag(html: str, name: str) -> str:
    match = re.search(rf'<(?:input|select)[^>]*name="{name}"[^>]*>', html)
    assert match, f"no field {name}"
    return match.group(0)


def needed_links(html: str) -> list[str]:
    """The fields the result area asks for, in order (their ids without ``id_``)."""
    match = re.search(r"<div class=\"calc-needed[^>]*data-needed>(.*?)</div>", html, re.S)
    assert match, "no prompt for the missing inputs"
    return re.findall(r'href="#id_([a-z_]+)"', match.group(1))


@pytest.mark.parametrize("slug", list(NEEDED))
@pytest.mark.parametrize("surface", ["page", "compact embed", "full embed"])
def test_a_generic_query_opens_on_what_is_needed_not_on_an_error(
    client: Client, slug: str, surface: str
) -> None:
    calculator = CALCULATORS[slug]
    path = calculator.page_path if surface == "page" else f"/embed/{slug}/"
    query = {**GENERIC, "mode": "full"} if surface == "full embed" else GENERIC
    html = html_of(client, path, query)
    for words in ERROR_WORDS:
        assert words not in html, words
    assert needed_links(html) == list(NEEDED[slug])
    for name in NEEDED[slug]:
        tag = field_tag(html, name)
        assert 'aria-required="true"' in tag and "is-needed" in tag
        assert "is-invalid" not in tag and "aria-invalid" not in tag


def test_the_prompt_names_the_input_and_what_it_gives(client: Client) -> None:
    html = html_of(client, "/embed/pnl/", GENERIC)
    prompt = "Enter the exit price to see the profit or loss."
    assert re.search(r'<p id="announce"[^>]*>' + re.escape(prompt) + "</p>", html)
    assert (
        'Enter the <a href="#id_exit_price" data-focus-field="id_exit_price">exit price</a> to '
        "see the profit or loss." in html
    )


def test_two_missing_inputs_are_named_as_a_list(client: Client) -> None:
    html = html_of(client, "/calculators/position-size/", GENERIC)
    assert "Enter the account balance and stop price to see the order size." in html


def test_the_label_of_an_input_needed_only_now_gets_the_required_mark(client: Client) -> None:
    # The exit price is required only when no mark price is given: no asterisk on an empty
    # form, one while the result asks for it.
    asterisk = re.compile(r'<label for="id_exit_price"[^>]*>[^<]*<span class="asteriskField">')
    assert not asterisk.search(html_of(client, "/calculators/pnl/", {}))
    assert asterisk.search(html_of(client, "/calculators/pnl/", GENERIC))


def test_a_value_given_but_unusable_keeps_its_error_beside_what_is_needed(
    client: Client,
) -> None:
    html = html_of(client, "/calculators/position-size/", {**GENERIC, "entry_price": "abc"})
    assert needed_links(html) == ["account_balance", "stop_price"]
    errors = re.search(r"data-error-list>(.*?)</div>", html, re.S)
    assert errors and re.findall(r'href="#id_([a-z_]+)"', errors.group(1)) == ["entry_price"]
    assert "Not calculated yet: fix 1 input" in html
    assert "is-invalid" in field_tag(html, "entry_price")
    assert "This field is required" not in html


def test_a_page_opened_with_a_partial_query_asks_for_the_rest(client: Client) -> None:
    html = html_of(client, "/calculators/liquidation/", {"side": "long", "entry_price": "60000"})
    assert needed_links(html) == ["quantity"]
    assert "Not calculated yet" not in html


def test_an_input_needed_only_by_a_choice_is_asked_for_too(client: Client) -> None:
    # Cross margin needs the wallet balance: the core says so (a MissingInput), not a field.
    query = {**GENERIC, "margin_mode": "cross"}
    del query["leverage"]
    html = html_of(client, "/embed/liquidation/", query)
    assert needed_links(html) == ["wallet_balance"]
    assert "Not calculated yet" not in html


def test_the_htmx_result_asks_for_what_is_missing_too(client: Client) -> None:
    html = html_of(
        client, "/calculators/pnl/", GENERIC, HTTP_HX_REQUEST="true", HTTP_HX_TARGET="result"
    )
    assert needed_links(html) == ["exit_price"]
    assert '<p id="announce" hx-swap-oob="innerHTML">Enter the exit price' in html
    assert "Not calculated yet" not in html


@pytest.mark.parametrize("slug", list(NEEDED))
def test_the_api_still_answers_400_with_each_missing_field(client: Client, slug: str) -> None:
    fields = CALCULATORS[slug].form.base_fields
    query = {name: value for name, value in GENERIC.items() if name in fields}
    response = client.get(f"/api/v1/{slug}?{urlencode(query)}")  # refuses unknown names
    assert response.status_code == 400
    assert set(response.json()["errors"]) == set(NEEDED[slug])


@pytest.mark.parametrize(
    ("prefix", "prompt"),
    [
        ("/es", "Para ver la ganancia o pérdida, indica: precio de salida."),
        ("/zh-hans", "输入平仓价格，即可查看盈亏。"),
        ("/ar", "أدخل سعر الخروج لترى الربح أو الخسارة."),
    ],
)
def test_the_prompt_is_in_the_readers_language(client: Client, prefix: str, prompt: str) -> None:
    html = html_of(client, f"{prefix}/calculators/pnl/", GENERIC)
    assert re.search(r'<p id="announce"[^>]*>' + re.escape(prompt) + "</p>", html)
