"""The API's HTTP behaviour: methods, sizes, CORS, caching, unknown fields, error shape."""

from __future__ import annotations

import json

import pytest
from django.test import Client
from django.urls import reverse

from riskcalc.api import ENDPOINTS, MAX_BODY_BYTES

BYBIT = {
    "side": "long",
    "entry_price": "20000",
    "quantity": "1",
    "leverage": "50",
    "maintenance_margin_rate": "0.005",
    "mm_basis": "entry",
}
PATHS = [endpoint.path for endpoint in ENDPOINTS.values()]


def post_json(client: Client, path: str, body: object, **extra: str):  # type: ignore[no-untyped-def]
    return client.post(path, json.dumps(body), content_type="application/json", **extra)


@pytest.mark.parametrize("path", PATHS)
@pytest.mark.parametrize("method", ["put", "patch", "delete"])
def test_other_methods_get_405_with_a_json_body(client: Client, path: str, method: str) -> None:
    response = getattr(client, method)(path)
    assert response.status_code == 405
    assert response["Content-Type"] == "application/json"
    assert response["Allow"] == "GET, HEAD, POST, OPTIONS"
    assert list(response.json()) == ["errors"]
    assert response.json()["errors"]["__all__"][0].startswith(f"Method {method.upper()}")


@pytest.mark.parametrize(
    "path", ["/api/v1/nope", "/api/v2/liquidation", "/api/v1/liquidation/extra", "/api/x/"]
)
def test_unknown_api_routes_answer_a_json_404_in_the_error_format(
    client: Client, path: str
) -> None:
    response = client.get(path)
    assert response.status_code == 404
    assert response["Content-Type"] == "application/json"
    assert response["Access-Control-Allow-Origin"] == "*"
    (message,) = response.json()["errors"]["__all__"]
    assert message.startswith(f"There is no API endpoint at {path}.")
    assert "/api/v1/liquidation" in message and "/api/v1/exchanges" in message


def test_unknown_pages_outside_the_api_keep_the_html_404(client: Client) -> None:
    response = client.get("/nope/")
    assert response.status_code == 404
    assert response["Content-Type"].startswith("text/html")


@pytest.mark.parametrize("path", PATHS)
def test_endpoints_are_not_redirected_to_a_trailing_slash(client: Client, path: str) -> None:
    response = client.get(path)
    assert response.status_code == 400  # answered (missing fields), not 301
    assert response["Content-Type"] == "application/json"


def test_head_is_answered_like_get(client: Client) -> None:
    response = client.head("/api/v1/liquidation", BYBIT)
    assert response.status_code == 200


def test_get_results_are_cacheable_and_errors_are_not(client: Client) -> None:
    ok = client.get("/api/v1/liquidation", BYBIT)
    assert ok["Cache-Control"] == "public, max-age=300"
    error = client.get("/api/v1/liquidation", {**BYBIT, "leverage": "0"})
    assert error.status_code == 400
    assert error["Cache-Control"] == "no-store"
    posted = post_json(client, "/api/v1/liquidation", BYBIT)
    assert posted["Cache-Control"] == "no-store"


def test_responses_set_no_cookies(client: Client) -> None:
    response = post_json(client, "/api/v1/liquidation", BYBIT)
    assert not response.cookies


@pytest.mark.parametrize("path", [*PATHS, "/api/v1/openapi.json"])
def test_cors_allows_any_origin_without_credentials(client: Client, path: str) -> None:
    response = client.get(path, HTTP_ORIGIN="https://publisher.example")
    assert response["Access-Control-Allow-Origin"] == "*"
    assert "Access-Control-Allow-Credentials" not in response


@pytest.mark.parametrize("path", PATHS)
def test_preflight_names_methods_headers_and_max_age(client: Client, path: str) -> None:
    response = client.options(
        path,
        HTTP_ORIGIN="https://publisher.example",
        HTTP_ACCESS_CONTROL_REQUEST_METHOD="POST",
        HTTP_ACCESS_CONTROL_REQUEST_HEADERS="content-type",
    )
    assert response.status_code == 204
    assert response["Access-Control-Allow-Origin"] == "*"
    assert response["Access-Control-Allow-Methods"] == "GET, POST, OPTIONS"
    assert response["Access-Control-Allow-Headers"] == "Content-Type"
    assert int(response["Access-Control-Max-Age"]) > 0


def test_cross_site_post_needs_no_csrf_token() -> None:
    client = Client(enforce_csrf_checks=True)
    response = post_json(client, "/api/v1/liquidation", BYBIT, HTTP_ORIGIN="https://x.example")
    assert response.status_code == 200


def test_unknown_fields_are_named_in_a_400(client: Client) -> None:
    response = client.get("/api/v1/liquidation", {**BYBIT, "levrage": "10", "colour": "red"})
    assert response.status_code == 400
    errors = response.json()["errors"]
    assert set(errors) == {"levrage", "colour"}
    assert "Unknown field" in errors["levrage"][0]


def test_list_fields_are_refused_in_a_query_string(client: Client) -> None:
    response = client.get("/api/v1/margin", {"quantity": "1", "price": "1", "tiers": "[]"})
    assert response.status_code == 400
    assert "POST" in response.json()["errors"]["tiers"][0]


def test_repeated_query_parameters_are_refused(client: Client) -> None:
    response = client.get("/api/v1/liquidation?side=long&side=short&entry_price=1&quantity=1")
    assert response.status_code == 400
    assert "side" in response.json()["errors"]


@pytest.mark.parametrize(
    "body",
    [
        "{",
        "",
        "[1, 2]",
        '"side"',
        "null",
        '{"side": NaN}',
        '{"entry_price": Infinity}',
        "[" * 20000,
        b"\xff\xfe{}",
    ],
)
def test_malformed_json_is_a_400(client: Client, body: str | bytes) -> None:
    response = client.post("/api/v1/liquidation", body, content_type="application/json")
    assert response.status_code == 400
    errors = response.json()["errors"]
    assert list(errors) == ["__all__"]
    assert all(isinstance(message, str) for message in errors["__all__"])


def test_bodies_over_64_kb_are_413(client: Client) -> None:
    body = json.dumps({**BYBIT, "symbol": "x" * MAX_BODY_BYTES})
    response = client.post("/api/v1/liquidation", body, content_type="application/json")
    assert response.status_code == 413
    assert "__all__" in response.json()["errors"]


def test_actual_body_size_counts_even_if_content_length_lies(client: Client) -> None:
    body = json.dumps({**BYBIT, "symbol": "x" * MAX_BODY_BYTES}).encode()
    response = client.generic("POST", "/api/v1/liquidation", body, content_type="application/json")
    assert response.status_code == 413
    # A Content-Length above the limit is refused before reading.
    small = client.generic(
        "POST",
        "/api/v1/liquidation",
        json.dumps(BYBIT),
        content_type="application/json",
        CONTENT_LENGTH=str(MAX_BODY_BYTES + 1),
    )
    assert small.status_code == 413


def test_query_strings_over_64_kb_are_413(client: Client) -> None:
    response = client.get("/api/v1/liquidation", {**BYBIT, "symbol": "x" * MAX_BODY_BYTES})
    assert response.status_code == 413


def test_field_errors_use_the_documented_shape(client: Client) -> None:
    response = client.get("/api/v1/liquidation", {"side": "up", "entry_price": "1,5"})
    assert response.status_code == 400
    errors = response.json()["errors"]
    assert errors["side"] == ["Choose one of: long, short."]
    assert errors["entry_price"] == [
        'Use "." as the decimal point and no thousands separators, such as 1234.5.'
    ]
    # The size may come as a quantity, a position value or a margin: it is asked for once
    # the fields parse (tests/calculators/test_form.py).
    assert "quantity" not in errors


def test_core_errors_land_on_the_field_they_name(client: Client) -> None:
    inputs = {**BYBIT, "margin_mode": "cross"}
    del inputs["leverage"]
    response = client.get("/api/v1/liquidation", inputs)
    assert response.status_code == 400
    assert list(response.json()["errors"]) == ["wallet_balance"]


def test_cross_field_problems_are_under_all(client: Client) -> None:
    response = client.get("/api/v1/liquidation", {**BYBIT, "position_margin": "400"})
    assert response.json()["errors"] == {
        "__all__": ["Give either the leverage or the position margin, not both."]
    }


def test_missing_price_is_null_with_a_warning(client: Client) -> None:
    response = client.get(
        "/api/v1/liquidation",
        {
            "side": "long",
            "entry_price": "100",
            "quantity": "1",
            "leverage": "1",
            "maintenance_margin_rate": "0",
        },
    )
    body = response.json()
    assert body["liquidation_price"] is None
    assert body["liquidation_distance"] is None
    codes = [w["code"] for w in body["warnings"]]
    assert "no_liquidation_price" in codes
    assert all(set(w) == {"code", "message"} for w in body["warnings"])


def test_every_decimal_in_a_response_is_a_string(client: Client) -> None:
    body = client.get(
        "/api/v1/liquidation",
        {**BYBIT, "exchange": "binance_usdm", "symbol": "BTCUSDT", "maintenance_margin_rate": ""},
    ).json()

    def walk(value: object) -> None:
        assert not isinstance(value, float)
        if isinstance(value, dict):
            for item in value.values():
                walk(item)
        elif isinstance(value, list):
            for item in value:
                walk(item)

    walk(body)
    assert body["tier"]["maintenance_margin_rate"] == "0.004"
    assert body["data_date"] == "2024-10-24"
    assert body["exchange_profile"] == "binance_usdm"


def test_api_routes_reverse_by_view_name() -> None:
    assert reverse("liquidation_api") == "/api/v1/liquidation"
    assert reverse("position_size_api") == "/api/v1/position-size"
    assert reverse("openapi_schema") == "/api/v1/openapi.json"
    assert reverse("api_docs") == "/api/"


def test_huge_results_are_written_out_in_full(client: Client) -> None:
    # Found by the fuzz: a margin ratio of about 8e32 once broke the JSON formatting.
    response = client.get(
        "/api/v1/margin",
        {
            "quantity": "1000000000000",
            "price": "31967.27",
            "maintenance_margin_rate": "0.025",
            "maintenance_amount": "16300",
            "wallet_balance": "1E-18",
        },
    )
    assert response.status_code == 200
    assert response.json()["margin_ratio"].startswith("7991817499837")
    assert "E" not in response.json()["margin_ratio"]


def test_tick_larger_than_the_price_is_refused(client: Client) -> None:
    # Found by the fuzz: rounding a short's price down to a 1,000,000 tick gave 0.
    response = client.get("/api/v1/liquidation", {**BYBIT, "side": "short", "tick_size": "1e6"})
    assert response.status_code == 400
    assert list(response.json()["errors"]) == ["tick_size"]
