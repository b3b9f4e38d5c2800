"""Schemathesis over the whole API: no 5xx, and every answer as the OpenAPI schema says.

A served Headset with two seeded tenants (tests/service/conftest.py) is called by
schemathesis for every operation of its own /openapi.json, as the center's admin and as
tenant alpha's manager (a session cookie and its CSRF token). Tenant ids in paths are alpha,
so the calls reach the routes' logic instead of stopping at "no such tenant". Each answer
must not be a server error, and its status code, content type and body must be the ones the
schema declares for that operation (errors are application/problem+json, `Problem`).

Bounded: a fixed number of examples per operation, generated deterministically
(`derandomize`), so the run is the same every time and stays within minutes on 2 cores.
Operations that would end the caller's own session (sign-out, password change) are left out:
the rest of the run needs it.
"""

from __future__ import annotations

from collections.abc import Iterator

import httpx
import pytest
import schemathesis
from hypothesis import HealthCheck, given, settings
from schemathesis.checks import (
    content_type_conformance,
    not_a_server_error,
    response_schema_conformance,
    status_code_conformance,
)

from headset.api.app import create_app
from headset.config import Settings
from tests.service.conftest import Center, start_center

#: Examples generated per operation and caller.
EXAMPLES = 25
#: Operations that would end the session the run signs in with.
LEFT_OUT = r"^/api/v1/auth/(logout|password|me)$"
CHECKS = [
    not_a_server_error,
    status_code_conformance,
    content_type_conformance,
    response_schema_conformance,
]


@pytest.fixture(scope="module")
def served_center(tmp_path_factory: pytest.TempPathFactory) -> Iterator[Center]:
    center = start_center(tmp_path_factory.mktemp("schemathesis"), max_body_bytes=20_000)
    try:
        yield center
    finally:
        center.close()
        center.served.stop()


@pytest.fixture(scope="module")
def callers(served_center: Center) -> dict[str, dict[str, str]]:
    """Headers of each caller: its session cookie and CSRF token."""
    admin = served_center.admin
    manager = served_center.as_user("alpha", "manager")
    return {name: _headers(client) for name, client in (("admin", admin), ("manager", manager))}


def _headers(client: httpx.Client) -> dict[str, str]:
    return {
        "Cookie": f"headset_session={client.cookies['headset_session']}",
        "X-CSRF-Token": client.headers["X-CSRF-Token"],
    }


#: The schema of the app as served (building the app starts nothing; its lifespan does).
SCHEMA = schemathesis.openapi.from_dict(
    create_app(Settings(database_url="sqlite://")).openapi()
).exclude(path_regex=LEFT_OUT)
OPERATIONS = {result.ok().label: result.ok() for result in SCHEMA.get_all_operations()}
SETTINGS = settings(
    max_examples=EXAMPLES,
    derandomize=True,
    deadline=None,
    database=None,
    suppress_health_check=list(HealthCheck),
)


@pytest.mark.parametrize("caller", ["admin", "manager"])
@pytest.mark.parametrize("label", sorted(OPERATIONS))
def test_the_api_answers_as_its_schema_says(
    label: str, caller: str, callers: dict[str, dict[str, str]], served_center: Center
) -> None:
    operation = OPERATIONS[label]

    @given(case=operation.as_strategy())
    @SETTINGS
    def call_and_validate(case: schemathesis.Case) -> None:
        if case.path_parameters and "tenant_id" in case.path_parameters:
            case.path_parameters["tenant_id"] = "alpha"
        case.call_and_validate(
            base_url=served_center.url, headers=callers[caller], checks=CHECKS, timeout=30
        )

    call_and_validate()


def test_every_operation_is_called() -> None:
    assert len(OPERATIONS) > 100
