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
from hypothesis import HealthCheck, settings
from rest_framework.authtoken.models import Token
from schemathesis.checks import not_a_server_error
from schemathesis.specs.openapi.checks import (
    content_type_conformance,
    response_schema_conformance,
    status_code_conformance,
)

from contributi.models import OperatoreComunale
from contributi.roles import OPERATORI
from tests.rigenerazione.conftest import tiny_world  # noqa: F401  (the published records)

MAX_EXAMPLES = 25
CHECKS = [
    not_a_server_error,
    status_code_conformance,
    content_type_conformance,
    response_schema_conformance,
]

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
@settings(
    max_examples=MAX_EXAMPLES,
    deadline=None,
    suppress_health_check=list(HealthCheck),
    derandomize=True,
)
def test_api_answers_as_documented(case, tiny_world, operator_token, connection_kept_open):  # noqa: F811
    headers = {}
    if case.method.upper() not in ("GET", "HEAD", "OPTIONS"):
        headers["Authorization"] = f"Token {operator_token}"
    case.call_and_validate(headers=headers, checks=CHECKS)
