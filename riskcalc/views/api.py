"""JSON API views: ``/api/v1/<calculator>``, its OpenAPI document and the ``/api/`` docs page.

Each calculator view is the same three steps as a page: read the inputs (query string or JSON
body), bind the calculator's form (strict number parsing), answer with the form's result or its
errors. The contract (outputs, schema) lives in :mod:`riskcalc.api`.
"""

from __future__ import annotations

import json
from collections.abc import Callable
from decimal import Decimal
from functools import wraps
from typing import Any
from urllib.parse import parse_qsl, urlencode

from django.conf import settings
from django.core.handlers.wsgi import get_bytes_from_wsgi
from django.http import HttpRequest, HttpResponse, JsonResponse
from django.shortcuts import render
from django.utils.translation import gettext
from django.views.decorators.csrf import csrf_exempt
from django.views.decorators.http import require_safe

from riskcalc.api import (
    ENDPOINTS,
    MAX_BODY_BYTES,
    Endpoint,
    field_schema,
    form_errors,
    openapi_document,
    serialize,
)
from riskcalc.calculators.spec import Calculator
from riskcalc.exchange_list import EXCHANGES_PATH, exchange_list, openapi_paths, openapi_schemas
from riskcalc.http import cacheable_get
from riskcalc.languages import in_accept_language
from riskcalc.params import whole_number

type View = Callable[..., HttpResponse]

ALLOWED_METHODS = ("GET", "HEAD", "POST")
CACHE_SECONDS = 300
_ENCODER = json.JSONEncoder()
"""One encoder for every result (``JsonResponse`` builds a ``DjangoJSONEncoder`` per response;
results are already plain JSON values, so the output is byte for byte the same)."""


def _errors(errors: dict[str, list[str]], status: int = 400) -> JsonResponse:
    response = JsonResponse({"errors": errors}, status=status)
    response["Cache-Control"] = "no-store"
    return response


def _request_error(message: str, status: int = 400) -> JsonResponse:
    return _errors({"__all__": [message]}, status)


@in_accept_language
def not_found(request: HttpRequest) -> JsonResponse:
    """404 for any unknown path under ``/api/``, in the API's error format (``handler404``
    sends API paths here), naming the endpoints that do exist."""
    paths = ", ".join([*(endpoint.path for endpoint in ENDPOINTS.values()), EXCHANGES_PATH])
    response = _request_error(
        gettext(
            "There is no API endpoint at {path}. The endpoints are {paths}; their "
            "description is at {openapi}."
        ).format(path=request.path, paths=paths, openapi="/api/v1/openapi.json"),
        status=404,
    )
    response["Access-Control-Allow-Origin"] = "*"
    return response


def cors(view: View) -> View:
    """Let any origin call the API without credentials: ``Access-Control-Allow-Origin: *`` on
    every response, and answer preflight ``OPTIONS`` with the allowed methods and headers."""

    @wraps(view)
    def wrapped(request: HttpRequest, *args: Any, **kwargs: Any) -> HttpResponse:
        if request.method == "OPTIONS":
            response = HttpResponse(status=204)
            response["Allow"] = ", ".join((*ALLOWED_METHODS, "OPTIONS"))
            response["Access-Control-Allow-Methods"] = "GET, POST, OPTIONS"
            response["Access-Control-Allow-Headers"] = "Content-Type"
            response["Access-Control-Max-Age"] = "86400"
        else:
            response = view(request, *args, **kwargs)
        response["Access-Control-Allow-Origin"] = "*"
        return response

    return wrapped


def api_methods(view: View) -> View:
    """GET, HEAD and POST only; anything else is a 405 with a JSON body (not Django's text)."""

    @wraps(view)
    def wrapped(request: HttpRequest, *args: Any, **kwargs: Any) -> HttpResponse:
        if request.method not in ALLOWED_METHODS:
            response = _request_error(
                gettext(
                    "Method {method} is not allowed: use GET (query parameters) or POST (a "
                    "JSON object)."
                ).format(method=request.method),
                status=405,
            )
            response["Allow"] = ", ".join((*ALLOWED_METHODS, "OPTIONS"))
            return response
        return view(request, *args, **kwargs)

    return wrapped


def _too_large(what: str) -> JsonResponse:
    return _request_error(what.format(size=MAX_BODY_BYTES // 1024), 413)


def _reject_constant(name: str) -> Any:
    raise ValueError(f"{name} is not a number JSON allows")


def _read_inputs(request: HttpRequest) -> dict[str, Any] | JsonResponse:
    """The request's inputs as a dict, or the error response to send instead."""
    if request.method == "POST":
        declared = whole_number(request.META.get("CONTENT_LENGTH"), maximum=10**18)
        if declared is not None and declared > MAX_BODY_BYTES:
            return _too_large(gettext("The body is over {size} KB."))
        # Read the stream ourselves (not request.body) so a missing or wrong Content-Length
        # cannot make us hold more than the limit.
        body = request.read(MAX_BODY_BYTES + 1)
        if len(body) > MAX_BODY_BYTES:
            return _too_large(gettext("The body is over {size} KB."))
        try:
            data = json.loads(
                body.decode("utf-8"),
                parse_float=Decimal,
                parse_int=Decimal,
                parse_constant=_reject_constant,
            )
        except (ValueError, RecursionError) as error:
            # ValueError covers JSONDecodeError and UnicodeDecodeError; RecursionError is
            # deeply nested arrays, which fit easily in 64 KB.
            # The parser's own reason stays English: it quotes the JSON decoder.
            reason = str(error) if isinstance(error, ValueError) else "nested too deeply"
            return _request_error(
                gettext("The body is not valid JSON: {reason}.").format(reason=reason)
            )
        if not isinstance(data, dict):
            return _request_error(gettext("Send a JSON object of input fields."))
        return data
    raw_query = get_bytes_from_wsgi(request.META, "QUERY_STRING", "")
    if len(raw_query) > MAX_BODY_BYTES:
        return _too_large(gettext("The query string is over {size} KB."))
    # parse_qsl is what QueryDict runs underneath, without building a multi-value dict the
    # API would only flatten again.
    try:
        pairs = parse_qsl(
            raw_query.decode("utf-8", errors="replace"),
            keep_blank_values=True,
            max_num_fields=settings.DATA_UPLOAD_MAX_NUMBER_FIELDS,
        )
    except ValueError:
        return _request_error(gettext("Too many query parameters."))
    query: dict[str, Any] = {}
    repeated: dict[str, list[str]] = {}
    for key, value in pairs:
        if key in query:
            repeated[key] = [gettext("Give this parameter once.")]
        query[key] = value
    if repeated:
        return _errors(repeated)
    return query


def calculate(request: HttpRequest, endpoint: Endpoint) -> HttpResponse:
    """Read inputs -> bind the endpoint's form -> JSON result (200) or field errors (400)."""
    inputs = _read_inputs(request)
    if isinstance(inputs, JsonResponse):
        return inputs
    post = request.method == "POST"
    form = endpoint.form(inputs, strict=True, lists=post)
    unknown = [key for key in inputs if key not in form.fields]
    if unknown:
        post_only = endpoint.form.post_only_fields
        return _errors(
            {
                key: [
                    gettext(
                        "{field} takes a list, so it can only be given in a JSON POST body."
                    ).format(field=key)
                    if key in post_only
                    else gettext("Unknown field. Known fields: {fields}.").format(
                        fields=", ".join(form.fields)
                    )
                ]
                for key in unknown
            }
        )
    if not form.is_valid():
        return _errors(form_errors(form))
    response = HttpResponse(_ENCODER.encode(serialize(endpoint, form)), "application/json")
    if post:
        response["Cache-Control"] = "no-store"
    # A GET result is a pure function of its query string: @cacheable_get makes it public,
    # with an ETag so a revalidation gets a 304.
    return response


# The calculator views are csrf_exempt because they are stateless: they read no cookie and no
# session and change nothing, so a cross-site POST can do no more than the caller could do
# with the same JSON itself. CORS allows any origin, without credentials.


def calculator_api(calculator: Calculator) -> View:
    """The API endpoint of a registered calculator (``riskcalc/urls.py`` routes one per entry
    of :data:`~riskcalc.calculators.CALCULATORS` at its ``path``)."""

    @csrf_exempt
    @cors
    @in_accept_language  # messages in the client's language; field names stay English
    @api_methods
    @cacheable_get(max_age=CACHE_SECONDS)
    def view(request: HttpRequest) -> HttpResponse:
        return calculate(request, calculator)

    view.__name__ = view.__qualname__ = calculator.api
    view.__doc__ = f"{calculator.path}: {calculator.summary}."
    return view


@in_accept_language
def _get_only(request: HttpRequest) -> HttpResponse:
    response = _request_error(
        gettext("Method {method} is not allowed: use GET.").format(method=request.method), 405
    )
    response["Allow"] = "GET, HEAD, OPTIONS"
    return response


@cors
def exchanges_api(request: HttpRequest) -> HttpResponse:
    """Every exchange and its symbols with a dated tier table (riskcalc/exchange_list.py)."""
    if request.method not in ("GET", "HEAD"):
        return _get_only(request)
    response = JsonResponse(exchange_list())
    response["Cache-Control"] = f"public, max-age={CACHE_SECONDS}"
    return response


@cors
@require_safe
def openapi_schema(request: HttpRequest) -> HttpResponse:
    response = JsonResponse(openapi_document(), json_dumps_params={"indent": 1})
    response["Cache-Control"] = f"public, max-age={CACHE_SECONDS}"
    return response


def _example(request: HttpRequest, endpoint: Endpoint) -> dict[str, Any]:
    """The docs' runnable example: URL, bodies for curl/fetch/Python, the expected response."""
    form = endpoint.form(dict(endpoint.example), strict=True)
    if not form.is_valid():  # pragma: no cover - tests check every example is valid
        raise AssertionError(f"{endpoint.slug} example is invalid: {form.errors}")
    body = json.dumps(dict(endpoint.example))
    url = request.build_absolute_uri(endpoint.path)
    return {
        "url": url,
        "get_url": f"{url}?{urlencode(endpoint.example)}",
        "body": body,
        "body_pretty": json.dumps(dict(endpoint.example), indent=2),
        "response": json.dumps(serialize(endpoint, form), indent=2, ensure_ascii=False),
    }


def _type_name(schema: dict[str, Any]) -> str:
    if schema.get("format") == "decimal":
        return "decimal"
    return "list of objects" if schema["type"] == "array" else "string"


@require_safe
def api_docs(request: HttpRequest) -> HttpResponse:
    sections = []
    for endpoint in ENDPOINTS.values():
        form = endpoint.form(strict=True, lists=True)
        parameters = []
        for name, field in form.fields.items():
            schema = field_schema(field)
            low = schema.get("minimum", schema.get("exclusiveMinimum"))
            parameters.append(
                {
                    "name": name,
                    "type": _type_name(schema),
                    "enum": schema.get("enum", []),
                    "required": field.required,
                    "default": schema.get("default", ""),
                    "range": ""
                    if low is None
                    else f"{'>' if 'exclusiveMinimum' in schema else '≥'} {low:,}, "
                    f"≤ {schema['maximum']:,}",
                    "post_only": name in endpoint.form.post_only_fields,
                    "description": schema.get("description", ""),
                }
            )
        sections.append(
            {
                "endpoint": endpoint,
                "parameters": parameters,
                "outputs": endpoint.outputs,
                "example": _example(request, endpoint),
            }
        )
    return render(
        request, "api/docs.html", {"sections": sections, "exchanges": _exchanges_docs(request)}
    )


def _exchanges_docs(request: HttpRequest) -> dict[str, Any]:
    """What ``/api/`` says about ``GET /api/v1/exchanges``, from its OpenAPI description."""
    operation = openapi_paths()[EXCHANGES_PATH]["get"]
    entry = openapi_schemas()["ExchangeList"]["properties"]["exchanges"]["items"]
    symbol = entry["properties"]["symbols"]["items"]["properties"]
    return {
        "path": EXCHANGES_PATH,
        "summary": operation["summary"],
        "description": operation["description"],
        "fields": [
            (name, schema.get("description", ""))
            for name, schema in (*entry["properties"].items(), *symbol.items())
            if name != "symbols"
        ],
        "url": request.build_absolute_uri(EXCHANGES_PATH),
    }
