"""Generated from the OpenAPI document: tokens, roles and tenancy of every operation.

The portal trusts only its own signing keys, so the tokens here are signed with the key it signs
with (and the bad ones under its ``kid``), not with the test issuer's.
"""

import io

import pytest

from portal import keys
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
from shared.testing import bad_tokens_of, token_of

ADMINISTRATIONS = "/api/v1/portal/administrations/{administration_id}"
# Path parameters naming what the administrations share (the catalogue; the contact point
# directory, which every signed-in member reads: its writes are refused to other
# administrations in test_contact_points.py; the forums' categories, threads and posts, which
# every member reads: only a post's author edits it, only editors change a category,
# test_forums*.py), not one's own.
SHARED_PARAMETERS = {"ref", "scheme", "contact_id", "thread_id", "post_id", "category_key"}


@pytest.fixture
def signs(app):
    """Return a function signing tokens as the portal does (its own key, kid and claims)."""
    with app.extensions["db"].session(write=True) as session, session.begin():
        kid, key = keys.signer(session=session)
    where = {"issuer": app.config["AUTH_ISSUER"], "audience": app.config["AUTH_AUDIENCE"]}

    def sign(*, bad: bool = False, **claims):
        return (
            bad_tokens_of(key, kid, **where, **claims)
            if bad
            else token_of(key, kid, **where, **claims)
        )

    return sign


@pytest.fixture
def owned(client, demo, login):
    """Return the ids of the demo administration, one of its users and one of its API keys."""
    created = client.post(
        f"/api/v1/portal/administrations/{demo['demo']}/api-keys",
        json={"name": "ERP connector"},
        headers=login("coordinator@demo.example"),
    )
    assert created.status_code == 201, created.json
    contributed = client.post(
        "/api/v1/portal/contributions",
        data={"kind": "resource", "title_en": "Notes", "file": (io.BytesIO(b"Notes"), "n.txt")},
        headers=login("coordinator@demo.example"),
        content_type="multipart/form-data",
    )
    assert contributed.status_code == 201, contributed.json
    return {
        "administration_id": demo["demo"],
        "user_id": demo["users"]["respondent@demo.example"],
        "key_id": created.json["id"],
        "contribution_id": contributed.json["id"],
        "number": "1",
    }


def test_every_operation_refuses_each_bad_token_with_a_401_problem(client, app, demo, signs):
    user = {"sub": demo["users"]["coordinator@demo.example"], "administration_id": demo["demo"]}
    found = refusals_of_bad_tokens(
        client, Conformance.of(app), signs(bad=True, **user), accepted=signs(**user)
    )
    assert found == [], "\n".join(found)


def test_every_role_outside_an_operations_roles_is_refused_and_none_meets_a_server_error(
    client, app, demo, signs
):
    headers_of = {
        role.value: {
            "Authorization": "Bearer "
            + signs(sub=f"{role.value}-1", administration_id=demo["demo"], roles=[role.value])
        }
        for role in Role
    }
    found = refusals_of_roles(client, Conformance.of(app), headers_of)
    assert found == [], "\n".join(found)


def test_another_administration_learns_nothing_of_this_ones_resources(client, app, login, owned):
    conformance = Conformance.of(app)
    sent = {
        f"POST {ADMINISTRATIONS}/users": {
            "json": {
                "email": "intruder@other.example",
                "display_name": "Intruder",
                "password": "a-long-enough-password",
                "roles": ["respondent"],
            }
        },
        f"PATCH {ADMINISTRATIONS}/users/{{user_id}}": {"json": {"active": False}},
        f"POST {ADMINISTRATIONS}/api-keys": {"json": {"name": "Intruder"}},
        "POST /api/v1/portal/contributions/{contribution_id}/versions": lambda: {
            "data": {"file": (io.BytesIO(b"%PDF-1.4 other"), "other.pdf")},
            "content_type": "multipart/form-data",
        },
    }
    found = refusals_across_administrations(
        client,
        conformance,
        ids=owned,
        owner=login("coordinator@demo.example"),
        stranger=login("coordinator@other.example"),
        sent=sent,
    )
    assert found == [], "\n".join(found)
    covered = {(o.method, o.path) for o in operations_across_administrations(conformance, owned)}
    expected = {
        (o.method, o.path)
        for o in conformance.operations
        if path_parameters(o.path)
        and not SHARED_PARAMETERS & set(path_parameters(o.path))
        # Operator-only operations span every administration by design (the assistance queue);
        # every other role is refused them (the roles test above).
        and o.spec.get("x-roles") != ["operator"]
    }
    assert covered == expected
    assert len(covered) >= 7


def test_another_administrations_lists_show_none_of_this_ones_resources(client, app, login, owned):
    found = leaks_in_lists(
        client,
        Conformance.of(app),
        private=[owned["administration_id"], owned["contribution_id"]],
        owner=login("coordinator@demo.example"),
        stranger=login("coordinator@other.example"),
    )
    assert found == [], "\n".join(found)
