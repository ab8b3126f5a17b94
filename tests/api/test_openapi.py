"""The OpenAPI document and the /api/ page are generated from the forms that validate requests."""

from __future__ import annotations

import ast
import html
import io
import re
from contextlib import redirect_stdout
from decimal import Decimal
from urllib.request import urlopen

import pytest
from django.core.exceptions import ValidationError
from django.test import Client
from hypothesis import assume, given
from hypothesis import strategies as st

from riskcalc.api import ENDPOINTS, openapi_document
from riskcalc.calc.limits import LIMITS
from riskcalc.calculators.liquidation import LiquidationForm
from riskcalc.fields import STRICT_NUMBER
from tests.api.schema import problems


@pytest.fixture(scope="module")
def document() -> dict:
    return openapi_document()


def test_document_is_openapi_3_1_with_every_endpoint(client: Client) -> None:
    served = client.get("/api/v1/openapi.json").json()
    assert served["openapi"] == "3.1.0"
    calculators = {e.path for e in ENDPOINTS.values()}
    assert set(served["paths"]) == calculators | {"/api/v1/exchanges"}
    for path, operations in served["paths"].items():
        assert set(operations) == ({"get", "post"} if path in calculators else {"get"})


@pytest.mark.parametrize("slug", list(ENDPOINTS))
def test_parameters_are_the_form_fields(document: dict, slug: str) -> None:
    endpoint = ENDPOINTS[slug]
    operation = document["paths"][endpoint.path]
    query = {p["name"]: p for p in operation["get"]["parameters"]}
    form = endpoint.form(strict=True)
    assert list(query) == list(form.fields)
    assert {n for n, p in query.items() if p["required"]} == {
        n for n, f in form.fields.items() if f.required
    }
    body = operation["post"]["requestBody"]["content"]["application/json"]["schema"]
    assert set(body["properties"]) == set(query) | endpoint.form.post_only_fields
    assert body["additionalProperties"] is False


def test_bounds_come_from_limits(document: dict) -> None:
    query = {
        p["name"]: p["schema"]
        for p in document["paths"]["/api/v1/liquidation"]["get"]["parameters"]
    }
    leverage = query["leverage"]
    assert leverage["minimum"] == int(LIMITS["leverage"].minimum)
    assert leverage["maximum"] == int(LIMITS["leverage"].maximum)
    assert query["entry_price"]["exclusiveMinimum"] == 0
    assert (
        Decimal(str(query["maintenance_margin_rate"]["maximum"]))
        == LIMITS["maintenance_margin_rate"].maximum
    )
    assert query["side"]["enum"] == ["long", "short"]
    assert query["contract"]["default"] == "linear"
    assert "binance_usdm" in query["exchange"]["enum"]
    assert query["entry_price"]["description"].startswith("Average entry price")


@pytest.mark.parametrize("slug", list(ENDPOINTS))
def test_example_response_conforms_to_its_schema(client: Client, document: dict, slug: str) -> None:
    endpoint = ENDPOINTS[slug]
    response = client.get(endpoint.path, endpoint.example)
    assert response.status_code == 200
    schema = document["paths"][endpoint.path]["get"]["responses"]["200"]["content"][
        "application/json"
    ]["schema"]
    body = response.json()
    assert problems(body, schema, document) == []
    for name, value in endpoint.example_checks.items():
        assert body[name] == value


def test_error_response_conforms_to_the_errors_schema(client: Client, document: dict) -> None:
    body = client.get("/api/v1/margin", {"price": "abc"}).json()
    assert problems(body, {"$ref": "#/components/schemas/Errors"}, document) == []


def test_docs_page_lists_every_endpoint_with_parameters_and_examples(client: Client) -> None:
    response = client.get("/api/")
    assert response.status_code == 200
    page = response.content.decode()
    for endpoint in ENDPOINTS.values():
        assert f'id="{endpoint.slug}"' in page
        for name in endpoint.form(strict=True, lists=True).fields:
            assert f"<code>{name}</code>" in page
    assert "19700" in page and "71200.811444" in page
    assert "<script>" not in page  # the CSP forbids inline scripts


@pytest.mark.django_db(transaction=True)
def test_docs_python_examples_run_as_written(live_server) -> None:  # type: ignore[no-untyped-def]
    with urlopen(f"{live_server.url}/api/") as response:
        page = response.read().decode()
    blocks = re.findall(r"<code>(import json\nimport urllib.request\n.*?)</code>", page, re.S)
    assert len(blocks) == len(ENDPOINTS)
    for block, endpoint in zip(blocks, ENDPOINTS.values(), strict=True):
        output = io.StringIO()
        with redirect_stdout(output):
            exec(html.unescape(block), {})
        printed = ast.literal_eval(output.getvalue())  # the example prints the decoded dict
        for name, value in endpoint.example_checks.items():
            assert printed[name] == value


def decimal_input_schemas(document: dict) -> list[tuple[str, bool, dict]]:
    """(name, required, schema) of every decimal query parameter of every endpoint."""
    return [
        (p["name"], p["required"], p["schema"])
        for operations in document["paths"].values()
        for p in operations["get"]["parameters"]
        if p["schema"].get("format") == "decimal"
    ]


def test_decimal_inputs_publish_the_forms_notation_and_length(document: dict) -> None:
    found = decimal_input_schemas(document)
    assert found
    for name, required, schema in found:
        assert schema["maxLength"] == 64, name
        assert re.search(schema["pattern"], "19700.5") and re.search(schema["pattern"], "-1e-3")
        assert not re.search(schema["pattern"], "1,5")
        # An empty string means "not given": the contract allows it where the form does.
        assert bool(re.search(schema["pattern"], "")) is not required, name


STRICT_FORM = LiquidationForm(strict=True)
SHAPE_ERRORS = {"invalid_strict", "separators_strict", "not_finite", "too_long", "invalid"}


def form_reads(field_name: str, text: str) -> bool:
    """Whether the API's form reads ``text`` as a number (in range or not) or as "not given"."""
    try:
        STRICT_FORM.fields[field_name].clean(text)
    except ValidationError as error:
        return error.code not in SHAPE_ERRORS | {"required"}
    return True


@given(
    text=st.from_regex(STRICT_NUMBER, fullmatch=True).map(lambda text: text[:70])
    | st.text(alphabet="0123456789.,eE+-_ x", max_size=70)
    | st.sampled_from(["", "NaN", "Infinity", "-inf", "1e999", "9" * 64, "9" * 65, "٣", "１"])
)
@pytest.mark.parametrize("field_name", ["entry_price", "leverage"])  # required, optional
def test_the_published_pattern_and_the_form_agree(
    document: dict, field_name: str, text: str
) -> None:
    # Surrounding spaces and U+2212 minus signs, which the form also tolerates, are outside
    # the contract; for everything else the schema and the form give the same answer.
    assume(text == text.strip() and "\u2212" not in text)
    schema = next(s for name, _, s in decimal_input_schemas(document) if name == field_name)
    in_contract = bool(re.search(schema["pattern"], text)) and len(text) <= schema["maxLength"]
    assert in_contract == form_reads(field_name, text)
