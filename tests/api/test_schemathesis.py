"""Schemathesis against the published OpenAPI document, in-process (issue 12, item 7).

Schemathesis is the field's standard for OpenAPI-driven testing: it generates requests from
the document (valid ones, and invalid ones that break one rule of a parameter's schema) and
checks every answer. It runs here through the Django WSGI application, so no server is
needed, for a bounded number of cases per operation with a fixed seed: every answer must
not be a 5xx, must have a status code the document lists, and must match the schema the
document gives for that status and content type. tests/api/test_fuzz.py adds the hostile
values of our own pool; the published contract is what this test holds the API to.
"""

from __future__ import annotations

from collections import Counter

import pytest
import schemathesis
from hypothesis import HealthCheck, seed, settings
from schemathesis.checks import not_a_server_error
from schemathesis.specs.openapi.checks import (
    content_type_conformance,
    response_schema_conformance,
    status_code_conformance,
)

from riskcalc.api import openapi_document
from riskcalc.wsgi import application

CASES_PER_OPERATION = 40
SEED = 20261206
CHECKS = [
    not_a_server_error,
    status_code_conformance,
    content_type_conformance,
    response_schema_conformance,
]

# (operation, status) -> answers, for the figures in benchmarks/README.md ("Fuzzing").
STATUSES: Counter[tuple[str, int]] = Counter()

schema = schemathesis.openapi.from_dict(openapi_document())
schema.app = application


@pytest.mark.django_db
@schema.parametrize()
@seed(SEED)
@settings(
    max_examples=CASES_PER_OPERATION,
    deadline=None,
    database=None,
    derandomize=False,
    suppress_health_check=list(HealthCheck),
)
def test_every_operation_keeps_the_published_contract(case: schemathesis.Case) -> None:
    # Schemathesis's WSGI transport asks for gzip but does not unpack it: ask for plain bodies.
    response = case.call(headers={"Accept-Encoding": "identity"})
    STATUSES[(case.operation.label, response.status_code)] += 1
    case.validate_response(response, checks=CHECKS)
