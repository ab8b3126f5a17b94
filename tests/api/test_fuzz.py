"""Schema-driven fuzzing of the API: requests built from the published OpenAPI document.

Each example starts from the endpoint's documented example and mutates a few fields with
values drawn from the field's schema (valid ranges and choices) or from a pool of hostile
values (wrong types, empty strings, NaN/Infinity/-0/1e999 spellings, huge and tiny numbers,
nested objects, unknown fields). Body-level faults (bad JSON, wrong top-level types, deep
nesting, oversized bodies) are fuzzed separately. Every answer must be a 200 that conforms to
the response schema (decimals as strings or null, never NaN, no negative prices) or a
documented 4xx with ``{"errors": {field: [message, ...]}}``; never a 5xx.

5,000+ requests in total: 1,000 per endpoint (GET and POST) plus 300 body faults.
"""

from __future__ import annotations

import json
import os
from decimal import Decimal
from typing import Any

import pytest
from django.test import Client
from hypothesis import HealthCheck, given, settings
from hypothesis import strategies as st

from riskcalc.api import ENDPOINTS, MAX_BODY_BYTES, openapi_document
from tests.api.schema import problems

# RISKCALC_FUZZ_EXAMPLES raises the count for a longer hunt (e.g. 10000 before a release).
EXAMPLES_PER_ENDPOINT = int(os.environ.get("RISKCALC_FUZZ_EXAMPLES", "1000"))
BODY_FAULT_EXAMPLES = max(300, EXAMPLES_PER_ENDPOINT // 3)
DOCUMENT = openapi_document()
FUZZ = settings(
    max_examples=EXAMPLES_PER_ENDPOINT,
    deadline=None,
    database=None,
    suppress_health_check=[HealthCheck.function_scoped_fixture, HealthCheck.too_slow],
)


class Num(str):
    """Text emitted as a raw JSON number literal (so 1e999 or 2.5 can be sent as numbers)."""


def encode(value: Any) -> str:
    """JSON text that may contain raw number literals (``Num``)."""
    if isinstance(value, Num):
        return str(value)
    if isinstance(value, dict):
        return "{" + ",".join(f"{json.dumps(str(k))}:{encode(v)}" for k, v in value.items()) + "}"
    if isinstance(value, list):
        return "[" + ",".join(encode(v) for v in value) + "]"
    if isinstance(value, Decimal):
        return json.dumps(str(value))
    return json.dumps(value)


HOSTILE_TEXT = st.sampled_from(
    [
        "",
        " ",
        "NaN",
        "nan",
        "sNaN",
        "Infinity",
        "-Infinity",
        "inf",
        "-0",
        "-0.0",
        "0",
        "-1",
        "1e999",
        "-1e999",
        "1e-999",
        "1E+999999",
        "1e-18",
        "1e-19",
        "0.000000000000000001",
        "1,5",
        "1,234",
        "1 234",
        "1.234,5",
        "abc",
        "\x00",
        "١٢٣",
        "0x10",
        "1_000",
        "+",
        "-",
        ".",
        "1e",
        "9" * 400,
        "1" + "0" * 60,
        "long",
        "short",
        "inverse",
        "cross",
        "binance_usdm",
        "BTCUSDT",
    ]
)
HOSTILE = st.one_of(
    HOSTILE_TEXT,
    HOSTILE_TEXT.map(Num).filter(lambda t: _is_json_number(t)),
    st.text(max_size=20),
    st.integers().map(lambda i: Num(str(i))),
    st.integers(min_value=-(10**60), max_value=10**60).map(str),
    st.decimals(allow_nan=False, allow_infinity=False).map(str),
    st.decimals(allow_nan=False, allow_infinity=False).map(lambda d: Num(str(d))),
    st.sampled_from(["1.5", "0.1", "-2.5e3", "1e400", "1e-400", "-0"]).map(Num),
    st.booleans(),
    st.none(),
    st.lists(st.integers(), max_size=3),
    st.dictionaries(st.text(max_size=5), st.integers(), max_size=3),
    st.recursive(
        st.none() | st.integers(),
        lambda inner: st.lists(inner, max_size=3) | st.dictionaries(st.text(max_size=3), inner),
        max_leaves=10,
    ),
)


def _is_json_number(text: str) -> bool:
    try:
        json.loads(text)
    except ValueError:
        return False
    return text.strip() not in {"", "NaN", "Infinity", "-Infinity"} and not text.startswith(
        ('"', "n", "t", "f")
    )


def valid_value(schema: dict[str, Any]) -> st.SearchStrategy[Any]:
    """A value inside the schema (which the core may still refuse)."""
    if "enum" in schema:
        return st.sampled_from(schema["enum"])
    if schema.get("format") == "decimal":
        low = Decimal(str(schema.get("minimum", schema.get("exclusiveMinimum", -(10**15)))))
        high = Decimal(str(schema["maximum"]))
        numbers = st.one_of(
            st.decimals(min_value=low, max_value=high, allow_nan=False, allow_infinity=False),
            st.sampled_from([low, high, low + Decimal("1e-18"), high / 2, Decimal(1)]).filter(
                lambda d: low <= d <= high
            ),
            st.decimals(
                min_value=max(low, Decimal(0)),
                max_value=min(high, Decimal(100000)),
                places=4,
                allow_nan=False,
                allow_infinity=False,
            ),
        )
        return numbers.flatmap(lambda d: st.sampled_from([str(d), Num(str(d))]))
    if schema.get("type") == "array":
        item = schema["items"]
        row = st.fixed_dictionaries(
            {k: valid_value(v) for k, v in item["properties"].items() if k in item["required"]},
            optional={
                k: st.one_of(valid_value(v), st.none())
                for k, v in item["properties"].items()
                if k not in item["required"]
            },
        )
        return st.lists(row | HOSTILE, min_size=0, max_size=8)
    return st.sampled_from(["BTCUSDT", "ETHUSDT", "XBTUSD", "", "btcusdt"]) | st.text(max_size=12)


def body_schema(path: str) -> dict[str, Any]:
    return DOCUMENT["paths"][path]["post"]["requestBody"]["content"]["application/json"]["schema"]


@st.composite
def request_inputs(draw: st.DrawFn, path: str, example: dict[str, str], post: bool) -> dict:
    schema = body_schema(path)
    names = [p["name"] for p in DOCUMENT["paths"][path]["get"]["parameters"]] + (
        list(schema["properties"]) if post else []
    )
    inputs: dict[str, Any] = dict(example)
    for _ in range(draw(st.integers(min_value=0, max_value=4))):
        action = draw(st.sampled_from(["valid", "valid", "valid", "hostile", "delete", "unknown"]))
        name = draw(st.sampled_from(names))
        if action == "valid":
            inputs[name] = draw(valid_value(schema["properties"][name]))
        elif action == "hostile":
            inputs[name] = draw(HOSTILE)
        elif action == "delete":
            inputs.pop(name, None)
        else:
            inputs[draw(st.text(min_size=1, max_size=12).filter(lambda n: n not in names))] = "1"
    return inputs


def check(response: Any, path: str) -> None:
    assert response.status_code < 500, response.content[:500]
    body = json.loads(response.content)
    if response.status_code == 200:
        schema = DOCUMENT["paths"][path]["get"]["responses"]["200"]["content"]["application/json"][
            "schema"
        ]
        assert problems(body, schema, DOCUMENT) == []
        text = response.content.decode()
        assert "NaN" not in text and "Infinity" not in text
        for name, value in body.items():
            if name.endswith("price") or name.endswith("price_exact"):
                assert value is None or Decimal(value) > 0, (name, value)
        return
    assert response.status_code in {400, 413}, response.status_code
    assert set(body) == {"errors"}
    errors = body["errors"]
    assert isinstance(errors, dict) and errors
    for field, messages in errors.items():
        assert isinstance(field, str)
        assert isinstance(messages, list) and messages
        assert all(isinstance(m, str) and m for m in messages)


@pytest.mark.parametrize("slug", list(ENDPOINTS))
def test_fuzzed_requests_never_fail_and_keep_the_contract(client: Client, slug: str) -> None:
    endpoint = ENDPOINTS[slug]
    sent = []

    @FUZZ
    @given(data=st.data())
    def run(data: st.DataObject) -> None:
        post = data.draw(st.booleans())
        inputs = data.draw(request_inputs(endpoint.path, dict(endpoint.example), post))
        if post:
            response = client.post(endpoint.path, encode(inputs), content_type="application/json")
        else:
            query = {k: (str(v) if not isinstance(v, str) else v) for k, v in inputs.items()}
            response = client.get(endpoint.path, query)
        sent.append(response.status_code)
        check(response, endpoint.path)

    run()
    assert len(sent) >= EXAMPLES_PER_ENDPOINT
    assert sent.count(200) > EXAMPLES_PER_ENDPOINT // 10  # the fuzz reaches the calculators


BODY_FAULTS = st.one_of(
    st.binary(max_size=200),
    st.text(max_size=200).map(str.encode),
    st.integers(min_value=1, max_value=5000).map(lambda n: ("[" * n).encode()),
    st.integers(min_value=1, max_value=3000).map(lambda n: ('{"a":' * n + "1" + "}" * n).encode()),
    st.sampled_from([b"null", b"[]", b"1", b'"x"', b"true", b"{}", b"{", b'{"side":}']),
    st.just(b'{"symbol": "' + b"x" * MAX_BODY_BYTES + b'"}'),
    st.recursive(
        st.none() | st.integers() | st.text(max_size=5),
        lambda inner: st.lists(inner, max_size=4) | st.dictionaries(st.text(max_size=4), inner),
        max_leaves=20,
    ).map(lambda v: json.dumps(v).encode()),
)


def test_fuzzed_bodies_never_fail(client: Client) -> None:
    paths = [e.path for e in ENDPOINTS.values()]
    sent = []

    @settings(FUZZ, max_examples=BODY_FAULT_EXAMPLES)
    @given(
        path=st.sampled_from(paths),
        body=BODY_FAULTS,
        content_type=st.sampled_from(["application/json", "text/plain", ""]),
    )
    def run(path: str, body: bytes, content_type: str) -> None:
        response = client.generic("POST", path, body, content_type=content_type)
        sent.append(response.status_code)
        check(response, path)

    run()
    assert len(sent) >= BODY_FAULT_EXAMPLES
