"""Property-based run of the OpenAPI schema (schemathesis): no request the schema allows, with any
values, gets a server error or an answer the schema does not describe.

Read-only operations run anonymously; writes run as an operator of a Comune (Rho) that has no
records, with a token. Examples and time are bounded (MAX_EXAMPLES per operation, no deadline
per example but a Hypothesis run per operation), so the whole run costs a minute or two.
"""

from __future__ import annotations

import pytest
import schemathesis
from django.contrib.auth.models import Group, User
from django.core.signals import request_finished, request_started
from django.core.wsgi import get_wsgi_application
from django.db import close_old_connections
from hypothesis import HealthCheck, given, settings
from hypothesis import strategies as st
from rest_framework.authtoken.models import Token
from schemathesis import GenerationMode
from schemathesis.checks import not_a_server_error
from schemathesis.specs.openapi.checks import (
    content_type_conformance,
    response_schema_conformance,
    status_code_conformance,
)

from contributi.models import OperatoreComunale
from contributi.roles import OPERATORI

MAX_EXAMPLES = 25
CHECKS = [
    not_a_server_error,
    status_code_conformance,
    content_type_conformance,
    response_schema_conformance,
]

FUZZ_SETTINGS = settings(
    max_examples=MAX_EXAMPLES,
    deadline=None,
    suppress_health_check=list(HealthCheck),
    derandomize=True,
)

schema = schemathesis.openapi.from_wsgi("/api/schema/", get_wsgi_application())


@pytest.fixture
def connection_kept_open():
    """Keep the test's database connection (and its transaction) across WSGI requests, as
    Django's test client does: the WSGI handler would otherwise close it after each one."""
    for signal in (request_started, request_finished):
        signal.disconnect(close_old_connections)
    yield
    for signal in (request_started, request_finished):
        signal.connect(close_old_connections)


@pytest.fixture
def operator_token(territorio) -> str:
    """A token of an operator of Rho, which has no interventi or opportunità."""
    user = User.objects.create_user("op-fuzz", password="x-not-used-1")
    user.groups.add(Group.objects.get(name=OPERATORI))
    operatore = OperatoreComunale.objects.create(user=user, ente="Comune di Rho")
    operatore.comuni.set([territorio.get(istat_code="015182")])
    return Token.objects.create(user=user).key


@pytest.mark.django_db
@schema.parametrize()
@FUZZ_SETTINGS
def test_api_answers_as_documented(case, tiny_world, operator_token, connection_kept_open):
    headers = {}
    if case.method.upper() not in ("GET", "HEAD", "OPTIONS"):
        headers["Authorization"] = f"Token {operator_token}"
    case.call_and_validate(headers=headers, checks=CHECKS)


@pytest.mark.django_db
def test_ogc_api_answers_as_documented(tiny_world, connection_kept_open):
    # The OGC API's own OpenAPI document lists the layers (it reads the database), so it is
    # loaded inside the test and each operation is run through its Hypothesis strategy.
    ogc = schemathesis.openapi.from_wsgi("/ogc/api?f=json", get_wsgi_application())
    for result in ogc.get_all_operations():
        operation = result.ok()
        cases = st.one_of(operation.as_strategy(mode) for mode in GenerationMode)

        @given(case=cases)
        @FUZZ_SETTINGS
        def answers_as_documented(case):
            case.call_and_validate(checks=CHECKS)

        answers_as_documented()
