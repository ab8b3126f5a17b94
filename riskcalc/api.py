"""The JSON API's contract: endpoints, their forms and output fields, and the OpenAPI document.

Every registered calculator (:data:`riskcalc.calculators.CALCULATORS`) is an endpoint: its
form plus its declared output fields (``outputs``). The same declarations produce the responses (:func:`serialize`), the OpenAPI 3.1 document
(:func:`openapi_document`) and the parameter tables on ``/api/``, so the documentation cannot
drift from what the API validates and returns.

Conventions: decimals travel as JSON strings in plain notation (``"19700"``, ``"0.005"``);
rates and ratios are fractions; a value that does not exist is ``null`` and a warning
(``{"code", "message"}``) says why.
"""

from __future__ import annotations

from collections.abc import Mapping
from decimal import Decimal
from typing import Any

from django import forms

from riskcalc import exchange_list
from riskcalc.calculators import CALCULATORS, Calculator
from riskcalc.calculators.compare import COMPARE_SCHEMAS
from riskcalc.calculators.form import CalculatorForm
from riskcalc.calculators.spec import Output, to_json
from riskcalc.fields import (
    MAX_NUMBER_LENGTH,
    STRICT_NUMBER,
    DecimalInputField,
    EnumChoiceField,
    ObjectListField,
    plain,
)

__all__ = ["ENDPOINTS", "Endpoint", "Output", "openapi_document", "plain", "serialize"]

API_VERSION = "1.0.0"
MAX_BODY_BYTES = 64 * 1024
"""Largest request body (and query string) the API reads; larger ones get 413."""


Endpoint = Calculator
"""An API endpoint is a registered calculator (``path``, ``form``, ``outputs``, ``example``)."""

ENDPOINTS: Mapping[str, Calculator] = CALCULATORS
"""The endpoints by slug: the registry itself, so a calculator added there is served and
documented here."""


def serialize(endpoint: Endpoint, form: CalculatorForm) -> dict[str, Any]:
    """The success body: every declared output read from the valid form, as JSON values."""
    body: dict[str, Any] = {}
    for output in endpoint.outputs:
        value = output.get(form)
        # Most outputs are decimals: format them without to_json's type dispatch.
        body[output.name] = plain(value) if type(value) is Decimal else to_json(value)
    return body


def form_errors(form: forms.Form) -> dict[str, list[str]]:
    """``{"field": ["message", ...]}`` with ``"__all__"`` for cross-field problems."""
    return {name: [str(message) for message in errors] for name, errors in form.errors.items()}


# --------------------------------------------------------------------------------------------
# OpenAPI 3.1, generated from the forms and output declarations.


def _json_number(value: Decimal) -> int | float:
    """A bound as a JSON Schema number (schema text only; no calculation uses it)."""
    return int(value) if value == value.to_integral_value() else float(value)


def field_schema(field: forms.Field) -> dict[str, Any]:
    """JSON Schema of one form field (type, enum, bounds, default, description)."""
    schema: dict[str, Any]
    if isinstance(field, DecimalInputField):
        limit = field.limit
        # As a string: the strict notation, at most MAX_NUMBER_LENGTH characters; an empty
        # string means "not given", which only an optional field allows.
        number = f"^{STRICT_NUMBER}$" if field.required else f"^({STRICT_NUMBER})?$"
        schema = {
            "type": ["string", "number"],
            "format": "decimal",
            "pattern": number,
            "maxLength": MAX_NUMBER_LENGTH,
        }
        bound = "minimum" if limit.minimum_inclusive else "exclusiveMinimum"
        schema[bound] = _json_number(limit.minimum)
        schema["maximum"] = _json_number(limit.maximum)
        if field.default is not None:
            schema["default"] = plain(field.default)
    elif isinstance(field, EnumChoiceField):
        schema = {"type": "string", "enum": [m.value for m in field.enum]}
        if field.default is not None:
            schema["default"] = field.default.value
    elif isinstance(field, forms.ChoiceField):
        schema = {"type": "string", "enum": [str(v) for v, _ in field.choices if v]}
    elif isinstance(field, ObjectListField):
        properties = {}
        for key, item in field.items.items():
            item_schema = field_schema(item)
            if not item.required:
                item_schema["type"] = [*item_schema["type"], "null"]
            properties[key] = item_schema
        schema = {
            "type": "array",
            "minItems": 1,
            "maxItems": field.max_items,
            "items": {
                "type": "object",
                "additionalProperties": False,
                "properties": properties,
                "required": [k for k, item in field.items.items() if item.required],
            },
        }
    elif isinstance(field, forms.CharField):
        schema = {"type": "string"}
        if field.max_length:
            schema["maxLength"] = field.max_length
    else:  # pragma: no cover - every form field type is handled above
        raise TypeError(f"No schema for {type(field).__name__}")
    if field.help_text:
        schema["description"] = str(field.help_text)
    return schema


_DECIMAL_STRING = {"type": "string", "pattern": r"^-?[0-9]+(\.[0-9]+)?$"}
_KIND_SCHEMAS: dict[str, dict[str, Any]] = {
    "decimal": _DECIMAL_STRING,
    "integer": {"type": "integer"},
    "string": {"type": "string"},
    "warnings": {"type": "array", "items": {"$ref": "#/components/schemas/Warning"}},
    "assumptions": {"type": "array", "items": {"$ref": "#/components/schemas/Assumption"}},
    "tier": {"$ref": "#/components/schemas/Tier"},
    "object": {"type": "object"},
    "array": {"type": "array", "items": {"type": "string"}},
    "comparison": {"type": "array", "items": {"$ref": "#/components/schemas/ExchangeResult"}},
    "skipped": {"type": "array", "items": {"$ref": "#/components/schemas/SkippedExchange"}},
}


def output_schema(output: Output) -> dict[str, Any]:
    schema = dict(_KIND_SCHEMAS[output.kind])
    if output.nullable:
        if "$ref" in schema:
            schema = {"oneOf": [schema, {"type": "null"}]}
        else:
            schema["type"] = [schema["type"], "null"]
    schema["description"] = output.description
    return schema


def _parameters(form: CalculatorForm) -> list[dict[str, Any]]:
    return [
        {
            "name": name,
            "in": "query",
            "required": field.required,
            "schema": field_schema(field),
            "description": str(field.help_text),
        }
        for name, field in form.fields.items()
    ]


def _body_schema(form: CalculatorForm) -> dict[str, Any]:
    return {
        "type": "object",
        "additionalProperties": False,
        "properties": {name: field_schema(field) for name, field in form.fields.items()},
        "required": [name for name, field in form.fields.items() if field.required],
    }


def _responses(endpoint: Endpoint, *, cached: bool) -> dict[str, Any]:
    name = endpoint.form.__name__.removesuffix("Form") + "Result"
    ok = {
        "description": "The result."
        + (" Cacheable for 300 s (Cache-Control: public, max-age=300)." if cached else ""),
        "content": {"application/json": {"schema": {"$ref": f"#/components/schemas/{name}"}}},
    }
    errors = {"content": {"application/json": {"schema": {"$ref": "#/components/schemas/Errors"}}}}
    return {
        "200": ok,
        "400": {"description": "Invalid input, unknown fields or malformed JSON.", **errors},
        "405": {"description": "Method not allowed (use GET or POST).", **errors},
        "413": {"description": "Body or query string over 64 KB.", **errors},
    }


def openapi_document(server_url: str = "/") -> dict[str, Any]:
    """The OpenAPI 3.1 description of every endpoint, generated from the form definitions."""
    paths: dict[str, Any] = {}
    schemas: dict[str, Any] = {
        "Errors": {
            "type": "object",
            "required": ["errors"],
            "properties": {
                "errors": {
                    "type": "object",
                    "description": 'Messages per input field; "__all__" for problems with a '
                    "combination of fields or with the request itself.",
                    "additionalProperties": {"type": "array", "items": {"type": "string"}},
                }
            },
        },
        "Warning": {
            "type": "object",
            "required": ["code", "message"],
            "properties": {"code": {"type": "string"}, "message": {"type": "string"}},
        },
        "Assumption": {
            "type": "object",
            "required": ["field", "value", "message"],
            "properties": {
                "field": {"type": "string", "description": "The input the value stands for."},
                "value": {**_DECIMAL_STRING, "description": "The value used."},
                "message": {"type": "string", "description": "What it is and why."},
            },
        },
        "Tier": {
            "type": "object",
            "properties": {
                "number": {"type": "integer"},
                "floor": _DECIMAL_STRING,
                "cap": {**_DECIMAL_STRING, "type": ["string", "null"]},
                "maintenance_margin_rate": _DECIMAL_STRING,
                "maintenance_amount": _DECIMAL_STRING,
                "max_leverage": _DECIMAL_STRING,
            },
        },
        **COMPARE_SCHEMAS,
    }
    for endpoint in ENDPOINTS.values():
        get_form, post_form = endpoint.form(strict=True), endpoint.form(strict=True, lists=True)
        name = endpoint.form.__name__.removesuffix("Form") + "Result"
        schemas[name] = {
            "type": "object",
            "required": [o.name for o in endpoint.outputs],
            "properties": {o.name: output_schema(o) for o in endpoint.outputs},
        }
        operation = endpoint.slug.replace("-", "_")
        paths[endpoint.path] = {
            "get": {
                "operationId": f"{operation}_get",
                "summary": endpoint.summary,
                "description": endpoint.description,
                "parameters": _parameters(get_form),
                "responses": _responses(endpoint, cached=True),
            },
            "post": {
                "operationId": f"{operation}_post",
                "summary": endpoint.summary,
                "description": endpoint.description,
                "requestBody": {
                    "required": True,
                    "content": {
                        "application/json": {
                            "schema": _body_schema(post_form),
                            "example": dict(endpoint.example),
                        }
                    },
                },
                "responses": _responses(endpoint, cached=False),
            },
        }
    paths.update(exchange_list.openapi_paths())
    schemas.update(exchange_list.openapi_schemas())
    return {
        "openapi": "3.1.0",
        "info": {
            "title": "riskcalc API",
            "version": API_VERSION,
            "description": "Exchange-accurate risk calculators for leveraged crypto derivatives. "
            "Decimals are JSON strings (or numbers) with '.' as the decimal point; rates are "
            "fractions (0.005 = 0.5%). An empty string means a field is not given, so only an "
            "optional field may be empty; a number other than 0 must be at least 1e-18 in "
            "size. Results are education, not investment advice.",
        },
        "servers": [{"url": server_url}],
        "paths": paths,
        "components": {"schemas": schemas},
    }
