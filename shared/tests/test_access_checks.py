"""The generated access checks pass a correct endpoint and find each leaky one; roles documented."""

import copy
from typing import Any

import pytest
from flask import Flask
from flask.views import MethodView
from flask_smorest import Blueprint

from shared.access_checks import (
    leaks_in_lists,
    operations_across_administrations,
    refusals_across_administrations,
    refusals_of_bad_tokens,
    refusals_of_roles,
)
from shared.auth import (
    AuthError,
    Role,
    TokenVerifier,
    current_principal,
    optional_principal,
    require,
)
from shared.conformance import Conformance, undocumented_refusals
from shared.errors import ApiError, NotFound
from shared.testing import TEST_AUDIENCE, TEST_ISSUER
from shared.web import create_service_app

PREFIX = "/api/v1/probe"


def _owned_note(notes: dict[str, str], note_id: str) -> str:
    if notes.get(note_id) != current_principal().administration_id:
        raise NotFound()
    return note_id


@pytest.fixture
def notes() -> dict[str, str]:
    """Note ids -> the administration owning each."""
    return {"n1": "adm-1"}


def _note_views(blp: Blueprint, notes: dict[str, str]) -> None:
    @blp.route("/notes")
    class NoteList(MethodView):
        @require("coordinator", "respondent")
        @blp.response(200)
        def get(self) -> list[str]:
            mine = current_principal().administration_id
            return [note for note, owner in notes.items() if owner == mine]

    @blp.route("/every-note")
    class EveryNote(MethodView):
        @require("coordinator", "respondent")
        @blp.response(200)
        def get(self) -> list[str]:
            return list(notes)  # leak: every administration's notes

    @blp.route("/notes/<note_id>")
    class Notes(MethodView):
        @require("coordinator", "respondent")
        @blp.response(200)
        def get(self, note_id: str) -> dict[str, str]:
            return {"id": _owned_note(notes, note_id)}

        @require("coordinator")
        @blp.response(204)
        def delete(self, note_id: str) -> None:
            notes.pop(_owned_note(notes, note_id))

    @blp.route("/careless/<note_id>")
    class Careless(MethodView):
        @require("coordinator", "respondent")
        @blp.response(200)
        def get(self, note_id: str) -> dict[str, str]:
            if note_id not in notes:  # leak: any administration's note is served
                raise NotFound()
            return {"id": note_id}

        @require("coordinator")
        @blp.response(204)
        def delete(self, note_id: str) -> None:
            if note_id not in notes:
                raise NotFound()
            if notes[note_id] != current_principal().administration_id:
                raise ApiError(403, "forbidden")  # leak: tells another's note exists


def _other_views(blp: Blueprint) -> None:
    @blp.route("/anonymous-too")
    class AnonymousToo(MethodView):
        @blp.doc(security=[{}, {"bearerAuth": []}])
        @blp.response(200)
        def get(self) -> dict[str, bool]:
            return {"signed_in": optional_principal() is not None}  # leak: a bad token is ignored

    @blp.route("/public")
    class Public(MethodView):
        @blp.doc(security=[])
        @blp.response(200)
        def get(self) -> dict[str, bool]:
            return {"public": True}

    @blp.route("/lenient")
    class Lenient(MethodView):
        @require()
        @blp.doc(**{"x-roles": ["coordinator"]})  # leak: documented, never enforced
        @blp.response(200)
        def post(self) -> dict[str, bool]:
            return {"done": True}

    @blp.route("/fragile")
    class Fragile(MethodView):
        @require()
        @blp.response(200)
        def get(self) -> dict[str, str]:
            return {"first": sorted(current_principal().roles - {"respondent"})[0]}


@pytest.fixture
def probe(service_config: dict[str, Any], notes: dict[str, str]) -> Flask:
    """Return a service with a correct endpoint (``/notes``) and one leak for each check."""
    app, api = create_service_app(
        "probe", service="probe", title="probe", test_config=service_config
    )
    blp = Blueprint("probe", __name__, url_prefix=PREFIX)
    _note_views(blp, notes)
    _other_views(blp)
    api.register_blueprint(blp)
    return app


def _labels(findings: list[str]) -> set[str]:
    return {" ".join(finding.split(" ")[:2]) for finding in findings}


def _headers(make_token: Any, *args: Any) -> dict[str, str]:
    return {"Authorization": f"Bearer {make_token(*args)}"}


def test_require_documents_its_roles_without_changing_the_inner_view(probe):
    def view() -> None:
        """A view."""

    view._apidoc = {"manual_doc": {"description": "kept"}}  # as flask-smorest's decorators do
    before = copy.deepcopy(view._apidoc)
    wrapped = require(Role.COORDINATOR, Role.CLIENT)(view)
    assert wrapped._apidoc["manual_doc"] == {
        "description": "kept",
        "x-roles": ["coordinator", "client"],
    }
    assert view._apidoc == before
    operation = Conformance.of(probe).find("get", f"{PREFIX}/notes/n1")
    assert operation is not None
    assert operation.spec["x-roles"] == ["coordinator", "respondent"]
    assert "403" in operation.spec["responses"]
    assert "x-roles" not in Conformance.of(probe).find("get", f"{PREFIX}/fragile").spec
    assert undocumented_refusals(Conformance.of(probe)) == []


def test_bad_tokens_are_each_refused_by_the_verifier_and_their_control_is_not(
    bad_tokens, jwks, make_token
):
    verifier = TokenVerifier(issuer=TEST_ISSUER, audience=TEST_AUDIENCE, jwks_source=lambda: jwks)
    assert verifier.verify(make_token()).subject == "user-1"
    assert len(bad_tokens) >= 5
    for name, token in bad_tokens.items():
        with pytest.raises(AuthError):
            verifier.verify(token)
            pytest.fail(f"the token {name} was accepted")


def test_the_bad_tokens_check_finds_an_operation_serving_a_bad_token_as_anonymous(
    probe, bad_tokens, make_token
):
    found = refusals_of_bad_tokens(
        probe.test_client(), Conformance.of(probe), bad_tokens, accepted=make_token()
    )
    assert len(found) == len(bad_tokens)
    assert _labels(found) == {f"GET {PREFIX}/anonymous-too"}


def test_the_bad_tokens_check_fails_when_its_valid_control_is_refused(probe, bad_tokens):
    found = refusals_of_bad_tokens(
        probe.test_client(),
        Conformance.of(probe),
        {"expired": bad_tokens["expired"]},
        accepted=bad_tokens["wrong issuer"],
    )
    assert any("refuses the valid token too" in finding for finding in found)


def test_the_roles_check_finds_an_undocumented_pass_and_a_server_error(probe, make_token):
    headers_of = {role: _headers(make_token, "u1", "adm-1", (role,)) for role in Role}
    found = refusals_of_roles(probe.test_client(), Conformance.of(probe), headers_of)
    lenient = [f for f in found if f.startswith(f"POST {PREFIX}/lenient")]
    assert len(lenient) == len(Role) - 1  # every role but the documented coordinator
    assert [f for f in found if f not in lenient] == [
        f"GET {PREFIX}/fragile as respondent: 500 (a server error)"
    ]


def test_the_roles_check_finds_a_documented_role_that_is_refused(probe, make_token):
    conformance = Conformance.of(probe)
    conformance.find("delete", f"{PREFIX}/notes/n1").spec["x-roles"].append("editor")
    headers_of = {"editor": _headers(make_token, "u1", "adm-1", ("editor",))}
    found = refusals_of_roles(probe.test_client(), conformance, headers_of)
    expected = "403 (in x-roles ['coordinator', 'editor'], yet refused)"
    assert f"DELETE {PREFIX}/notes/{{note_id}} as editor: {expected}" in found


def test_the_across_administrations_check_finds_a_served_note_and_a_telling_refusal(
    probe, notes, make_token
):
    conformance = Conformance.of(probe)
    ids = {"note_id": "n1"}
    checked = {f"{o.method} {o.path}" for o in operations_across_administrations(conformance, ids)}
    assert checked == {
        f"{m} {PREFIX}/{p}/{{note_id}}" for m in ("get", "delete") for p in ("notes", "careless")
    }
    found = refusals_across_administrations(
        probe.test_client(),
        conformance,
        ids=ids,
        owner=_headers(make_token, "u1", "adm-1", ("coordinator",)),
        stranger=_headers(make_token, "u2", "adm-2", ("coordinator",)),
    )
    assert found == [
        f"GET {PREFIX}/careless/{{note_id}}: the stranger gets 200",
        f"DELETE {PREFIX}/careless/{{note_id}}: "
        "the stranger gets (403, 'forbidden'), for nothing 404",
    ]
    assert notes == {"n1": "adm-1"}  # the owner was never sent the delete


def test_the_across_administrations_check_fails_when_the_ids_name_nothing(probe, make_token):
    found = refusals_across_administrations(
        probe.test_client(),
        Conformance.of(probe),
        ids={"note_id": "gone"},
        owner=_headers(make_token, "u1", "adm-1", ("coordinator",)),
        stranger=_headers(make_token, "u2", "adm-2", ("coordinator",)),
    )
    assert f"GET {PREFIX}/notes/{{note_id}}: the owner gets 404, the ids are not real" in found


def test_the_lists_check_finds_a_list_showing_another_administrations_note(probe, make_token):
    found = leaks_in_lists(
        probe.test_client(),
        Conformance.of(probe),
        private=["n1"],
        owner=_headers(make_token, "u1", "adm-1", ("coordinator",)),
        stranger=_headers(make_token, "u2", "adm-2", ("coordinator",)),
    )
    assert found == [f"GET {PREFIX}/every-note: the stranger sees n1"]


def test_the_lists_check_fails_when_no_list_of_the_owner_shows_the_ids(probe, make_token):
    found = leaks_in_lists(
        probe.test_client(),
        Conformance.of(probe),
        private=["n-elsewhere"],
        owner=_headers(make_token, "u1", "adm-1", ("coordinator",)),
        stranger=_headers(make_token, "u2", "adm-2", ("coordinator",)),
    )
    assert found == ["n-elsewhere: in no list the owner reads, so the check cannot fail"]
