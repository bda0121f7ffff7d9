"""Generated from the OpenAPI document: tokens, roles and tenancy of every operation."""

import pytest

from reports import notifications
from shared.access_checks import (
    leaks_in_lists,
    operations_across_administrations,
    path_parameters,
    refusals_across_administrations,
    refusals_of_bad_tokens,
    refusals_of_roles,
)
from shared.auth import Role
from shared.conformance import Conformance
from shared.events import new_event

URL = "/api/v1/reports"


def _ready_event(report_id: str):
    data = {
        "report_id": report_id,
        "assessment_id": "asm-1",
        "administration_id": "adm-1",
        "version": 1,
        "language": "en",
        "title": "Readiness 2026",
        "formats": ["html"],
        "notify": ["coord-1"],
    }
    return new_event("report.ready", source="reports", data=data, subject=report_id)


@pytest.fixture
def owned(app, client, auth, make_report):
    """Build a report of adm-1, register its webhook endpoint, notify coord-1; their ids."""
    job = make_report()
    endpoint = client.post(
        f"{URL}/webhooks", json={"url": "https://erp.douanes.example/hooks"}, headers=auth()
    )
    assert endpoint.status_code == 201, endpoint.json
    with app.extensions["db"].session(write=True) as session:
        (notification,) = notifications.record_report_event(
            _ready_event(job.id), session=session, publish=lambda channel, message: None
        )
        notification_id = notification.id
    return {
        "report_id": job.id,
        "file_format": "html",
        "endpoint_id": endpoint.json["id"],
        "notification_id": notification_id,
    }


def test_every_operation_refuses_each_bad_token_with_a_401_problem(
    client, app, bad_tokens, make_token
):
    found = refusals_of_bad_tokens(client, Conformance.of(app), bad_tokens, accepted=make_token())
    assert found == [], "\n".join(found)


def test_every_role_outside_an_operations_roles_is_refused_and_none_meets_a_server_error(
    client, app, auth
):
    headers_of = {role.value: auth(f"{role.value}-1", "adm-1", (role.value,)) for role in Role}
    found = refusals_of_roles(client, Conformance.of(app), headers_of)
    assert found == [], "\n".join(found)


def test_another_administration_learns_nothing_of_this_ones_resources(client, app, auth, owned):
    conformance = Conformance.of(app)
    found = refusals_across_administrations(
        client,
        conformance,
        ids=owned,
        owner=auth(),
        stranger=auth("coord-9", "adm-2"),
        sent={f"POST {URL}/reports/{{report_id}}/regenerate": {"json": {"language": "fr"}}},
    )
    assert found == [], "\n".join(found)
    covered = {(o.method, o.path) for o in operations_across_administrations(conformance, owned)}
    # Every operation naming a resource: each of this service's is the administration's own.
    assert covered == {
        (o.method, o.path) for o in conformance.operations if path_parameters(o.path)
    }
    assert len(covered) >= 7


def test_another_administrations_lists_show_none_of_this_ones_resources(client, app, auth, owned):
    found = leaks_in_lists(
        client,
        Conformance.of(app),
        private=[owned["report_id"], owned["endpoint_id"], owned["notification_id"]],
        owner=auth(),
        stranger=auth("coord-9", "adm-2"),
    )
    assert found == [], "\n".join(found)
